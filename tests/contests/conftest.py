"""A contest to apply to: the 2025 plan's drawing contest row (March to May), a contest made from
it by staff with two nominations and a form of every field type, people in each role, the
server's clock held at 15 March 2025, noon in Moscow, and mail and files kept in the test."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from PIL import Image

from civicplan.accounts.models import Coordinator
from civicplan.contests import actions, phases
from civicplan.contests.actions import ContestData, Entry, FieldSpec
from civicplan.contests.files import IncomingFile
from civicplan.contests.models import Application, Assignment, Contest, Juror, ScoreCategory
from civicplan.directory.models import Membership, Organisation
from civicplan.plans.models import Activity, Plan

MOSCOW = ZoneInfo("Europe/Moscow")
MB = 1024 * 1024


def moscow(*args: int) -> datetime:
    return datetime(*args, tzinfo=MOSCOW)


OPENS = moscow(2025, 3, 1, 0, 0)
CLOSES = moscow(2025, 4, 1, 18, 0)
JUDGING = moscow(2025, 4, 2, 0, 0)
RESULTS = moscow(2025, 5, 15, 12, 0)
NOW = moscow(2025, 3, 15, 12, 0)


class Clock:
    """The server's time as `phases.now()` gives it; a test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    held = Clock(NOW)
    monkeypatch.setattr(phases, "now", lambda: held.now)
    return held


@pytest.fixture(autouse=True)
def _mail_and_media(settings, tmp_path: Path) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CIVICPLAN_SITE_URL = "https://plan.example.org"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def jpeg(width: int = 1200, height: int = 900, colour: str = "#36a") -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(stream, "JPEG")
    return stream.getvalue()


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx() -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return stream.getvalue()


@dataclass
class World:
    contest: Contest
    activity: Activity
    staff: User
    coordinator: User  # of Череповец, a member
    other: User  # a coordinator of Пермь, a member
    nobody: User  # signed in, no role
    member: Organisation
    fields: dict[str, int]  # field id by kind

    def key(self, kind: str) -> str:
        return f"f{self.fields[kind]}"


def _member(name: str, key: str) -> Organisation:
    organisation = Organisation.objects.create(name=name, key=key, kind=Organisation.Kind.MUNICIPAL)
    Membership.objects.create(organisation=organisation, joined_on=date(2015, 1, 1))
    return organisation


def contest_data(**changes: object) -> ContestData:
    fields = {
        "title": "Здоровые города глазами детей",
        "call_opens": OPENS,
        "call_closes": CLOSES,
        "judging_starts": JUDGING,
        "results_published": RESULTS,
        "summary": "Рисунки детей о здоровом городе.",
        "rules": '<p>Работы принимаются до 1 апреля.</p><script>alert("x")</script>',
        "for_municipalities": True,
        "for_organisations": True,
        "for_individuals": True,
        "published": True,
    }
    fields.update(changes)
    return ContestData(**fields)


@pytest.fixture
def world(db, clock: Clock) -> World:
    owner = Organisation.objects.create(name="Ассоциация «Здоровые города»", key="ассоциация")
    plan = Plan.objects.create(
        owner=owner, year=2025, title="План на 2025 год", status=Plan.Status.APPROVED
    )
    activity = Activity.objects.create(
        plan=plan,
        position=1,
        title="Конкурс детского рисунка «Здоровые города глазами детей»",
        when_text="Март–май 2025 г.",
        start=date(2025, 3, 1),
        end=date(2025, 5, 31),
        kind=Activity.Kind.CONTEST,
    )
    staff = User.objects.create_user("staff@example.org", email="staff@example.org", is_staff=True)
    member = _member("Мэрия г. Череповца", "мэрия череповца")
    coordinator = User.objects.create_user(
        "coord@cherepovets.example", email="coord@cherepovets.example", first_name="Мария",
        last_name="Иванова",
    )  # fmt: skip
    Coordinator.objects.create(user=coordinator, organisation=member)
    other = User.objects.create_user("coord@perm.example", email="coord@perm.example")
    Coordinator.objects.create(user=other, organisation=_member("Администрация г. Перми", "пермь"))
    nobody = User.objects.create_user("nobody@example.org", email="nobody@example.org")
    contest = actions.create_contest(staff, activity, contest_data())
    actions.add_nomination(staff, contest, "Рисунок", "Дети 5–11 лет")
    actions.add_nomination(staff, contest, "Плакат")
    specs = {
        "text": FieldSpec("text", "Название работы", required=True),
        "long_text": FieldSpec("long_text", "О работе", max_length=1000),
        "number": FieldSpec("number", "Участников", min_value=Decimal(1), max_value=Decimal(30)),
        "choice": FieldSpec("choice", "Техника", choices=["Гуашь", "Акварель", "Карандаш"]),
        "file": FieldSpec(
            "file", "Работа", required=True, file_types=["jpeg", "png", "pdf"], max_bytes=2 * MB
        ),
        "link": FieldSpec("link", "Страница работы"),
        "consent": FieldSpec("consent", "Согласен с положением о конкурсе", required=True),
    }  # fmt: skip
    fields = {kind: actions.add_field(staff, contest, spec).pk for kind, spec in specs.items()}
    return World(contest, activity, staff, coordinator, other, nobody, member, fields)


