"""Regenerate tests/data/plan-2024.libreoffice.docx: the 2024 seed as a real office suite writes it.

The seed (examples/plan-2024.txt) is written as an HTML page laid out as the Word original is
(bold centred title lines, a bordered table, headings spanning its four columns, cells of two
paragraphs, the footnote mark as <sup>1</sup>, the footnote text and the note between two
tables), and LibreOffice Writer converts the page to DOCX. Only needed to regenerate the fixture:

    apt-get install -y --no-install-recommends libreoffice-writer
    .venv/bin/python tests/data/make_libreoffice_fixture.py
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from civicplan.plandoc.raw import RawHeading, RawNote, RawRow
from civicplan.plandoc.readers import read_raw
from civicplan.plandoc.readers.text import clean

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "plan-2024.txt"
TARGET = ROOT / "tests" / "data" / "plan-2024.libreoffice.docx"
HEADER = ("Сроки", "Мероприятия", "Место проведения", "Ответственный")
ROLES = ("when", "title", "place", "responsible")
PARAGRAPH_BREAKS = re.compile(r" (?=Общее собрание Ассоциации|Подведение итогов)")


def seed_html() -> str:
    text = SEED.read_text(encoding="utf-8")
    title = [clean(line) for line in text.split("Сроки\t", 1)[0].splitlines() if clean(line)]
    document = read_raw(SEED.read_bytes(), SEED.name)
    out = [
        "<!DOCTYPE html>",
        '<html lang="ru"><head><meta charset="utf-8"><title>План</title><style>',
        "body { font-family: 'Times New Roman'; font-size: 12pt }",
        "table { border-collapse: collapse; width: 100% }",
        "td, th { border: 1px solid black; vertical-align: top; padding: 2pt }",
        "</style></head><body>",
    ]
    out += [f'<p align="center"><b>{html.escape(line)}</b></p>' for line in title]
    header = "".join(f"<th>{html.escape(name)}</th>" for name in HEADER)
    out.append(f"<table><tr>{header}</tr>")
    marks: dict[str, int] = {}
    written: set[int] = set()
    for item in document.items:
        if isinstance(item, RawHeading):
            text = html.escape(item.text)
            if item.text == "1 ПОЛУГОДИЕ":
                text = f"<i>{text}</i>"
            out.append(f'<tr><td colspan="4" align="center"><b>{text}</b></td></tr>')
        elif isinstance(item, RawNote):
            out.append("</table>")
            for footnote, number in marks.items():
                if number not in written:
                    written.add(number)
                    out.append(f"<p><sup>{number}</sup> {html.escape(footnote)}</p>")
            out.append(f"<p>{html.escape(item.text)}</p>")
            out.append("<table>")
        elif isinstance(item, RawRow):
            cells = [html.escape(item.cells.get(role, "")) for role in ROLES]
            for footnote in item.footnotes:
                number = marks.setdefault(footnote, len(marks) + 1)
                cells[1] += f" <sup>{number}</sup>"
            parts = PARAGRAPH_BREAKS.split(cells[1])
            if len(parts) > 1:
                cells[1] = "".join(f"<p>{part}</p>" for part in parts)
            out.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    out.append("</table></body></html>")
    return "\n".join(out)


def main() -> int:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice (soffice) is not installed", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as work:
        page = Path(work) / "plan-2024.html"
        page.write_text(seed_html(), encoding="utf-8")
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{work}/profile",
                "--headless",
                "--infilter=HTML (StarWriter)",
                "--convert-to",
                "docx:MS Word 2007 XML",
                "--outdir",
                work,
                str(page),
            ],
            check=True,
            timeout=300,
        )
        shutil.copyfile(page.with_suffix(".docx"), TARGET)
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
