"""Legacy .doc, .xls and RTF plans (`readers.convert`): sniffed from their content, converted by
LibreOffice and read as DOCX/XLSX; without LibreOffice, a message naming the package. The files
are made by LibreOffice itself from the seed (the tests that need it skip without it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from civicplan.plandoc.errors import PlanReadError
from civicplan.plandoc.readers import check_file, convert, read_source
from tests.plandoc.builders import SEED, seed_xlsx
from tests.plandoc.test_readers_odf import activities, seed_odt


def _soffice() -> str:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice not installed "
            "(apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)"
        )
    return soffice


@pytest.fixture(scope="module")
def legacy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The seed as .rtf and .doc (from its ODT) and .xls (from its XLSX), by LibreOffice."""
    soffice = _soffice()
    work = tmp_path_factory.mktemp("legacy")
    (work / "plan-2024.odt").write_bytes(seed_odt())
    (work / "plan-2024.xlsx").write_bytes(seed_xlsx())
    for target, source in (("rtf", "odt"), ("doc", "odt"), ("xls", "xlsx")):
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{work}/profile",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(work / "out"),
                str(work / f"plan-2024.{source}"),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    kinds = ("rtf", "doc", "xls")
    return {kind: (work / "out" / f"plan-2024.{kind}").read_bytes() for kind in kinds}


def test_kinds_are_sniffed_from_the_content(legacy):
    assert convert.sniff(legacy["doc"], "plan.xls") == "doc"
    assert convert.sniff(legacy["xls"], "plan.doc") == "xls"
    assert convert.sniff(legacy["rtf"], "plan.txt") == "rtf"
    assert convert.sniff("Сроки\tМероприятия".encode(), "plan.doc") is None


@pytest.mark.parametrize("kind", ["doc", "xls", "rtf"])
def test_the_seed_converted_reads_as_the_text_seed(legacy, kind):
    expected = activities(SEED.read_bytes(), SEED.name)
    check_file(legacy[kind], f"plan-2024.{kind}")
    assert activities(legacy[kind], f"plan-2024.{kind}") == expected


def test_other_compound_files_and_damaged_ones_are_refused(legacy):
    damaged = legacy["doc"][:2048]
    with pytest.raises(PlanReadError, match="файл Word или Excel 97-2003 повреждён"):
        check_file(damaged, "plan.doc")


@pytest.mark.parametrize(
    ("data", "package"),
    [(b"{\\rtf1\\ansi plan}", "libreoffice-writer-nogui")],
)
def test_without_libreoffice_the_message_names_the_package(monkeypatch, data, package):
    monkeypatch.setattr(convert, "_soffice", lambda: None)
    for call in (check_file, read_source):
        with pytest.raises(PlanReadError, match=f"нужен LibreOffice \\(пакет Debian {package}\\)"):
            call(data, "plan.rtf")


def test_without_libreoffice_an_xls_names_calc(monkeypatch, legacy):
    monkeypatch.setattr(convert, "_soffice", lambda: None)
    with pytest.raises(PlanReadError, match=r"libreoffice-calc-nogui.*сохраните план как DOCX"):
        check_file(legacy["xls"], "plan.xls")


def _fake_soffice(tmp_path: Path, script: str) -> str:
    path = tmp_path / "soffice"
    path.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def test_a_conversion_that_hangs_is_killed(monkeypatch, tmp_path):
    monkeypatch.setattr(convert, "_soffice", lambda: _fake_soffice(tmp_path, "sleep 30"))
    monkeypatch.setattr(convert, "SECONDS", 1)
    with pytest.raises(PlanReadError, match="LibreOffice не преобразовал файл за 1 с"):
        read_source(b"{\\rtf1 plan}", "plan.rtf")


def test_an_oversized_conversion_is_refused(monkeypatch, tmp_path):
    # the fake writes a 21 MB "DOCX" where LibreOffice would write the converted file
    script = (
        'for last; do :; done; out=$(dirname "$last")/out; mkdir -p "$out"; '
        'head -c 22020096 /dev/zero > "$out/plan.docx"'
    )
    monkeypatch.setattr(convert, "_soffice", lambda: _fake_soffice(tmp_path, script))
    with pytest.raises(PlanReadError, match="после преобразования LibreOffice файл больше 20 МБ"):
        read_source(b"{\\rtf1 plan}", "plan.rtf")


def test_a_failed_conversion_says_so(monkeypatch, tmp_path):
    monkeypatch.setattr(convert, "_soffice", lambda: _fake_soffice(tmp_path, "exit 1"))
    with pytest.raises(PlanReadError, match="LibreOffice не смог преобразовать файл RTF"):
        read_source(b"{\\rtf1 plan}", "plan.rtf")
