"""Importing plans into the database: the command, atomicity, replacing, exporting back."""

from __future__ import annotations

import gc
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Model

from civicplan.directory.models import Organisation, OrganisationAlias, Place
from civicplan.plandoc.jsonio import plan_to_json
from civicplan.plans import actions
from civicplan.plans.exporting import plan_document
from civicplan.plans.importing import ImportRefused, import_plan
from civicplan.plans.models import Activity, Plan, Responsibility, Section
from tests.conftest import SEED, only_expected_keys
from tests.helpers import unversioned

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_prints_a_summary_and_export_gives_the_expected_json(
    tmp_path: Path, expected_plan: dict[str, Any]
) -> None:
    output = run("import_plan", str(SEED))
    assert "plan-2024.txt, 2024" in output
    assert "мероприятий:          37" in output
    # the near miss is reported with its row and field
    assert "строка 21, ответственный: «Дирекция Ассоциация» сопоставлено" in output
    plan = Plan.objects.get()
    assert plan.status == Plan.Status.DRAFT
    assert plan.source_file.read() == SEED.read_bytes()

    target = tmp_path / "plan.json"
    run("export_plan", "--year", "2024", "--format", "json", "-o", str(target))
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert only_expected_keys(expected_plan, exported) == expected_plan


def test_database_round_trip_is_lossless(seed_bytes: bytes) -> None:
    from civicplan.plandoc import read_plan

    summary = import_plan(seed_bytes, "plan-2024.txt", status=Plan.Status.APPROVED)
    plan = Plan.objects.get(pk=summary.plan_id)
    assert plan.status == Plan.Status.APPROVED
    stored = plan_to_json(plan_document(plan))
    assert stored["plan"]["version"]["number"] == 1
    assert unversioned(stored) == plan_to_json(read_plan(seed_bytes, "x.txt"))


def test_dry_run_writes_nothing() -> None:
    output = run("import_plan", str(SEED), "--dry-run")
    assert "ничего не записано" in output
    assert "мероприятий:          37" in output
    assert not Plan.objects.exists()
    assert not Organisation.objects.exists()
    assert not Activity.objects.exists()


def test_same_plan_again_is_refused_unless_replaced(seed_bytes: bytes) -> None:
    import_plan(seed_bytes, "plan-2024.txt")
    first = Plan.objects.get().pk
    rows = set(Activity.objects.values_list("pk", flat=True))
    with pytest.raises(CommandError, match="уже импортирован") as refused:
        run("import_plan", str(SEED))
    assert refused.value.returncode == 2
    assert Plan.objects.get().pk == first
    output = run("import_plan", str(SEED), "--replace", "--status", "approved")
    assert "заменён" in output
    plan = Plan.objects.get()
    assert plan.pk == first  # the plan of the year stays (with its versions); its rows are new
    assert not rows & set(plan.activities.values_list("pk", flat=True))
    assert plan.status == Plan.Status.APPROVED
    assert list(plan.versions.values_list("number", flat=True)) == [1]
    assert plan.activities.count() == 37
    assert Organisation.objects.filter(key__contains="дирекция").count() == 1


