"""A realistic installation to back up: the seed plan imported, organisations and a membership,
staff and a coordinator (with a group, permissions and a pending invitation), submissions with
attachments through their review, letters received and processed (one from a stranger, in
quarantine), mail preferences, a sent notification, an admin log entry, a session and a failed
login. Every row is made the way the site makes it (the actions), so the audit log, the
submissions' history and the queued tasks are there too.

`python -m tests.operations.world` migrates the database of the environment (DATABASE_URL,
CIVICPLAN_VAR_DIR) and builds the installation in it: the round-trip test's source."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "plan-2024.txt"
PASSWORD = "Зелёный-город-2025"


def build_world(seed: bytes) -> None:
    from django.contrib.auth.models import User

    from civicplan.plans.importing import import_plan
    from civicplan.plans.models import Plan

    director = "director@zdorovye-goroda.example"
    staff = User.objects.create_user(director, director, PASSWORD, is_staff=True, first_name="Анна")
    plan = Plan.objects.get(
        pk=import_plan(seed, "plan-2024.txt", actor=None, status=Plan.Status.APPROVED).plan_id
    )
    coordinator = _people(staff)
    _amendment(plan)
    _submissions(staff, coordinator, plan)
    _letters()
    _mail_and_site(staff, plan)
    _imports_and_exports(staff, plan, seed)
    _reports(staff, coordinator, plan)
    _contests(staff, plan)


def _amendment(plan) -> None:
    """An activity of the approved plan postponed, the amendment waiting to be published."""
    from civicplan.plans import actions

    activity = plan.activities.order_by("position").last()
    actions.postpone_activity(None, activity, "декабрь 2024 г.", "Просьба организаторов")


def _reports(staff, coordinator, plan) -> None:
    """A closing report with a member, a partner, a photo and a link; a long row's progress;
    a long year's report written for download."""
    import io

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    from civicplan.directory.models import Organisation
    from civicplan.reports import actions
    from civicplan.reports.models import ReportFile

    picture = io.BytesIO()
    Image.new("RGB", (800, 600), "#2a7").save(picture, "JPEG")
    forum = plan.activities.get(position=1)
    actions.save_report(
        staff,
        forum,
        actions.ReportData(
            participants=120,
            member_ids=[Organisation.objects.get(name__startswith="Мэрия г. Череповца").pk],
            partner_ids=[Organisation.objects.get(name="Дирекция Ассоциации").pk],
            outcomes="Приняты рекомендации.",
            new_materials=[
                actions.NewMaterial("photo", "Зал", name="zal.jpg", content=picture.getvalue()),
                actions.NewMaterial("video", "Запись", url="https://video.example/1"),
            ],
        ),
    )
    project = plan.activities.get(position=33)
    actions.add_progress(staff, project, datetime.date(2024, 6, 1), "on_track", 40, "Идёт")
    written = ReportFile.objects.create(
        plan=plan, period="year", format="xlsx", version="v1", status=ReportFile.Status.DONE
    )
    default_storage.save(written.path, ContentFile(b"report"))


def _contests(staff, plan) -> None:
    """A contest open now, with a nomination, a document and a picture question; a guest's
    submitted entry with its drawing (and thumbnail); a jury: a juror who accepted, a score
    category, the entry assigned to the juror and scored (written directly: the call is open)."""
    import io

    from django.utils import timezone
    from PIL import Image

    from civicplan.contests import actions
    from civicplan.contests.files import IncomingFile
    from civicplan.contests.rules import Guest

    now = timezone.now()
    contest = actions.create_contest(
        staff,
        plan.activities.get(position=14),
        actions.ContestData(
            title="Здоровые города глазами детей",
            call_opens=now - datetime.timedelta(days=1),
            call_closes=now + datetime.timedelta(days=30),
            judging_starts=now + datetime.timedelta(days=31),
            results_published=now + datetime.timedelta(days=60),
            rules="<p>Положение</p>",
            for_individuals=True,
            published=True,
        ),
    )
    nomination = actions.add_nomination(staff, contest, "Рисунок")
    actions.add_document(staff, contest, "Положение", IncomingFile("p.pdf", b"%PDF-1.4\n%%EOF\n"))
    question = actions.add_field(
        staff, contest, actions.FieldSpec("file", "Рисунок", file_types=["jpeg"])
    )
    drawing = io.BytesIO()
    Image.new("RGB", (900, 700), "#e94").save(drawing, "JPEG")
    application = actions.save_application(
        Guest(),
        contest,
        actions.Entry(
            kind="individual",
            first_name="Маша",
            last_name="Кузнецова",
            email="olga@example.org",
            nomination=nomination.pk,
            minor=True,
            age=9,
            guardian_name="Кузнецова Ольга Петровна",
            guardian_consent=True,
            files={question.key: IncomingFile("рисунок.jpg", drawing.getvalue())},
        ),
        submit=True,
    )
    _jury(staff, contest, application)


def _jury(staff, contest, application) -> None:
    from civicplan.contests import actions, confirmation
    from civicplan.contests.models import Assignment, Score

    juror = actions.invite_juror(
        staff, contest, actions.JurorData(email=staff.email, name="Анна", city="Москва")
    )
    actions.accept_jury_invitation(staff, confirmation.juror_token(juror))
    category = actions.add_category(staff, contest, actions.CategoryData("Идея"))
    given = Assignment.objects.create(
        contest=contest, application=application, juror=juror, comment="Ярко"
    )
    Score.objects.create(assignment=given, category=category, value=9)


