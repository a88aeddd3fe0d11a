"""`civicplan export_report` writes the annual report in each format from the database: to a
file, to a default name in the current directory, or to stdout; a missing plan, period or
format is a clear error with exit status 2."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from civicplan.reports.execution import read_execution
from tests.reports.conftest import Year
from tests.test_cli_timeframe import _civicplan

pytestmark = pytest.mark.django_db


def test_docx_to_a_file(year: Year, tmp_path: Path) -> None:
    target = tmp_path / "annual.docx"
    out = io.StringIO()
    call_command(
        "export_report", "--year", "2024", "--format", "docx", "-o", str(target), stdout=out
    )
    document = docx.Document(io.BytesIO(target.read_bytes()))
    assert document.paragraphs[0].text.endswith("за 2024 год")
    assert len(document.tables[1].rows) - 1 == 37
    assert str(target) in out.getvalue()


def test_a_half_year_xlsx_under_its_default_name(
    year: Year, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    call_command("export_report", "--year", "2024", "--period", "h1", "--format", "xlsx")
    workbook = openpyxl.load_workbook(tmp_path / "report-2024-h1.xlsx")
    rows = workbook["Мероприятия"].max_row - 1
    assert rows == len(read_execution(year.plan, "h1").rows) == 18


def test_pdf_to_stdout(year: Year, capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    try:
        call_command("export_report", "--year", "2024", "--format", "pdf", "--output", "-")
    except CommandError as error:  # no Pango on this machine; CI installs it
        pytest.skip(str(error))
    assert capfdbinary.readouterr().out.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--year", "2031"], "План на 2031 год не найден."),
        (["--year", "2024", "--period", "q3"], "Неизвестный период «q3»: year, h1 или h2."),
        (["--year", "2024", "--format", "odt"], "Неизвестный формат «odt»: docx, pdf или xlsx."),
    ],
)
def test_what_is_refused_exits_2(year: Year, arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("export_report", *arguments)
    assert str(refused.value) == message
    assert refused.value.returncode == 2


def test_the_command_line_exits_2_with_the_message(tmp_path: Path) -> None:
    """Through the `civicplan` program, as staff run it: the message and the status."""
    result = subprocess.run(
        [*_civicplan(), "export_report", "--year", "2024", "--period", "q3"],
        capture_output=True,
        text=True,
        env={**os.environ, "CIVICPLAN_VAR_DIR": str(tmp_path)},
        check=False,
    )
    assert result.returncode == 2
    assert "Неизвестный период «q3»: year, h1 или h2." in result.stderr
