"""`civicplan timeframe`: the console command, one phrase or one per line from stdin."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

KEYS = {"text", "start", "end", "precision", "recurrence", "deadline", "edtf", "display", "warning"}
KEYS |= {"start_time", "end_time"}


def _civicplan() -> list[str]:
    script = Path(sys.executable).with_name("civicplan")
    return [str(script)] if script.exists() else [shutil.which("civicplan") or "civicplan"]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_civicplan(), "timeframe", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


def test_one_phrase_prints_one_json_object() -> None:
    result = run("4-5 апреля 2024 г.")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record == {
        "text": "4-5 апреля 2024 г.",
        "start": "2024-04-04",
        "end": "2024-04-05",
        "precision": "days",
        "start_time": None,
        "end_time": None,
        "recurrence": None,
        "deadline": False,
        "edtf": "2024-04-04/2024-04-05",
        "display": "4-5 апреля 2024 г.",
        "warning": None,
    }


def test_year_option_is_the_default_year() -> None:
    record = json.loads(run("ежегодно, в мае", "--year", "2025").stdout)
    assert (record["start"], record["end"], record["precision"], record["recurrence"]) == (
        "2025-05-01",
        "2025-05-31",
        "month",
        "yearly",
    )


def test_dash_reads_standard_input_line_by_line_in_order() -> None:
    phrases = ["Март 2024 г.", "по согласованию", "31 февраля 2024 г.", "", "II полугодие"]
    result = run("-", "--year", "2024", stdin="\n".join(phrases) + "\n")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in records] == phrases
    assert all(set(r) == KEYS for r in records)
    assert [r["precision"] for r in records] == ["month", "unknown", "unknown", "unknown", "half"]
    assert records[2]["warning"] == "несуществующая дата: 31.02.2024"
    assert records[4]["start"] == "2024-07-01"


@pytest.mark.parametrize("args", [("Март",), ("-",)])
def test_bad_year_is_a_usage_error(args: tuple[str, ...]) -> None:
    result = run(*args, "--year", "двадцать")
    assert result.returncode != 0
    assert "--year" in result.stderr
