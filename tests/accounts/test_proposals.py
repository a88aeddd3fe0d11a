"""Proposals for next year's plan: the time frame is read back in words, or refused."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from civicplan.newsroom import actions
from civicplan.newsroom.member_forms import proposal_year
from civicplan.newsroom.models import Submission
from civicplan.plans.models import Plan

pytestmark = pytest.mark.django_db

PROPOSE = "/account/propose/"


def _proposal(**changes) -> dict:
    return {
        "when": "с 1 по 30 сентября",
        "title": "Межмуниципальный форум «Здоровые города Вологодчины»",
        "place": "г. Череповец",
        "partners": "Департамент здравоохранения Вологодской области",
        "comment": "Проводим третий год.",
        **changes,
    }


def test_a_proposal_is_sent_with_its_time_frame_read_back(
    client: Client, coordinator: User
) -> None:
    year = timezone.localdate().year + 1
    client.force_login(coordinator)
    page = client.get(PROPOSE)
    assert page.status_code == 200
    assert f"план на {year} год" in page.content.decode()
    response = client.post(PROPOSE, _proposal(), follow=True)
    submission = Submission.objects.get()
    assert response.redirect_chain[0][0] == f"/account/submissions/{submission.pk}/"
    assert f"Сроки прочитаны как: 1-30 сентября {year} г." in response.content.decode()
    assert submission.kind == Submission.Kind.PROPOSAL
    assert submission.status == Submission.Status.IN_REVIEW
    assert submission.proposal_year == year
    assert submission.proposal_when == "с 1 по 30 сентября"
    assert submission.proposal_place == "г. Череповец"
    assert submission.proposal_partners == "Департамент здравоохранения Вологодской области"
    assert submission.text == "Проводим третий год."
    assert submission.organisation == coordinator.coordinator.organisation


def test_check_shows_the_reading_without_sending(client: Client, coordinator: User) -> None:
    year = timezone.localdate().year + 1
    client.force_login(coordinator)
    response = client.post(PROPOSE, _proposal(when="II декада мая", check="1"))
    assert response.status_code == 200
    assert f"II декада мая {year} г." in response.content.decode()
    assert not Submission.objects.exists()


@pytest.mark.parametrize("when", ["когда получится", "в прошлом веке", "абв"])
def test_an_unreadable_time_frame_is_a_form_error(
    client: Client, coordinator: User, when: str
) -> None:
    client.force_login(coordinator)
    response = client.post(PROPOSE, _proposal(when=when))
    assert response.status_code == 400
    assert "Не удалось прочитать сроки" in response.context["form"].errors["when"][0]
    assert not Submission.objects.exists()


def test_a_time_frame_in_another_year_is_a_form_error(client: Client, coordinator: User) -> None:
    client.force_login(coordinator)
    response = client.post(PROPOSE, _proposal(when="сентябрь 2020 г."))
    assert response.status_code == 400
    assert "не в" in response.context["form"].errors["when"][0]


def test_partners_past_their_limit_are_a_form_error(client: Client, coordinator: User) -> None:
    """Each partner becomes an organisation once the proposal is in the plan: a bounded list."""
    from civicplan.newsroom.models import MAX_PARTNERS, Submission

    client.force_login(coordinator)
    response = client.post(PROPOSE, _proposal(partners="Мэрия, " * (MAX_PARTNERS // 7 + 1)))
    assert response.status_code == 400
    assert "partners" in response.context["form"].errors
    assert not Submission.objects.exists()


def test_an_undated_time_frame_as_plans_write_it_is_accepted(
    client: Client, coordinator: User
) -> None:
    client.force_login(coordinator)
    assert client.post(PROPOSE, _proposal(when="по согласованию")).status_code == 302


def test_the_year_follows_the_latest_approved_plan(db, cherepovets) -> None:
    today = date(2025, 3, 1)
    assert proposal_year(today) == 2026
    Plan.objects.create(owner=cherepovets, year=2026, title="План", status=Plan.Status.APPROVED)
    Plan.objects.create(owner=cherepovets, year=2027, title="Проект", status=Plan.Status.DRAFT)
    assert proposal_year(today) == 2027
    Plan.objects.create(owner=cherepovets, year=2020, title="Старый", status=Plan.Status.APPROVED)
    assert proposal_year(date(2030, 1, 1)) == 2031


def test_a_proposal_sent_back_is_corrected_and_read_again(
    client: Client, coordinator: User, staff: User
) -> None:
    client.force_login(coordinator)
    client.post(PROPOSE, _proposal())
    submission = Submission.objects.get()
    actions.request_changes(staff, submission, "Уточните сроки: в сентябре у нас съезд.")
    page = client.get(f"/account/submissions/{submission.pk}/")
    assert "Уточните сроки" in page.content.decode()
    form = page.context["form"]
    assert list(form.fields) == [
        "proposal_when",
        "title",
        "proposal_place",
        "proposal_partners",
        "text",
    ]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    bad = client.post(f"/account/submissions/{submission.pk}/", {**data, "proposal_when": "абв"})
    assert bad.status_code == 400
    assert "Не удалось прочитать сроки" in bad.context["form"].errors["proposal_when"][0]
    good = client.post(
        f"/account/submissions/{submission.pk}/", {**data, "proposal_when": "октябрь"}
    )
    assert good.status_code == 302
    submission.refresh_from_db()
    assert submission.proposal_when == "октябрь"
    assert submission.status == Submission.Status.IN_REVIEW
