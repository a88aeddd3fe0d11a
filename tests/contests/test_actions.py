"""The contests' actions: the contest and its form (staff only, bounded, dates in order), the
phases by the server's clock, applications as drafts and submitted before the deadline, a
guest's one-time link, a minor's entry, withdrawal, files typed by their content, and the
audit events and letters of each."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from civicplan.audit.models import Event
from civicplan.contests import actions, confirmation, phases
from civicplan.contests.actions import FieldSpec
from civicplan.contests.files import IncomingFile
from civicplan.contests.models import Application, ApplicationFile, public_name
from civicplan.contests.rules import Guest
from tests.contests.conftest import (
    CLOSES,
    JUDGING,
    OPENS,
    RESULTS,
    Clock,
    World,
    contest_data,
    docx,
    entry,
    jpeg,
    moscow,
    pdf,
)

pytestmark = pytest.mark.django_db


def link_of(message) -> str:
    return message.body.split("/contests/confirm/")[1].split("/")[0]


# -- the contest ----------------------------------------------------------------------------------


def test_staff_create_a_contest_from_a_plan_row_with_sanitised_rules(world: World) -> None:
    contest = world.contest
    assert contest.activity == world.activity
    assert contest.slug == "здоровые-города-глазами-детей"
    assert contest.rules == "<p>Работы принимаются до 1 апреля.</p>"  # no script
    assert Event.objects.filter(action="contest.create", data__contest=contest.pk).exists()
    assert Event.objects.filter(action="contest.field.add").count() == 7


def test_only_staff_create_and_change_contests(world: World) -> None:
    for actor in (world.coordinator, world.nobody, AnonymousUser(), Guest([1])):
        with pytest.raises(PermissionDenied):
            actions.create_contest(actor, world.activity, contest_data())
        with pytest.raises(PermissionDenied):
            actions.add_field(actor, world.contest, FieldSpec("text", "Вопрос"))


def test_the_dates_go_in_order_and_someone_may_apply(world: World) -> None:
    with pytest.raises(ValidationError, match="Даты идут по порядку"):
        actions.change_contest(world.staff, world.contest, contest_data(call_closes=OPENS))
    with pytest.raises(ValidationError, match="Даты идут по порядку"):
        actions.change_contest(
            world.staff, world.contest, contest_data(results_published=JUDGING - timedelta(1))
        )
    with pytest.raises(ValidationError, match="кто может подавать"):
        actions.change_contest(
            world.staff,
            world.contest,
            contest_data(for_municipalities=False, for_organisations=False, for_individuals=False),
        )


def test_default_dates_follow_the_plan_rows_time_frame() -> None:
    from datetime import date

    dates = phases.default_dates(date(2025, 3, 1), date(2025, 5, 31), date(2025, 1, 10))
    assert dates.call_opens == moscow(2025, 3, 1, 0, 0)
    assert dates.call_closes == moscow(2025, 4, 30, 23, 59)  # two thirds of 91 days
    assert dates.results_published == moscow(2025, 5, 31, 12, 0)
    assert dates.in_order()
    undated = phases.default_dates(None, None, date(2025, 1, 10))
    assert undated.call_opens == moscow(2025, 1, 10, 0, 0)
    assert undated.results_published == moscow(2025, 4, 10, 12, 0)


def test_the_phases_open_and_close_by_the_clock(world: World, clock: Clock) -> None:
    contest = world.contest
    expected = [
        (OPENS - timedelta(seconds=1), phases.ANNOUNCED),
        (OPENS, phases.OPEN),
        (CLOSES - timedelta(seconds=1), phases.OPEN),
        (CLOSES, phases.CLOSED),
        (JUDGING, phases.JUDGING),
        (RESULTS - timedelta(seconds=1), phases.JUDGING),
        (RESULTS, phases.FINISHED),
    ]
    for moment, phase in expected:
        clock.now = moment
        assert contest.phase == phase, moment


def test_bounds_of_the_form(world: World) -> None:
    staff, contest = world.staff, world.contest
    with pytest.raises(ValidationError, match="от 2 до 50 вариантов"):
        actions.add_field(staff, contest, FieldSpec("choice", "Один", choices=["да"]))
    with pytest.raises(ValidationError, match="какие файлы"):
        actions.add_field(staff, contest, FieldSpec("file", "Файл"))
    with pytest.raises(ValidationError, match="не больше 20 МБ"):
        actions.add_field(
            staff, contest, FieldSpec("file", "Файл", file_types=["pdf"], max_bytes=10**9)
        )
    with pytest.raises(ValidationError, match="Наименьшее число больше"):
        actions.add_field(
            staff, contest, FieldSpec("number", "Ч", min_value=Decimal(5), max_value=Decimal(1))
        )
    with pytest.raises(ValidationError, match="Вопрос — от 1 до 300"):
        actions.add_field(staff, contest, FieldSpec("text", "x" * 301))
    for number in range(4):
        actions.add_field(staff, contest, FieldSpec("file", f"Файл {number}", file_types=["pdf"]))
    with pytest.raises(ValidationError, match="не больше 5 полей для файлов"):
        actions.add_field(staff, contest, FieldSpec("file", "Шестой", file_types=["pdf"]))
    while contest.fields.count() < actions.MAX_FIELDS:
        actions.add_field(staff, contest, FieldSpec("text", "Ещё вопрос"))
    with pytest.raises(ValidationError, match="не больше 40 полей"):
        actions.add_field(staff, contest, FieldSpec("text", "Лишний"))


def test_the_form_is_frozen_once_someone_has_submitted(world: World) -> None:
    actions.save_application(world.nobody, world.contest, entry(world), submit=True)
    with pytest.raises(ValidationError, match="форму заявки больше нельзя менять"):
        actions.add_field(world.staff, world.contest, FieldSpec("text", "Новый вопрос"))
    with pytest.raises(ValidationError, match="форму заявки больше нельзя менять"):
        actions.remove_field(world.staff, world.contest.fields.first())
    nomination = world.contest.nominations.first()
    with pytest.raises(ValidationError, match="поданы заявки"):
        actions.remove_nomination(world.staff, nomination)


def test_documents_are_typed_by_content(world: World) -> None:
    document = actions.add_document(
        world.staff, world.contest, "Положение", IncomingFile("положение.pdf", pdf())
    )
    assert (document.type, document.name) == ("pdf", "положение.pdf")
    assert document.file.name.endswith(".pdf")
    with pytest.raises(ValidationError, match="по содержимому не PDF, DOCX, XLSX"):
        actions.add_document(
            world.staff, world.contest, "Картинка", IncomingFile("положение.pdf", jpeg())
        )


# -- applications: drafts, deadline, letters ------------------------------------------------------


def test_a_signed_in_applicant_submits_and_gets_the_receipt_on_commit(
    world: World, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        draft = actions.save_application(world.nobody, world.contest, entry(world))
    assert draft.status == Application.Status.DRAFT
    assert mail.outbox == []  # a user needs no confirmation, a draft no receipt
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submitted = actions.save_application(
            world.nobody, world.contest, entry(world), draft, submit=True
        )
        assert mail.outbox == []  # nothing before the commit
    assert callbacks
    assert submitted.counts
    assert submitted.submitted == phases.now()
    [letter] = mail.outbox
    assert letter.to == ["anna@example.org"]
    assert f"Заявка № {submitted.pk}" in letter.subject
    assert "1 апреля 2025, 18:00 (Europe/Moscow, UTC+03:00)" in letter.body
    assert Event.objects.filter(
        action="contest.application.submit", data__application=submitted.pk
    ).exists()


def test_a_draft_may_leave_required_answers_but_a_submission_may_not(world: World) -> None:
    empty = entry(world, answers={}, files={})
    draft = actions.save_application(world.nobody, world.contest, empty)
    with pytest.raises(ValidationError) as refused:
        actions.save_application(world.nobody, world.contest, empty, draft, submit=True)
    message = refused.value.messages[0]
    assert "«Название работы»" in message
    assert "«Работа»" in message
    assert "«Согласен" in message
    with pytest.raises(ValidationError, match="Выберите номинацию"):
        actions.save_application(
            world.nobody, world.contest, entry(world, nomination=None), draft, submit=True
        )


def test_submission_only_before_the_deadline_by_the_servers_clock(
    world: World, clock: Clock
) -> None:
    clock.now = OPENS - timedelta(minutes=1)
    with pytest.raises(ValidationError, match="Приём заявок откроется 1 марта 2025, 00:00"):
        actions.save_application(world.nobody, world.contest, entry(world), submit=True)
    clock.now = CLOSES - timedelta(seconds=1)
    draft = actions.save_application(world.nobody, world.contest, entry(world))
    clock.now = CLOSES
    with pytest.raises(ValidationError, match="Приём заявок закрыт 1 апреля 2025, 18:00"):
        actions.save_application(world.nobody, world.contest, entry(world), draft, submit=True)
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT


def test_answers_are_checked_by_type(world: World) -> None:
    cases = [
        ({world.key("number"): "много"}, "нужно число"),
        ({world.key("number"): "31"}, "число от 1.00 до 30.00"),
        ({world.key("choice"): "Масло"}, "выберите вариант из списка"),
        ({world.key("link"): "javascript:alert(1)"}, "нужен адрес в интернете"),
        ({world.key("text"): "x" * 301}, "не длиннее 300 знаков"),
        ({world.key("long_text"): "x" * 1001}, "не длиннее 1000 знаков"),
    ]
    for answers, message in cases:
        with pytest.raises(ValidationError, match=message):
            actions.save_application(world.nobody, world.contest, entry(world, answers=answers))


def test_files_are_typed_by_content_with_real_thumbnails(world: World) -> None:
    application = actions.save_application(world.nobody, world.contest, entry(world))
    upload = ApplicationFile.objects.get(application=application)
    assert (upload.type, upload.width, upload.height) == ("jpeg", 1200, 900)
    from PIL import Image

    with Image.open(upload.thumbnail.open("rb")) as thumbnail:
        assert max(thumbnail.size) == 480
    assert upload.file.name.endswith(".jpg")
    key = world.key("file")
    renamed = {key: IncomingFile("работа.jpg", docx())}  # a DOCX called .jpg
    with pytest.raises(ValidationError, match="по содержимому не PDF, JPEG, PNG"):
        actions.save_application(world.nobody, world.contest, entry(world, files=renamed))
    script = {key: IncomingFile("работа.pdf", b"#!/bin/sh\nrm -rf /\n")}
    with pytest.raises(ValidationError, match="по содержимому не"):
        actions.save_application(world.nobody, world.contest, entry(world, files=script))
    big = {key: IncomingFile("big.pdf", pdf() + b"0" * (2 * 1024 * 1024))}
    with pytest.raises(ValidationError, match="больше 2 МБ"):
        actions.save_application(world.nobody, world.contest, entry(world, files=big))
    # A new file replaces the old one, whose files are deleted after the commit.
    replaced = actions.save_application(
        world.nobody,
        world.contest,
        entry(world, files={key: IncomingFile("work.pdf", pdf())}),
        application,
    )
    assert list(replaced.files.values_list("type", flat=True)) == ["pdf"]


def test_a_decompression_bomb_is_refused_undecoded(world: World, settings) -> None:
    settings.CIVICPLAN_REPORT_MAX_PIXELS = 1000
    with pytest.raises(ValidationError, match="слишком велико: 1200 × 900"):
        actions.save_application(world.nobody, world.contest, entry(world))


def test_one_applicant_keeps_a_bounded_number_of_entries(world: World) -> None:
    for _number in range(actions.MAX_APPLICATIONS):
        actions.save_application(world.nobody, world.contest, entry(world, files={}))
    with pytest.raises(ValidationError, match="не больше 10 заявок"):
        actions.save_application(world.nobody, world.contest, entry(world, files={}))


def test_who_may_apply_as_what(world: World) -> None:
    municipality = entry(world, kind=Application.Kind.MUNICIPALITY)
    with pytest.raises(ValidationError, match="координатор"):
        actions.save_application(world.nobody, world.contest, municipality)
    made = actions.save_application(world.coordinator, world.contest, municipality)
    assert made.organisation == world.member
    assert made.public_name == "Мэрия г. Череповца"
    with pytest.raises(ValidationError, match="название организации"):
        actions.save_application(
            world.nobody, world.contest, entry(world, kind=Application.Kind.ORGANISATION)
        )
    actions.change_contest(
        world.staff,
        world.contest,
        contest_data(for_organisations=False, for_individuals=False),
    )
    with pytest.raises(PermissionDenied):
        actions.save_application(AnonymousUser(), world.contest, entry(world))
    with pytest.raises(PermissionDenied):
        actions.save_application(world.nobody, world.contest, entry(world))


def test_an_application_is_its_applicants(world: World) -> None:
    application = actions.save_application(world.nobody, world.contest, entry(world))
    for actor in (world.coordinator, world.staff, AnonymousUser(), Guest([application.pk])):
        with pytest.raises(PermissionDenied):
            actions.save_application(actor, world.contest, entry(world), application)
        with pytest.raises(PermissionDenied):
            actions.withdraw(actor, application)


# -- a guest's one-time link ----------------------------------------------------------------------


def test_a_guests_entry_counts_once_the_address_is_confirmed_by_a_one_time_link(
    world: World, django_capture_on_commit_callbacks
) -> None:
    guest = Guest()
    with django_capture_on_commit_callbacks(execute=True):
        application = actions.save_application(guest, world.contest, entry(world))
    assert application.user is None
    assert not application.confirmed
    [letter] = mail.outbox
    assert letter.to == ["anna@example.org"]
    assert "Подтвердите адрес" in letter.subject
    token = link_of(letter)
    # The guest's browser holds it: the guest may submit it; it does not count yet.
    holder = Guest([application.pk])
    with django_capture_on_commit_callbacks(execute=True):
        actions.save_application(holder, world.contest, entry(world), application, submit=True)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not application.counts
    assert len(mail.outbox) == 2  # the link again, with the submission
    assert link_of(mail.outbox[1]) == token  # the same secret: either letter's link works
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = actions.confirm_email(token)
    assert confirmed.counts
    assert "принята" in mail.outbox[-1].subject  # the receipt, now it counts
    assert Event.objects.filter(action="contest.application.confirm").count() == 1
    with pytest.raises(ValidationError, match="уже использована"):
        actions.confirm_email(token)  # one time only
    # The link is a credential: staff reading the outbox do not see those letters' text.
    from civicplan.outbox.models import OutgoingMessage

    assert all(row.private for row in OutgoingMessage.objects.filter(subject=letter.subject))


def test_a_made_up_or_old_link_is_refused(world: World, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        application = actions.save_application(Guest(), world.contest, entry(world))
    token = link_of(mail.outbox[0])
    with pytest.raises(ValidationError, match="неверна"):
        actions.confirm_email(token[:-2] + "xx")
    with pytest.raises(ValidationError, match="неверна"):
        actions.confirm_email("made-up")
    from django.core import signing

    old = signing.dumps([application.pk, application.confirm_nonce], salt=confirmation.SALT)
    import time

    later = time.time() + confirmation.CONFIRM_MAX_AGE.total_seconds() + 60
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(time, "time", lambda: later)
        with pytest.raises(ValidationError, match="устарела"):
            actions.confirm_email(old)


def test_a_guest_asks_for_the_link_again_a_few_times(
    world: World, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        application = actions.save_application(Guest(), world.contest, entry(world))
    holder = Guest([application.pk])
    while application.links_sent < actions.MAX_LINKS:
        with django_capture_on_commit_callbacks(execute=True):
            actions.send_link_again(holder, application)
        application.refresh_from_db()
    assert len(mail.outbox) == actions.MAX_LINKS
    with pytest.raises(ValidationError, match="напишите в дирекцию"):
        actions.send_link_again(holder, application)


# -- minors ---------------------------------------------------------------------------------------


def test_an_entry_about_a_minor_needs_the_parents_consent(world: World) -> None:
    child = {
        "first_name": "Маша",
        "last_name": "Кузнецова",
        "minor": True,
        "age": 9,
        "guardian_name": "Кузнецова Ольга Петровна",
    }
    with pytest.raises(ValidationError, match="только с согласием родителя"):
        actions.save_application(world.nobody, world.contest, entry(world, **child))
    with pytest.raises(ValidationError, match="возраст ребёнка"):
        actions.save_application(
            world.nobody, world.contest, entry(world, **{**child, "age": 18}, guardian_consent=True)
        )
    with pytest.raises(ValidationError, match="родителя"):
        actions.save_application(
            world.nobody,
            world.contest,
            entry(world, **{**child, "guardian_name": ""}, guardian_consent=True),
        )
    with pytest.raises(ValidationError, match="подаёт частное лицо"):
        actions.save_application(
            world.coordinator,
            world.contest,
            entry(world, **child, guardian_consent=True, kind=Application.Kind.MUNICIPALITY),
        )
    made = actions.save_application(
        world.nobody, world.contest, entry(world, **child, guardian_consent=True), submit=True
    )
    assert made.guardian_consent == phases.now()
    assert made.public_name == "Маша, возраст 9"
    assert "Кузнецова" not in str(made)
    event = Event.objects.get(action="contest.application.submit")
    assert "Кузнецова" not in event.summary + event.subject


def test_the_public_name_never_shows_a_childs_surname() -> None:
    adult = Application(kind="individual", first_name="Анна", last_name="Соколова")
    child = Application(kind="individual", first_name="Маша", last_name="Кузнецова", minor=True)
    aged = Application(
        kind="individual", first_name="Маша", last_name="Кузнецова", minor=True, age=9
    )
    organisation = Application(
        kind="organisation", first_name="Иван", last_name="Петров", organisation_name="МГТУ"
    )
    assert public_name(adult) == "Анна Соколова"
    assert public_name(child) == "Маша"
    assert public_name(aged) == "Маша, возраст 9"
    assert public_name(organisation) == "МГТУ"


# -- withdrawal -----------------------------------------------------------------------------------


def test_withdrawal_until_judging_begins(
    world: World, clock: Clock, django_capture_on_commit_callbacks
) -> None:
    application = actions.save_application(world.nobody, world.contest, entry(world), submit=True)
    clock.now = CLOSES + timedelta(hours=1)  # the call closed, judging not begun
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = actions.withdraw(world.nobody, application, "Работа не готова")
    assert withdrawn.status == Application.Status.WITHDRAWN
    assert not withdrawn.counts
    assert "отозвана" in mail.outbox[-1].subject
    event = Event.objects.get(action="contest.application.withdraw")
    assert event.summary == "Работа не готова"
    with pytest.raises(ValidationError, match="уже отозвана"):
        actions.withdraw(world.nobody, withdrawn)
    clock.now = OPENS + timedelta(days=1)
    with pytest.raises(ValidationError, match="отозвана: её нельзя изменить"):
        actions.save_application(world.nobody, world.contest, entry(world), withdrawn)
    other = actions.save_application(world.nobody, world.contest, entry(world), submit=True)
    clock.now = JUDGING
    with pytest.raises(ValidationError, match="Жюри уже оценивает"):
        actions.withdraw(world.nobody, other)