def test_an_error_in_the_middle_leaves_nothing(
    seed_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    insert_rows = actions._insert_rows

    def explode(model: type[Model], *args: Any) -> None:
        if model is Responsibility:  # the activities, organisations and places are written
            assert all(
                written.objects.exists()
                for written in (Activity, Organisation, OrganisationAlias, Place)
            )
            raise RuntimeError("disk full")
        insert_rows(model, *args)

    monkeypatch.setattr(actions, "_insert_rows", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        import_plan(seed_bytes, "plan-2024.txt")
    assert not Plan.objects.exists()
    assert not Section.objects.exists()
    assert not Activity.objects.exists()
    assert not Organisation.objects.exists()
    assert not OrganisationAlias.objects.exists()
    assert not Place.objects.exists()
    assert not Responsibility.objects.exists()


def test_the_collector_is_paused_while_a_plan_is_imported(
    seed_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    insert_rows = actions._insert_rows

    def watch(model: type[Model], *args: Any) -> None:
        seen.append(gc.isenabled())
        insert_rows(model, *args)

    monkeypatch.setattr(actions, "_insert_rows", watch)
    import_plan(seed_bytes, "plan-2024.txt")
    assert seen == [False, False]
    assert gc.isenabled()
    with pytest.raises(ImportRefused):
        import_plan(seed_bytes, "plan-2024.txt")
    assert gc.isenabled()


def test_organisations_are_recognised_across_rows_and_keep_their_spellings(
    seed_bytes: bytes, expected_plan: dict[str, Any]
) -> None:
    import_plan(seed_bytes, "plan-2024.txt")
    directorate = Organisation.objects.get(name="Дирекция Ассоциации")
    spellings = set(directorate.aliases.values_list("text", flat=True))
    assert {"Дирекция Ассоциации", "Дирекция Ассоциация"} <= spellings
    expected_rows = sum(
        party["name"] == "Дирекция Ассоциации"
        for activity in expected_plan["activities"]
        for party in activity["responsible"]
    )
    assert directorate.responsibilities.count() == expected_rows == 31
    members = Organisation.objects.get(
        aliases__text="Органы власти муниципальных образований - члены Ассоциации"
    )
    assert members.aliases.filter(
        text="Органы власти муниципальных образований – члены Ассоциации"
    ).exists()
    assert members.kind == "collective"
    # A second plan matches the organisations of the first instead of duplicating them.
    before = Organisation.objects.count()
    next_year = seed_bytes.decode("utf-8").replace("2024", "2025").encode("utf-8")
    summary = import_plan(next_year, "plan-2025.txt")
    assert summary.organisations_new == 0
    assert summary.organisations_matched > 30
    assert Organisation.objects.count() == before
    assert OrganisationAlias.objects.filter(text="Дирекция Ассоциация").count() == 1


def test_year_override_and_missing_year() -> None:
    text = "ПЛАН\nСроки\tМероприятия\tМесто проведения\tОтветственный\nМарт\tФорум\tг. Пермь\tД\n"
    with pytest.raises(ImportRefused, match="год плана не найден"):
        import_plan(text.encode("utf-8"), "plan.txt")
    summary = import_plan(text.encode("utf-8"), "plan.txt", year=2024)
    assert summary.year == 2024
    assert summary.activities == 1


def test_without_a_year_in_the_title_the_rows_give_it(seed_bytes: bytes) -> None:
    text = seed_bytes.decode("utf-8").replace(" НА 2024 ГОД", "")
    summary = import_plan(text.encode("utf-8"), "plan.txt")
    assert summary.year == 2024
    assert summary.activities == 37


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _bad_files() -> dict[str, tuple[bytes, str]]:
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
    )
    return {
        "empty.txt": (b"", "файл пустой"),
        "blank.txt": (b"  \n\n \t\n", "файл пустой"),
        "junk.bin": (bytes(range(256)) * 40, "не текстовый"),
        "no-columns.txt": ("Привет\tмир\nещё\tстрока\n".encode(), "не найдена таблица плана"),
        "bomb.docx": (
            _zip({"word/document.xml": b"<a>" + b" " * (300 * 1024 * 1024) + b"</a>"}),
            "ZIP-бомба",
        ),
        "xxe.docx": (_zip({"word/document.xml": xxe}), "DOCTYPE"),
        "broken.docx": (b"PK\x03\x04" + b"\x00" * 100, "повреждённый архив"),
        "legacy.doc": (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "не поддерживается"),
    }


@pytest.mark.parametrize("name", list(_bad_files()))
def test_bad_input_is_refused_with_a_clear_message(name: str, tmp_path: Path) -> None:
    data, message = _bad_files()[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError) as refused:
        run("import_plan", str(path))
    assert refused.value.returncode == 2
    assert name in str(refused.value)
    assert message in str(refused.value)
    assert not Plan.objects.exists()
    assert not Organisation.objects.exists()


def test_a_file_over_20_mb_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:
        stream.truncate(21 * 1024 * 1024)
    with pytest.raises(CommandError, match="больше 20 МБ") as refused:
        run("import_plan", str(path))
    assert refused.value.returncode == 2


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"nothing\.txt") as refused:
        run("import_plan", str(tmp_path / "nothing.txt"))
    assert refused.value.returncode == 2


def test_the_console_command_exits_2_without_a_traceback(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    path = tmp_path / "empty.docx"
    path.write_bytes(b"")
    script = Path(sys.executable).with_name("civicplan")
    result = subprocess.run(
        [str(script), "import_plan", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "CIVICPLAN_VAR_DIR": str(tmp_path / "var")},
        check=False,
    )
    assert result.returncode == 2
    assert "empty.docx: файл пустой" in result.stderr
    assert "Traceback" not in result.stderr


def test_replacing_a_plan_keeps_each_activitys_uid_and_raises_sequence_on_change(
    seed_bytes: bytes,
) -> None:
    import_plan(seed_bytes, "plan-2024.txt")
    before = {(a.title, a.start): (a.uid, a.sequence) for a in Activity.objects.all()}
    moved_title = "Участие в XXVII Петербургском международном экономическом форуме"
    Activity.objects.filter(title=moved_title).update(status=Activity.Status.HELD)
    edited = (
        seed_bytes.decode("utf-8").replace("5-8 июня 2024 г.", "6-9 июня 2024 г.").encode("utf-8")
    )
    import_plan(edited, "plan-2024.txt", replace=True)
    after = {a.title: a for a in Activity.objects.all()}
    assert Activity.objects.count() == 37
    for (title, start), (uid, sequence) in before.items():
        moved = title == moved_title
        now = Activity.objects.get(title=title, **({} if moved else {"start": start}))
        assert now.uid == uid
        assert now.sequence == (sequence + 1 if moved else sequence)
    assert after[moved_title].status == Activity.Status.HELD
    # The two rows with the same title keep their own UIDs (matched by title and time frame).
    twins = Activity.objects.filter(title__startswith="Реализация проекта «Улучшение")
    assert twins.count() == 2
    assert len({twin.uid for twin in twins}) == 2


def test_a_remark_stays_with_its_party_in_the_database_the_export_and_the_page(
    client: Any,
) -> None:
    text = (
        "План на 2026 год\nСроки\tМероприятие\tОтветственный\n"
        "Май\tСубботник\tЗобнин С.Н. (по согласованию), главы сельских поселений\n"
    )
    summary = import_plan(text.encode(), "plan.txt", status=Plan.Status.APPROVED)
    links = Responsibility.objects.order_by("position")
    assert [(link.written_as, link.remark) for link in links] == [
        ("Зобнин С.Н.", "по согласованию"),
        ("Главы сельских поселений", ""),
    ]
    (activity,) = plan_to_json(plan_document(Plan.objects.get(pk=summary.plan_id)))["activities"]
    assert [party["remark"] for party in activity["responsible"]] == ["по согласованию", None]
    page = client.get(Activity.objects.get().get_absolute_url()).content.decode()
    assert 'Зобнин С.Н.</a> <span class="muted">(по согласованию)</span>' in page
