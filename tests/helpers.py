"""Small helpers shared by tests of different apps."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

from civicplan.audit.actions import record

FONTS = Path(__file__).resolve().parents[1] / "src" / "civicplan" / "static" / "fonts"


def data_changed() -> None:
    """Say that a test changed data with the ORM directly. Real changes go through actions,
    which write the audit log; the page cache (civicplan.common.pagecache) reads its version
    there, so a raw write must say so too."""
    record(None, "test.change", "a test changed data directly")


def unversioned(data: dict) -> dict:
    """A plan's JSON without its version: what a file reader gives back, the version being the
    database's (a DOCX keeps it in the page header, not in the plan it reads)."""
    return {**data, "plan": {k: v for k, v in data["plan"].items() if k != "version"}}


def run_tool(*command: str, timeout: int = 180, env: dict[str, str] | None = None) -> str:
    """A command-line tool's output (LibreOffice, poppler); its failure fails the test."""
    return subprocess.run(
        command, check=True, capture_output=True, text=True, timeout=timeout, env=env
    ).stdout


def with_project_fonts(work: Path) -> dict[str, str]:
    """The environment for LibreOffice to also see the project's Liberation Serif (metric-
    compatible with Times New Roman, which fontconfig maps to it), so that pages break as in
    Word even on a machine without Times; nothing is installed on the system."""
    config = work / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{FONTS}</dir><cachedir>{work / 'fontcache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(config)}


def libreoffice_pdf(source: Path, work: Path) -> Path:
    """`source` (a DOCX) converted to PDF by LibreOffice in `work`, with a profile of its own
    (so that conversions run in parallel) and the project's fonts."""
    run_tool(
        "soffice",
        f"-env:UserInstallation=file://{work}/profile",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(work),
        str(source),
        env=with_project_fonts(work),
    )
    converted = work / f"{source.stem}.pdf"
    assert converted.exists(), "LibreOffice wrote no PDF"
    return converted


def loaded_width(page: Any, image: Any) -> int:
    """The natural width of a picture on a browser test's page once it has loaded (an image
    still on its way is 0 wide; a lazy one loads once seen)."""
    image.scroll_into_view_if_needed()
    handle = image.element_handle()
    page.wait_for_function("img => img.complete", arg=handle)
    return page.evaluate("img => img.naturalWidth", handle)
