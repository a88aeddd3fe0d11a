"""Mail about a submission, from the newsroom's actions through their tasks to the SMTP sink."""

from __future__ import annotations

import pytest

from civicplan.newsroom import actions, letters
from civicplan.newsroom.actions import Draft
from civicplan.newsroom.models import Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(settings, django_capture_on_commit_callbacks):
    """`with committed():` runs what the block queues on commit, at once (the immediate task
    backend), as if the transaction committed and the worker ran the tasks."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return lambda: django_capture_on_commit_callbacks(execute=True)


def submitted(coordinator) -> Submission:
    draft = Draft(kind=Submission.Kind.PRESS_RELEASE, title="День здоровья в Череповце")
    return actions.submit(coordinator, draft)


def test_acknowledgement_of_a_submission_in_review(sink, committed, coordinator) -> None:
    with committed():
        submission = submitted(coordinator)
    [ack] = sink
    assert ack.rcpt_tos == ["anna@city.example.org"]
    assert ack.subject == "Материал получен: «День здоровья в Череповце»"
    text = ack.body("plain")
    assert "передан на рассмотрение" in text
    account = f"https://plan.example.org/account/submissions/{submission.pk}/"
    assert account in text
    assert f'href="{account}"' in ack.body("html")
    assert ack.header("List-Unsubscribe") is None  # a reply to what the reader did


def test_acknowledgement_of_a_letter_in_quarantine(sink, committed) -> None:
    draft = Draft(
        kind=Submission.Kind.PRESS_RELEASE,
        title="Новости района",
        sender_email="stranger@example.net",
    )
    with committed():
        actions.quarantine(draft)
    [ack] = sink
    assert ack.rcpt_tos == ["stranger@example.net"]
    text = ack.body("plain")
    assert "сначала посмотрит дирекция" in text
    assert "/account/" not in text
    assert "сначала посмотрит дирекция" in ack.body("html")


def test_changes_requested_gives_the_reason_and_the_way_back(sink, committed, coordinator) -> None:
    with committed():
        submission = submitted(coordinator)
    with committed():
        actions.request_changes(None, submission, "Добавьте подписи к фотографиям & даты")
    _ack, changes = sink
    assert changes.subject == "Нужны правки: «День здоровья в Череповце»"
    text = changes.body("plain")
    assert "Добавьте подписи к фотографиям & даты" in text
    assert f"https://plan.example.org/account/submissions/{submission.pk}/" in text
    assert "Добавьте подписи к фотографиям &amp; даты" in changes.body("html")


def test_rejection_gives_the_reason(sink, committed, coordinator) -> None:
    with committed():
        submission = submitted(coordinator)
    with committed():
        actions.reject(None, submission, "Не о плане Ассоциации.")
    _ack, rejected = sink
    assert rejected.rcpt_tos == ["anna@city.example.org"]
    assert rejected.subject == "Материал не принят: «День здоровья в Череповце»"
    assert "Не о плане Ассоциации." in rejected.body("plain")
    assert "Не о плане Ассоциации." in rejected.body("html")


def test_the_acknowledgement_names_the_files_the_mail_intake_refused(sink) -> None:
    submission = actions.quarantine(
        Draft(
            kind=Submission.Kind.POST_RELEASE,
            title="Фото с субботника",
            sender_email="stranger@example.net",
        )
    )
    refused = [{"name": "отчёт.pdf", "reason": "Файл не является PDF: это программа."}]
    letters.send_acknowledgement(submission, refused)
    [ack] = sink
    assert "Эти файлы не приняты:" in ack.body("plain")
    assert "- отчёт.pdf: Файл не является PDF: это программа." in ack.body("plain")
    assert "<li>отчёт.pdf: Файл не является PDF: это программа.</li>" in ack.body("html")


def test_a_form_submission_mentions_no_refused_files(sink, coordinator) -> None:
    letters.send_acknowledgement(submitted(coordinator), [])
    [ack] = sink
    assert "не приняты" not in ack.body("plain")


def test_publication_sends_the_news_page(sink, committed, coordinator) -> None:
    with committed():
        submission = submitted(coordinator)
    with committed():
        actions.publish(None, submission)
    _ack, published = sink
    assert published.rcpt_tos == ["anna@city.example.org"]
    assert published.subject == "Материал опубликован: «День здоровья в Череповце»"
    news = f"https://plan.example.org{submission.get_absolute_url()}"
    assert news in published.body("plain")
    assert f'href="{news}"' in published.body("html")


def test_an_included_proposal_says_where_it_is_in_the_plan(sink, committed, coordinator) -> None:
    draft = Draft(
        kind=Submission.Kind.PROPOSAL,
        title="Фестиваль здоровых дворов",
        proposal_year=2031,
        proposal_when="сентябрь",
        proposal_place="г. Череповец",
    )
    with committed():
        proposal = actions.submit(coordinator, draft)
    with committed():
        activity = actions.include_proposal(None, proposal)
    _ack, included = sink
    assert included.subject == ("Предложение включено в проект плана: «Фестиваль здоровых дворов»")
    text = included.body("plain")
    assert f"в проект плана на 2031 год (строка {activity.position})" in text
    assert activity.get_absolute_url() not in text  # a draft plan has no public page yet
    assert "в проект плана на 2031 год" in included.body("html")
