"""Fixtures of the accounts tests: organisations, people in each role, an approved plan with
activities, real small files, and mail kept in memory."""

from __future__ import annotations

import struct
import zlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from civicplan.accounts.models import Coordinator
from civicplan.directory.models import Membership, Organisation
from civicplan.plans.models import Activity, Plan, Responsibility

PASSWORD = "Зелёный-город-2025"


@pytest.fixture(autouse=True)
def _mail_and_media(settings, tmp_path: Path) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CIVICPLAN_SITE_URL = "https://plan.example.org"
    # A fast hasher: the suite logs in and sets passwords many times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _organisation(name: str, key: str, *, member: bool) -> Organisation:
    organisation = Organisation.objects.create(
        name=name, key=key, kind=Organisation.Kind.MUNICIPAL if member else Organisation.Kind.NGO
    )
    if member:
        Membership.objects.create(organisation=organisation)
    return organisation


@pytest.fixture
def cherepovets(db) -> Organisation:
    return _organisation("Мэрия города Череповца", "мэрия города череповца", member=True)


@pytest.fixture
def perm(db) -> Organisation:
    return _organisation("Администрация города Перми", "администрация города перми", member=True)


@pytest.fixture
def fund(db) -> Organisation:
    return _organisation(
        "Благотворительный фонд «Анна»", "благотворительный фонд анна", member=False
    )


def _user(username: str, **fields) -> User:
    return User.objects.create_user(username, email=username, password=PASSWORD, **fields)


@pytest.fixture
def coordinator(cherepovets: Organisation) -> User:
    user = _user("press@cherepovets.example.ru", first_name="Мария", last_name="Иванова")
    Coordinator.objects.create(user=user, organisation=cherepovets)
    return user


@pytest.fixture
def colleague(cherepovets: Organisation) -> User:
    """A second coordinator of the same organisation."""
    user = _user("info@cherepovets.example.ru", first_name="Пётр", last_name="Смирнов")
    Coordinator.objects.create(user=user, organisation=cherepovets)
    return user


@pytest.fixture
def other_coordinator(perm: Organisation) -> User:
    user = _user("press@perm.example.ru", first_name="Олег", last_name="Кузнецов")
    Coordinator.objects.create(user=user, organisation=perm)
    return user


@pytest.fixture
def staff(db) -> User:
    return _user("director@zdorovye-goroda.example.ru", first_name="Анна", is_staff=True)


@pytest.fixture
def nobody(db) -> User:
    """Logged in, but neither staff nor coordinator."""
    return _user("someone@example.org")


@pytest.fixture
def plan(cherepovets: Organisation, perm: Organisation) -> Plan:
    """An approved plan of this year: two activities of Cherepovets (one past, one to come)
    and one of Perm."""
    today = timezone.localdate()
    owner = _organisation("Ассоциация", "ассоциация", member=False)
    plan = Plan.objects.create(
        owner=owner, year=today.year, title="План", status=Plan.Status.APPROVED
    )

    def activity(position: int, title: str, start: date, organisation: Organisation) -> Activity:
        created = Activity.objects.create(
            plan=plan,
            position=position,
            title=title,
            when_text=f"{start.day}.{start.month:02d}.{start.year}",
            start=start,
            end=start,
            precision=Activity.Precision.DAY,
        )
        Responsibility.objects.create(
            activity=created, organisation=organisation, written_as=organisation.name
        )
        return created

    activity(1, "Форум «Здоровый Череповец» прошедший", today - timedelta(days=20), cherepovets)
    activity(2, "Конференция в Череповце предстоящая", today + timedelta(days=30), cherepovets)
    activity(3, "Фестиваль в Перми", today + timedelta(days=10), perm)
    return plan


def png_bytes() -> bytes:
    """A valid 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x80\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def pdf_bytes() -> bytes:
    """A valid one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
    ]
    stream = b"BT /F1 12 Tf 20 100 Td (Post-release) Tj ET"
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def exe_bytes() -> bytes:
    """The start of a Windows executable (MZ header, PE signature)."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"PE\x00\x00" + b"\x00" * 200