def entry(world: World, **changes: object) -> Entry:
    """A complete individual's entry (a drawing by an adult) in the first nomination."""
    values = {
        "kind": Application.Kind.INDIVIDUAL,
        "first_name": "Анна",
        "last_name": "Соколова",
        "email": "anna@example.org",
        "nomination": world.contest.nominations.first().pk,
        "city": "Вологда",
        "answers": {
            world.key("text"): "Мой двор",
            world.key("long_text"): "Гуашь на картоне.",
            world.key("number"): "1",
            world.key("choice"): "Гуашь",
            world.key("link"): "https://example.org/work",
            world.key("consent"): True,
        },
        "files": {world.key("file"): IncomingFile("двор.jpg", jpeg())},
    }
    values.update(changes)
    return Entry(**values)


# -- the jury ------------------------------------------------------------------------------------

JUDGING_NOW = moscow(2025, 4, 10, 12, 0)


@dataclass
class Jury:
    """Three counting entries, three jurors who accepted (one of Череповец's mayoralty, which
    entered), two score categories, the clock in the judging phase and the entries assigned."""

    world: World
    entries: dict[str, Application]  # "anna" (Вологда), "city" (Череповец), "boris" (Пермь)
    jurors: dict[str, Juror]  # "olga" (Мэрия г. Череповца), "petr" (Пермь), "irina"
    users: dict[str, User]
    categories: list[ScoreCategory]

    def assignment(self, juror: str, entry: str) -> Assignment:
        return Assignment.objects.get(juror=self.jurors[juror], application=self.entries[entry])


def seat(world: World, key: str, **data: object) -> tuple[User, Juror]:
    """A juror invited by staff who accepted with their own account."""
    from civicplan.contests import confirmation

    email = f"{key}@jury.example"
    user = User.objects.create_user(email, email=email, first_name=key.title())
    juror = actions.invite_juror(
        world.staff, world.contest, actions.JurorData(email=email, name=key.title(), **data)
    )
    actions.accept_jury_invitation(user, confirmation.juror_token(juror))
    juror.refresh_from_db()
    return user, juror


@pytest.fixture
def jury(world: World, clock: Clock) -> Jury:
    anna = actions.save_application(world.nobody, world.contest, entry(world), submit=True)
    city = actions.save_application(
        world.coordinator,
        world.contest,
        entry(world, kind=Application.Kind.MUNICIPALITY, city="Череповец"),
        submit=True,
    )
    boris_user = User.objects.create_user("boris@example.org", email="boris@example.org")
    boris = actions.save_application(
        boris_user,
        world.contest,
        entry(world, first_name="Борис", email="boris@example.org", city="Пермь"),
        submit=True,
    )
    users, jurors = {}, {}
    for key, data in (
        ("olga", {"organisation_name": "Мэрия г. Череповца"}),
        ("petr", {"city": "Пермь"}),
        ("irina", {}),
    ):
        users[key], jurors[key] = seat(world, key, **data)
    categories = [
        actions.add_category(world.staff, world.contest, actions.CategoryData("Идея", Decimal(2))),
        actions.add_category(
            world.staff, world.contest, actions.CategoryData("Исполнение", Decimal(1), 1, 5)
        ),
    ]
    actions.change_jury_settings(world.staff, world.contest, 2, Contest.ReviewPhase.SCORING)
    clock.now = JUDGING_NOW
    world.contest.refresh_from_db()
    actions.run_assignment(world.staff, world.contest)
    return Jury(world, {"anna": anna, "city": city, "boris": boris}, jurors, users, categories)
