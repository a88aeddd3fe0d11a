"""`civicplan prune`: the raw letters processed longer ago than CIVICPLAN_MAIL_RETENTION_DAYS
are deleted, their rows kept and the deletion written to the audit log; letters that may still
be needed (failed, waiting, in quarantine awaiting staff) and recent ones are kept."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from civicplan.audit.models import Event
from civicplan.mailintake.actions import receive
from civicplan.mailintake.models import InboundMessage
from civicplan.newsroom import actions
from civicplan.newsroom.actions import Draft
from civicplan.newsroom.models import Submission
from civicplan.operations.retention import prune
from civicplan.outbox.models import OutgoingMessage
from tests.mailintake.letters import modern

Status = InboundMessage.Status


def letter(days_ago: int, status: str, *, processed_days_ago: int | None = None) -> InboundMessage:
    """A letter received `days_ago` days ago (its .eml in that day's directory), in `status`,
    processed `processed_days_ago` days ago (the same day by default)."""
    received = timezone.now() - timedelta(days=days_ago)
    message = receive(
        modern(f"Письмо {days_ago} {status}"), mail_from="a@b.example", received=received
    )
    processed = processed_days_ago if processed_days_ago is not None else days_ago
    fields = {"status": status}
    if status != Status.STORED:
        fields["processed"] = timezone.now() - timedelta(days=processed)
    InboundMessage.objects.filter(pk=message.pk).update(**fields)
    message.refresh_from_db()
    return message


def quarantined(days_ago: int, *, accepted: bool) -> InboundMessage:
    message = letter(days_ago, Status.QUARANTINED)
    submission = actions.quarantine(Draft(kind=Submission.Kind.PRESS_RELEASE, title="Новость"))
    if accepted:
        Submission.objects.filter(pk=submission.pk).update(status=Submission.Status.IN_REVIEW)
    InboundMessage.objects.filter(pk=message.pk).update(submission=submission)
    return message


@pytest.fixture
def letters(db, settings) -> dict[str, InboundMessage]:
    settings.CIVICPLAN_MAIL_RETENTION_DAYS = 90
    return {
        "old": letter(400, Status.PROCESSED),
        "old, processed lately": letter(400, Status.PROCESSED, processed_days_ago=10),
        "recent": letter(30, Status.PROCESSED),
        "failed": letter(400, Status.FAILED),
        "waiting": letter(400, Status.STORED),
        "accepted from quarantine": quarantined(200, accepted=True),
        "in quarantine": quarantined(210, accepted=False),
    }


def test_old_processed_letters_lose_their_files_and_keep_their_rows(
    letters: dict[str, InboundMessage], settings
) -> None:
    out = io.StringIO()
    call_command("prune", stdout=out)

    gone = {name for name, message in letters.items() if not message.path.exists()}
    assert gone == {"old", "accepted from quarantine"}
    assert InboundMessage.objects.count() == len(letters)
    event = Event.objects.get(action="mail.prune")
    assert sorted(event.data["messages"]) == sorted(
        letters[name].pk for name in ("old", "accepted from quarantine")
    )
    assert "удалено 2" in out.getvalue()
    assert letters["old"].path.parent.is_dir()  # other letters of that day are kept
    assert not letters["accepted from quarantine"].path.parent.exists()  # emptied, removed
    assert Path(settings.CIVICPLAN_MAIL_DIR).is_dir()


def test_a_second_run_finds_nothing_more(letters: dict[str, InboundMessage]) -> None:
    prune()
    second = _store(prune(), "CIVICPLAN_MAIL_RETENTION_DAYS")
    assert second.removed.count == 0
    assert Event.objects.filter(action="mail.prune").count() == 1


def test_a_dry_run_counts_and_deletes_nothing(letters: dict[str, InboundMessage]) -> None:
    out = io.StringIO()
    call_command("prune", "--dry-run", stdout=out)
    assert "было бы удалено 2" in out.getvalue()
    assert all(message.path.exists() for message in letters.values())
    assert not Event.objects.filter(action="mail.prune").exists()


def test_zero_days_keeps_letters_for_ever(letters: dict[str, InboundMessage], settings) -> None:
    settings.CIVICPLAN_MAIL_RETENTION_DAYS = 0
    out = io.StringIO()
    call_command("prune", stdout=out)
    assert "хранятся без срока" in out.getvalue()
    assert all(message.path.exists() for message in letters.values())


@pytest.mark.django_db
def test_sent_letters_leave_the_outbox_after_their_retention(settings) -> None:
    settings.CIVICPLAN_OUTBOX_RETENTION_DAYS = 90
    now = timezone.now()
    Status = OutgoingMessage.Status

    def kept(status: str, sent_days_ago: int | None) -> OutgoingMessage:
        sent = now - timedelta(days=sent_days_ago) if sent_days_ago is not None else None
        return OutgoingMessage.objects.create(
            subject=f"{status} {sent_days_ago}",
            from_email="a@b.example",
            raw=b"x",
            status=status,
            sent=sent,
        )

    old, recent = kept(Status.SENT, 100), kept(Status.SENT, 10)
    held, failed = kept(Status.HELD, None), kept(Status.FAILED, None)
    OutgoingMessage.objects.filter(pk__in=[held.pk, failed.pk]).update(
        created=now - timedelta(days=400)
    )
    outbox = _store(prune(), "CIVICPLAN_OUTBOX_RETENTION_DAYS")
    assert outbox.removed.count == 1
    assert set(OutgoingMessage.objects.values_list("pk", flat=True)) == {
        recent.pk,
        held.pk,
        failed.pk,
    }
    assert Event.objects.get(action="outbox.prune").data["count"] == 1
    assert not old.__class__.objects.filter(pk=old.pk).exists()


def _store(results, setting: str):
    return next(result for result in results if result.store.setting == setting)


@pytest.mark.django_db
def test_unconfirmed_uploads_go_after_their_retention(settings, tmp_path) -> None:
    from django.contrib.auth.models import User
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from civicplan.plans.models import ImportJob

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CIVICPLAN_IMPORT_RETENTION_DAYS = 2
    staff = User.objects.create_user("staff", is_staff=True)
    jobs = {}
    for name, status, days in [
        ("abandoned", ImportJob.Status.READY, 3),
        ("failed", ImportJob.Status.FAILED, 5),
        ("importing", ImportJob.Status.IMPORTING, 5),
        ("fresh", ImportJob.Status.READY, 1),
    ]:
        job = ImportJob.objects.create(token=name, created_by=staff, source=f"{name}.docx")
        ImportJob.objects.filter(pk=job.pk).update(
            status=status, created=timezone.now() - timedelta(days=days)
        )
        default_storage.save(job.path, ContentFile(b"plan"))
        jobs[name] = job
    removed = _store(prune(), "CIVICPLAN_IMPORT_RETENTION_DAYS").removed
    assert removed.count == 2
    assert set(ImportJob.objects.values_list("token", flat=True)) == {"importing", "fresh"}
    assert not default_storage.exists(jobs["abandoned"].path)
    assert default_storage.exists(jobs["fresh"].path)
