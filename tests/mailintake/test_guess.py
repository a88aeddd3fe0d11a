"""What a letter is (its kind) and which activity it reports on (a guess with its reason)."""

from __future__ import annotations

from datetime import date

import pytest

from civicplan.mailintake.guess import guess_activity
from civicplan.mailintake.parsing import MailFile, ParsedMail
from civicplan.mailintake.processing import guess_kind, title_of
from civicplan.newsroom.models import Submission
from civicplan.plans.models import Activity, Plan

Kind = Submission.Kind
SPRING = date(2024, 5, 1)


def activity(prefix: str) -> Activity:
    return Activity.objects.get(title__startswith=prefix)


def test_title_words_city_and_date(plan: Plan) -> None:
    guess = guess_activity(
        "Пост-релиз",
        "18 апреля 2024 года в Перми прошёл форум «Здоровые города для здоровых поколений».",
        received=SPRING,
    )
    assert guess is not None
    assert guess.activity == activity("II Всероссийский форум «Здоровые города для")
    assert guess.reason == "совпали слова: поколение; город: Пермь; дата: 18 апреля 2024"


def test_city_and_date_alone(plan: Plan) -> None:
    guess = guess_activity("Новости", "28.02.2024 в Череповце прошла встреча.", received=SPRING)
    assert guess is not None
    assert guess.activity == activity("Региональная конференция «Укрепление общественного")
    assert guess.reason == "город: Череповец; дата: 28.02.2024"


def test_words_of_the_title_in_other_forms(plan: Plan) -> None:
    guess = guess_activity("", "Итоги акции «Зарядка для всех!» в нашем городе", received=SPRING)
    assert guess is not None
    assert guess.activity == activity("Единая общегородская физкультурно-спортивная акция")
    assert "зарядка" in guess.reason


@pytest.mark.parametrize(
    "text",
    ["У нас всё хорошо, спасибо.", "", "Здоровые города — наш общий дом"],
)
def test_no_guess_without_evidence(plan: Plan, text: str) -> None:
    assert guess_activity("Письмо", text, received=SPRING) is None


def test_no_guess_without_a_plan(db) -> None:
    assert guess_activity("Форум", "Форум в Перми 18 апреля 2024", received=SPRING) is None


def test_activities_of_draft_plans_of_other_years_are_not_guessed(plan: Plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.DRAFT)
    text = "18 апреля 2024 года в Перми прошёл форум «Здоровые города для здоровых поколений»."
    assert guess_activity("", text, received=date(2026, 5, 1)) is None
    assert guess_activity("", text, received=SPRING) is not None  # this year's draft counts


@pytest.mark.parametrize(
    ("subject", "text", "kind"),
    [
        ("Пост-релиз форума", "", Kind.POST_RELEASE),
        ("ПОСТРЕЛИЗ", "", Kind.POST_RELEASE),
        ("Пресс-релиз", "потом будет пост-релиз", Kind.PRESS_RELEASE),
        ("Материалы", "Направляем методические рекомендации", Kind.METHODOLOGY),
        ("Лучшие практики муниципалитетов", "", Kind.BEST_PRACTICE),
        ("Методическое пособие: лучшие практики", "", Kind.METHODOLOGY),
        ("Новости", "Текст без подсказок", Kind.PRESS_RELEASE),
        ("", "Пост релиз о конференции", Kind.POST_RELEASE),
    ],
)
def test_kind_from_the_letters_words(subject: str, text: str, kind: str) -> None:
    assert guess_kind(subject, text) == kind


def test_title_falls_back_to_the_text_then_the_file() -> None:
    assert title_of(ParsedMail(subject="Тема", text="Текст"), "a@b.example") == "Тема"
    assert title_of(ParsedMail(text="\n\nПервая строка\nвторая"), "a@b.example") == "Первая строка"
    files = [MailFile("фото.jpg", b"", "image/jpeg")]
    assert title_of(ParsedMail(files=files), "a@b.example") == "фото.jpg"
    assert title_of(ParsedMail(), "a@b.example") == "Письмо от a@b.example"