def _imports_and_exports(staff, plan, seed: bytes) -> None:
    """A plan uploaded and waiting for its check, the roles staff chose for a table's columns,
    and a long plan's file written for download."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from civicplan.plans import preview
    from civicplan.plans.models import ColumnMapping, ExportJob, ImportJob

    signature = ["дата и время", "содержание работы", "где", "исполнители"]
    ColumnMapping.objects.create(
        key=preview.signature_key(signature),
        signature=signature,
        roles=["when", "title", "place", "responsible"],
        updated_by=staff,
    )
    job = ImportJob.objects.create(
        token="upload-token",
        created_by=staff,
        source="plan-2025.txt",
        year=2025,
        status=ImportJob.Status.READY,
        rows_done=37,
        rows_total=37,
        problems=[{"message": "проверить", "row": 3, "field": "when"}],
    )
    default_storage.save(job.path, ContentFile(seed))
    export = ExportJob.objects.create(
        plan=plan, format="csv", version="v1", status=ExportJob.Status.DONE
    )
    default_storage.save(export.path, ContentFile("число,мероприятие\n".encode()))


def _people(staff):
    """Perm's coordinator (known address, a member city), a group of editors, and an
    invitation for Kazan's coordinator that is not yet accepted."""
    from django.contrib.auth.models import Group, Permission, User

    from civicplan.accounts.actions import invite
    from civicplan.accounts.models import Coordinator, Invitation, SenderAddress
    from civicplan.directory.actions import create_organisation
    from civicplan.directory.models import Membership, Place

    perm = create_organisation(None, "Администрация города Перми", "municipal")
    kazan = create_organisation(None, "Исполнительный комитет г. Казани", "municipal")
    Membership.objects.create(
        organisation=perm,
        city=Place.objects.order_by("pk").first(),
        joined_on=datetime.date(2019, 5, 17),
        notes="Член Ассоциации с 2019 года",
    )
    coordinator = User.objects.create_user(
        "press@perm.example", "press@perm.example", PASSWORD, first_name="Мария"
    )
    Coordinator.objects.create(user=coordinator, organisation=perm)
    SenderAddress.objects.create(email="news@perm.example", organisation=perm, added_by=staff)
    invite(staff, "press@kazan.example", Invitation.Role.COORDINATOR, kazan)
    editors = Group.objects.create(name="Редакторы")
    editors.permissions.add(*Permission.objects.filter(codename__in=["view_plan", "change_plan"]))
    staff.groups.add(editors)
    coordinator.user_permissions.add(Permission.objects.get(codename="view_activity"))
    return coordinator


def _submissions(staff, coordinator, plan) -> None:
    """A published post-release with a PDF and a picture, a proposal sent back for changes."""
    from civicplan.newsroom import actions
    from civicplan.newsroom.actions import Draft
    from civicplan.newsroom.attachments import IncomingFile
    from civicplan.newsroom.models import Submission
    from tests.mailintake.letters import PDF
    from tests.newsroom.conftest import png

    activity = plan.activities.order_by("position").first()
    report = actions.submit(
        coordinator,
        Draft(
            kind=Submission.Kind.POST_RELEASE,
            title="Пост-релиз: форум «Здоровые города» в Перми",
            text="Форум прошёл 18 апреля.\n\nУчастники обсудили здоровье детей.",
            html="<p>Форум прошёл <strong>18 апреля</strong>.</p>",
            activity=activity,
            files=(IncomingFile("отчёт.pdf", PDF), IncomingFile("фото.png", png(3, 2))),
        ),
    )
    actions.publish(staff, report)
    proposal = actions.submit(
        coordinator,
        Draft(
            kind=Submission.Kind.PROPOSAL,
            title="Фестиваль «Активное долголетие»",
            text="Предлагаем включить фестиваль в план.",
            proposal_year=2025,
            proposal_when="май 2025 г.",
            proposal_place="г. Пермь",
            proposal_partners="Министерство здравоохранения Пермского края",
        ),
    )
    actions.request_changes(staff, proposal, "Уточните сроки и место проведения.")


def _letters() -> None:
    """Two letters to the news address: the coordinator's (with a PDF) and a stranger's."""
    from civicplan.mailintake.actions import process, receive
    from tests.mailintake.letters import NEWS, PDF, modern

    for sender, subject in [
        ("press@perm.example", "Пост-релиз конференции в Перми"),
        ("stranger@example.org", "Просим опубликовать новость"),
    ]:
        raw = modern(subject, sender=sender, files=(("итоги.pdf", PDF, "application/pdf"),))
        message = receive(raw, peer="192.0.2.25", mail_from=sender, rcpt_tos=[NEWS])
        process(message)


def _mail_and_site(staff, plan) -> None:
    """Mail preferences, a reminder sent, an admin log entry, a session and a failed login."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth import authenticate
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    from civicplan.notifications.models import SentNotification
    from civicplan.outbox.actions import unsubscribe
    from civicplan.outbox.models import MailPreference

    unsubscribe(MailPreference.for_address("press@perm.example"), ["digest"], how="page")
    MailPreference.for_address("press@kazan.example")
    activity = plan.activities.order_by("-position").first()
    SentNotification.objects.create(
        kind="reminder",
        key=f"reminder:{activity.pk}:7:press@perm.example",
        recipient="press@perm.example",
        activity=activity,
        due_on=datetime.date(2024, 4, 11),
    )
    LogEntry.objects.create(
        user=staff,
        content_type=ContentType.objects.get_for_model(plan),
        object_id=str(plan.pk),
        object_repr=str(plan)[:200],
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["status"]}}]',
    )
    session = SessionStore()
    session["_auth_user_id"] = str(staff.pk)
    session.create()
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="192.0.2.7")
    authenticate(request, username="press@perm.example", password="не тот пароль")


def main() -> None:
    """Migrate the environment's database and build the installation in it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicplan.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    build_world(SEED.read_bytes())


if __name__ == "__main__":
    main()
    sys.exit(0)
