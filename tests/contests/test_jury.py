"""The jury: invitations by a one-time signed link, score categories, the assignment (never a
juror's own organisation's or city's entry; a declared conflict reassigns), scores within the
scales, anonymous review with files under neutral names, review phases, the staff's pages, a
fixed number of queries whatever the numbers, the audit log, a juror's personal data."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from civicplan.audit.models import Event
from civicplan.contests import actions, confirmation
from civicplan.contests.models import Application, Assignment, Contest, Juror, Score
from civicplan.operations import privacy
from civicplan.outbox.models import OutgoingMessage
from tests.contests.conftest import JUDGING_NOW, Clock, Jury, World, seat

pytestmark = pytest.mark.django_db


def client_of(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def jurors_of(jury: Jury, entry: str) -> set[str]:
    names = {juror.pk: key for key, juror in jury.jurors.items()}
    return {
        names[pk]
        for pk in Assignment.objects.filter(
            application=jury.entries[entry], conflict__isnull=True
        ).values_list("juror_id", flat=True)
    }


# -- invitations ----------------------------------------------------------------------------------


def test_an_invitation_is_a_private_letter_with_a_one_time_link(
    world: World, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        juror = actions.invite_juror(
            world.staff,
            world.contest,
            actions.JurorData(email="Expert@Example.org", name="Ольга  Петрова", city="Пермь"),
        )
    assert (juror.email, juror.name, juror.state) == (
        "expert@example.org",
        "Ольга Петрова",
        "invited",
    )
    letter = OutgoingMessage.objects.get(subject__contains="жюри")
    assert letter.private
    [sent] = mail.outbox
    token = re.search(r"/jury/invitations/([^/\s]+)/", sent.body).group(1)
    assert confirmation.juror_of(token).pk == juror.pk
    # A visitor without an account makes one with the link, and is on the jury.
    client = Client()
    page = client.get(f"/jury/invitations/{token}/")
    assert "Создайте учётную запись" in page.content.decode()
    response = client.post(
        f"/jury/invitations/{token}/",
        {
            "first_name": "Ольга",
            "last_name": "Петрова",
            "password1": "жюри-2025-пароль",
            "password2": "жюри-2025-пароль",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/jury/{world.contest.pk}/"
    juror.refresh_from_db()
    assert juror.active
    assert juror.user.email == "expert@example.org"
    assert client.get(f"/jury/invitations/{token}/").status_code == 410  # spent
    assert Event.objects.filter(action="contest.juror.accept").exists()


def test_a_signed_in_user_accepts_and_a_removed_jurors_link_is_dead(
    world: World, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        juror = actions.invite_juror(
            world.staff, world.contest, actions.JurorData(email="nobody@example.org", name="Н")
        )
    token = confirmation.juror_token(juror)
    client = client_of(world.nobody)
    assert "Принять приглашение" in client.get(f"/jury/invitations/{token}/").content.decode()
    assert client.post(f"/jury/invitations/{token}/").status_code == 302
    assert world.nobody.has_perm("contests.judge", world.contest)
    with pytest.raises(ValidationError):
        actions.invite_juror(
            world.staff, world.contest, actions.JurorData(email="nobody@example.org", name="Н")
        )
    actions.remove_juror(world.staff, Juror.objects.get(pk=juror.pk))
    assert not world.nobody.has_perm("contests.judge", world.contest)
    again = actions.invite_juror(
        world.staff, world.contest, actions.JurorData(email="nobody@example.org", name="Н")
    )
    assert again.pk == juror.pk
    assert again.state == "invited"
    assert client.get(f"/jury/invitations/{token}/").status_code == 410  # the old link


def test_only_staff_invite_and_keep_the_jury(world: World) -> None:
    with pytest.raises(PermissionDenied):
        actions.invite_juror(
            world.coordinator, world.contest, actions.JurorData(email="x@example.org", name="X")
        )
    with pytest.raises(PermissionDenied):
        actions.add_category(world.nobody, world.contest, actions.CategoryData("Идея"))
    with pytest.raises(ValidationError, match="Вес"):
        actions.add_category(world.staff, world.contest, actions.CategoryData("Идея", Decimal(0)))
    with pytest.raises(ValidationError, match="Наименьшая"):
        actions.add_category(
            world.staff, world.contest, actions.CategoryData("Идея", Decimal(1), 5, 5)
        )
    with pytest.raises(ValidationError):
        actions.change_jury_settings(world.staff, world.contest, 0, "scoring")


# -- the assignment -------------------------------------------------------------------------------


def test_each_entry_to_n_jurors_never_their_own_organisations_or_citys(jury: Jury) -> None:
    assert jurors_of(jury, "city") == {"petr", "irina"}  # not olga, of Череповец's mayoralty
    assert jurors_of(jury, "boris") == {"olga", "irina"}  # not petr, of Пермь
    assert jurors_of(jury, "anna") == {"olga", "petr"}
    loads = {key: juror.assignments.count() for key, juror in jury.jurors.items()}
    assert loads == {"olga": 2, "petr": 2, "irina": 2}
    assert Event.objects.filter(action="contest.jury.assign").count() == 1


def test_a_rerun_keeps_what_was_made_and_tops_up(jury: Jury) -> None:
    world = jury.world
    before = set(Assignment.objects.values_list("pk", flat=True))
    run = actions.run_assignment(world.staff, world.contest)
    assert (run.created, run.removed) == (0, 0)
    actions.change_jury_settings(world.staff, world.contest, 3, "scoring")
    run = actions.run_assignment(world.staff, world.contest)
    assert before <= set(Assignment.objects.values_list("pk", flat=True))
    assert jurors_of(jury, "anna") == {"olga", "petr", "irina"}
    assert run.short == 2  # the city's and Борис's entries have only two allowed jurors


def test_the_assignment_runs_only_after_the_call(world: World) -> None:
    with pytest.raises(ValidationError, match="после окончания приёма"):
        actions.run_assignment(world.staff, world.contest)


def test_a_declared_conflict_reassigns_the_entry_and_drops_the_scores(jury: Jury) -> None:
    given = jury.assignment("petr", "anna")
    actions.save_scores(jury.users["petr"], given, {jury.categories[0].pk: 7})
    with pytest.raises(ValidationError, match="причину"):
        actions.declare_conflict(jury.users["petr"], given, " ")
    actions.declare_conflict(jury.users["petr"], given, "Автор — моя студентка")
    assert jurors_of(jury, "anna") == {"olga", "irina"}
    assert not Score.objects.filter(assignment=given).exists()
    assert not jury.users["petr"].has_perm("contests.review_entry", given)
    actions.run_assignment(jury.world.staff, jury.world.contest)  # never back to petr
    assert jurors_of(jury, "anna") == {"olga", "irina"}
    assert Event.objects.get(action="contest.review.conflict").data["reassigned"] == 1


# -- scores ---------------------------------------------------------------------------------------


def test_scores_within_the_scales_by_the_assigned_juror_while_judging(
    jury: Jury, clock: Clock
) -> None:
    idea, craft = jury.categories
    given = jury.assignment("olga", "anna")
    with pytest.raises(ValidationError, match="от 1 до 5"):
        actions.save_scores(jury.users["olga"], given, {idea.pk: 8, craft.pk: 9})
    with pytest.raises(PermissionDenied):
        actions.save_scores(jury.users["irina"], given, {idea.pk: 8})
    actions.save_scores(jury.users["olga"], given, {idea.pk: 8})
    given.refresh_from_db()
    assert given.scored is None
    actions.save_scores(jury.users["olga"], given, {idea.pk: 8, craft.pk: 4}, "Сильная работа")
    given.refresh_from_db()
    assert given.scored is not None
    assert given.comment == "Сильная работа"
    assert sorted(given.scores.values_list("value", flat=True)) == [4, 8]
    with pytest.raises(ValidationError, match="критерии больше нельзя менять"):
        actions.add_category(jury.world.staff, jury.world.contest, actions.CategoryData("Ещё"))
    actions.change_jury_settings(jury.world.staff, jury.world.contest, 2, "closed")
    with pytest.raises(ValidationError, match="завершена"):
        actions.save_scores(jury.users["olga"], given, {idea.pk: 1})
    actions.change_jury_settings(jury.world.staff, jury.world.contest, 2, "scoring")
    clock.now = jury.world.contest.results_published
    with pytest.raises(ValidationError, match="Оценки ставятся"):
        actions.save_scores(jury.users["olga"], given, {idea.pk: 1})
    assert Event.objects.filter(action="contest.review.score").count() == 2


def test_the_review_page_scores_and_hides_others_until_the_discussion(jury: Jury) -> None:
    idea, craft = jury.categories
    olga, petr = client_of(jury.users["olga"]), client_of(jury.users["petr"])
    mine = jury.assignment("olga", "anna")
    url = f"/jury/reviews/{mine.pk}/"
    response = olga.post(url, {f"c{idea.pk}": "9", f"c{craft.pk}": "5", "comment": "Ярко"})
    assert response.status_code == 302
    assert olga.post(url, {f"c{idea.pk}": "99"}).status_code == 400
    theirs = f"/jury/reviews/{jury.assignment('petr', 'anna').pk}/"
    assert "Оценки других членов жюри" not in petr.get(theirs).content.decode()
    actions.change_jury_settings(jury.world.staff, jury.world.contest, 2, "discussion")
    page = petr.get(theirs).content.decode()
    assert "Оценки других членов жюри" in page
    assert "Идея — 9" in page
    assert "Ярко" not in page  # the comment is the organisers'
    staff = (
        client_of(jury.world.staff)
        .get(f"/staff/contests/{jury.world.contest.pk}/assignments/")
        .content.decode()
    )
    assert "Ярко" in staff


def test_anonymous_review_hides_the_applicant_and_the_file_names(jury: Jury) -> None:
    world = jury.world
    given = jury.assignment("olga", "anna")
    olga = client_of(jury.users["olga"])
    named = olga.get(f"/jury/reviews/{given.pk}/").content.decode()
    assert "Анна Соколова" in named
    assert "Вологда" in named
    Contest.objects.filter(pk=world.contest.pk).update(anonymous_review=True)
    page = olga.get(f"/jury/reviews/{given.pk}/").content.decode()
    for hidden in ("Анна", "Соколова", "Вологда", "двор.jpg", "anna@example.org"):
        assert hidden not in page, hidden
    assert "Мой двор" in page  # the work's own answers are what is judged
    upload = jury.entries["anna"].files.get()
    response = olga.get(f"/jury/reviews/{given.pk}/files/{upload.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert f'filename="entry-{jury.entries["anna"].pk}-1.jpg"' in response["Content-Disposition"]
    assert olga.get(f"/jury/reviews/{given.pk}/files/{upload.pk}/thumbnail").status_code == 200
    # Petr's entry is not Olga's: not found.
    other = jury.assignment("petr", "city")
    assert olga.get(f"/jury/reviews/{other.pk}/").status_code == 404


# -- the pages and their queries ------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more(jury: Jury, entries: int, jurors: int) -> None:
    world = jury.world
    user = User.objects.create_user("many@example.org", email="many@example.org")
    Application.objects.bulk_create(
        Application(
            contest=world.contest,
            kind=Application.Kind.INDIVIDUAL,
            status=Application.Status.SUBMITTED,
            user=user,
            email="many@example.org",
            first_name=f"Участник {number}",
            last_name="Тестов",
            city=("Вологда", "Пермь", "Тверь")[number % 3],
            nomination=world.contest.nominations.first(),
            submitted=JUDGING_NOW,
        )
        for number in range(entries)
    )
    for number in range(jurors):
        seat(world, f"juror{number}", city=("Тверь", "")[number % 2])
    actions.run_assignment(world.staff, world.contest)


def test_the_jurors_and_the_staffs_pages_in_a_fixed_number_of_queries(jury: Jury) -> None:
    world = jury.world
    olga, staff = client_of(jury.users["olga"]), client_of(world.staff)
    urls = {
        "juror's list": (olga, f"/jury/{world.contest.pk}/"),
        "juror's juries": (olga, "/jury/"),
        "review": (olga, f"/jury/reviews/{jury.assignment('olga', 'anna').pk}/"),
        "staff's jury": (staff, f"/staff/contests/{world.contest.pk}/jury/"),
        "staff's assignments": (staff, f"/staff/contests/{world.contest.pk}/assignments/"),
    }
    few = {name: _queries(client, url) for name, (client, url) in urls.items()}
    _more(jury, entries=57, jurors=3)  # 60 entries, 6 jurors
    assert Application.objects.filter(status="submitted").count() == 60
    assert Juror.objects.filter(accepted__isnull=False).count() == 6
    many = {name: _queries(client, url) for name, (client, url) in urls.items()}
    assert many == few
    page = staff.get(f"/staff/contests/{world.contest.pk}/assignments/").content.decode()
    assert "Участник 56" in page
    assert len(jury.jurors["olga"].assignments.all()) >= 19


def test_the_staffs_jury_page_invites_sets_categories_and_assigns(
    world: World, clock: Clock
) -> None:
    staff = client_of(world.staff)
    base = f"/staff/contests/{world.contest.pk}/jury/"
    assert "В жюри пока никого нет" in staff.get(base).content.decode()
    assert staff.post(base + "jurors/", {"email": "e@x.org", "name": "Эксперт"}).status_code == 302
    assert staff.post(base + "jurors/", {"email": "not an address"}).status_code == 400
    data = {"title": "Идея", "weight": "1.5", "min_score": "0", "max_score": "10"}
    assert staff.post(base + "categories/", data).status_code == 302
    data = {"jurors_per_entry": "2", "review_phase": "discussion"}
    assert staff.post(base + "settings/", data).status_code == 302
    page = staff.get(base).content.decode()
    assert "Эксперт" in page
    assert "Идея" in page
    assert "0–10" in page
    world.contest.refresh_from_db()
    assert (world.contest.jurors_per_entry, world.contest.review_phase) == (2, "discussion")
    response = staff.post(base + "assign/", follow=True)
    assert "после окончания приёма" in response.content.decode()  # the call is open


def test_the_jurors_home_and_list(jury: Jury) -> None:
    olga = client_of(jury.users["olga"])
    home = olga.get("/jury/").content.decode()
    assert jury.world.contest.title in home
    page = olga.get(f"/jury/{jury.world.contest.pk}/").content.decode()
    assert f"Заявка № {jury.entries['anna'].pk}" in page
    assert f"Заявка № {jury.entries['city'].pk}" not in page
    assert client_of(jury.world.nobody).get(f"/jury/{jury.world.contest.pk}/").status_code == 403


def test_the_english_jury_pages(jury: Jury) -> None:
    olga = client_of(jury.users["olga"])
    page = olga.get(f"/en/jury/reviews/{jury.assignment('olga', 'anna').pk}/").content.decode()
    assert "Your score" in page
    assert "Conflict of interest" in page
    staff = client_of(jury.world.staff)
    assert (
        "Score categories"
        in staff.get(f"/en/staff/contests/{jury.world.contest.pk}/jury/").content.decode()
    )


# -- a juror's personal data ----------------------------------------------------------------------


def test_a_jurors_seat_is_in_the_export_and_erased_without_the_scores(jury: Jury) -> None:
    idea, craft = jury.categories
    olga = jury.users["olga"]
    given = jury.assignment("olga", "anna")
    actions.save_scores(olga, given, {idea.pk: 8, craft.pk: 4}, "Сильная работа")
    data = privacy.export(jury.world.staff, olga)
    [seat_data] = data["jury_seats"]
    assert seat_data["organisation_name"] == "Мэрия г. Череповца"
    assert {"Идея": 8, "Исполнение": 4} in [a["scores"] for a in seat_data["assignments"]]
    privacy.erase(jury.world.staff, olga)
    juror = Juror.objects.get(pk=jury.jurors["olga"].pk)
    assert (juror.user, juror.name, juror.organisation_name) == (None, privacy.ERASED, "")
    assert juror.removed is not None
    given.refresh_from_db()
    assert given.comment == ""
    assert given.scores.count() == 2  # the jury's record stays
    assert "olga@jury.example" not in json.dumps(list(Juror.objects.values("email", "name")))
