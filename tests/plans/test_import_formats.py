"""The import command on every format: the DOCX, LibreOffice-DOCX and XLSX forms of the seed
import to the expected JSON; a Word file without a plan table is refused; a monthly plan."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civicplan.plandoc import read_plan
from civicplan.plans.models import Plan
from tests.conftest import ROOT, only_expected_keys
from tests.plandoc.builders import seed_docx, seed_xlsx

pytestmark = pytest.mark.django_db

FORMS = {
    "plan-2024.docx": seed_docx,
    "plan-2024.xlsx": seed_xlsx,
    "plan-2024.libreoffice.docx": lambda: (
        ROOT / "tests" / "data" / "plan-2024.libreoffice.docx"
    ).read_bytes(),
}


@pytest.mark.parametrize("name", list(FORMS))
def test_every_form_of_the_seed_imports_to_the_expected_json(
    name: str, tmp_path: Path, expected_plan: dict[str, Any]
) -> None:
    path = tmp_path / name
    path.write_bytes(FORMS[name]())
    call_command("import_plan", str(path), stdout=io.StringIO())
    target = tmp_path / "out.json"
    call_command("export_plan", "--year", "2024", "-o", str(target))
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert only_expected_keys(expected_plan, exported) == expected_plan


def _docx(build) -> bytes:
    document = docx.Document()
    build(document)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


@pytest.mark.parametrize(
    ("name", "build", "message"),
    [
        ("letter.docx", lambda d: d.add_paragraph("Уважаемые коллеги!"), "нет таблицы"),
        (
            "table.docx",
            lambda d: d.add_table(rows=2, cols=2).cell(0, 0).paragraphs[0].add_run("Привет"),
            "не найдена таблица плана",
        ),
    ],
)
def test_word_file_without_a_plan_table_is_refused(
    name: str, build, message: str, tmp_path: Path
) -> None:
    path = tmp_path / name
    path.write_bytes(_docx(build))
    with pytest.raises(CommandError) as refused:
        call_command("import_plan", str(path), stdout=io.StringIO())
    assert refused.value.returncode == 2
    assert str(refused.value).startswith(f"{name}: ")
    assert message in str(refused.value)
    assert not Plan.objects.exists()


def test_a_monthly_plan_takes_month_and_year_from_its_title() -> None:
    text = (
        "ПЛАН МЕРОПРИЯТИЙ НА МАРТ 2025 ГОДА\n"
        "Дата\tНаименование мероприятия\tМесто проведения\tОтветственный исполнитель\n"
        "5 (среда)\tСеминар для координаторов\tг. Пермь\tАдминистрация г. Перми\n"
        "12-14\tФорум «Здоровый город»\tг. Казань\tМэрия г. Казани\n"
        "в течение месяца\tКонкурс рисунков\t\tДирекция Ассоциации\n"
    )
    plan = read_plan(text.encode("utf-8"), "march.txt")
    assert (plan.year, [a.when.start.isoformat() for a in plan.activities[:2]]) == (
        2025,
        ["2025-03-05", "2025-03-12"],
    )
    assert plan.activities[1].when.end.isoformat() == "2025-03-14"
    assert [a.kind for a in plan.activities] == ["education", "forum", "contest"]
    assert plan.activities[2].format is None
    third = plan.activities[2].when
    assert (third.start.isoformat(), third.end.isoformat(), third.precision) == (
        "2025-03-01",
        "2025-03-31",
        "month",
    )
