"""Russian first, English through gettext: the catalogue is complete and compiled, and every
part — models, templates, commands and the pure libraries — speaks the active language."""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

import civicplan
from civicplan import i18n
from civicplan.plandoc import PlanReadError, read_plan
from civicplan.plandoc.model import Problem
from civicplan.plans.models import Activity, Plan
from civicplan.timeframes import parse

PACKAGE = Path(civicplan.__file__).resolve().parent
LOCALE = PACKAGE / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\((\w+)\)")


def read_po(path: Path) -> list[dict[str, object]]:
    """The entries of a .po file: msgid, msgid_plural, msgstr (or msgstr[n]) and flags.

    Enough of the format for our catalogue (no new dependency): `#` comments, `#,` flags,
    keywords each followed by a C string, continuation lines of strings; `#~` obsolete entries
    are kept apart under "obsolete"."""
    entries: list[dict[str, object]] = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry: dict[str, object] = {"flags": set(), "obsolete": False}
        key = ""
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
                continue
            if line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(","))  # type: ignore[union-attr]
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[key] += ast.literal_eval(line)  # type: ignore[operator]
            else:
                key, _, value = line.partition(" ")
                entry[key] = ast.literal_eval(value)
        entries.append(entry)
    return entries


def messages(entries: list[dict[str, object]]) -> list[dict[str, object]]:
    """The real messages: not the header, not obsolete."""
    return [e for e in entries if e.get("msgid") and not e["obsolete"]]


def translations(entry: dict[str, object]) -> list[str]:
    return [str(v) for k, v in entry.items() if k == "msgstr" or k.startswith("msgstr[")]


@pytest.fixture
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


# --- the catalogue -----------------------------------------------------------------------------


def test_the_english_catalogue_is_complete_and_not_fuzzy() -> None:
    entries = read_po(PO)
    header = next(e for e in entries if e.get("msgid") == "")
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in str(header["msgstr"])
    found = messages(entries)
    assert len(found) > 200
    assert [e["msgid"] for e in found if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in found if not all(translations(e))] == []
    assert not any(e["obsolete"] for e in entries), "run `make messages` (--no-obsolete)"


def test_translations_keep_every_placeholder() -> None:
    for entry in messages(read_po(PO)):
        wanted = set(PLACEHOLDER.findall(str(entry["msgid"])))
        for text in translations(entry):
            assert set(PLACEHOLDER.findall(text)) == wanted, entry["msgid"]
            # A translation is English, not the Russian msgid copied over.
            assert not re.search(r"[а-яё]{4,}", PLACEHOLDER.sub("", _unquoted(text)), re.I), text


def _unquoted(text: str) -> str:
    """A translation without the Russian column names it quotes on purpose («Сроки»)."""
    return re.sub(r"«[^»]*»|“[^”]*”", "", text)


def test_the_compiled_catalogue_matches_the_po() -> None:
    """The .mo (loaded at run time, committed for machines without gettext tools) holds exactly
    the .po's messages with the same translations: `make messages` was run after the last edit."""
    with MO.open("rb") as stream:
        compiled = gettext.GNUTranslations(stream)
    catalog = {k: v for k, v in compiled._catalog.items() if k != ""}  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for entry in messages(read_po(PO)):
        msgid = str(entry["msgid"])
        if "msgid_plural" in entry:
            for key, value in entry.items():
                if key.startswith("msgstr["):
                    expected[(msgid, int(key[7:-1]))] = str(value)
        else:
            expected[msgid] = str(entry["msgstr"])
    assert catalog == expected


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs the gettext tools")
def test_every_marked_message_is_in_the_catalogue(tmp_path: Path) -> None:
    """`makemessages` on a copy of the code finds no msgid the catalogue lacks (or has extra)."""
    tree = tmp_path / "tree"
    shutil.copytree(PACKAGE, tree, ignore=shutil.ignore_patterns("locale", "__pycache__", "*.pyc"))
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "i18n_check_settings.py").write_text(
        "from civicplan.settings import *  # noqa: F403\n"
        f"LOCALE_PATHS = [{str(tree / 'locale')!r}]\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(conf), os.environ.get("PYTHONPATH")])),
        "DJANGO_SETTINGS_MODULE": "i18n_check_settings",
        "CIVICPLAN_VAR_DIR": str(tmp_path / "var"),
        "CIVICPLAN_SECRET_KEY": "i18n-check",
    }
    command = ["makemessages", "-l", "en", "--no-location", "-e", "html,txt,py"]
    subprocess.run(
        [sys.executable, "-m", "django", *command],
        cwd=tree,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = {e["msgid"] for e in messages(read_po(tree / "locale/en/LC_MESSAGES/django.po"))}
    committed = {e["msgid"] for e in messages(read_po(PO))}
    assert sorted(fresh - committed) == [], "run `make messages` and translate the new msgids"
    assert sorted(committed - fresh) == [], "run `make messages` to drop msgids no longer used"


# --- Django parts ------------------------------------------------------------------------------


@pytest.mark.usefixtures("english")
def test_models_speak_english() -> None:
    assert str(Plan._meta.verbose_name) == "plan"
    assert str(Plan._meta.verbose_name_plural) == "plans"
    assert str(Plan._meta.get_field("year").verbose_name) == "year"
    assert str(Plan.Status.DRAFT.label) == "draft"
    assert str(Activity.Kind.CONFERENCE.label) == "conference"
    assert str(Activity.Format.HYBRID.label) == "in person and online"


def test_models_speak_russian_by_default() -> None:
    assert str(Plan._meta.verbose_name) == "план"
    assert str(Activity.Kind.CONFERENCE.label) == "конференция"


@pytest.mark.usefixtures("english")
def test_a_template_speaks_english() -> None:
    html = render_to_string("plans/home.html", {"plans": []})
    assert "Activity plans" in html
    assert "There are no plans yet." in html
    assert '<html lang="en">' in html


@pytest.mark.django_db
def test_pages_are_russian_at_their_paths_and_english_under_en(client: Client) -> None:
    try:
        english = client.get("/en/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
        russian = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    finally:
        translation.deactivate()  # LocaleMiddleware leaves the request's language active
    assert "<h1>Activity plans</h1>" in english
    assert '<html lang="en">' in english
    assert 'href="/" hreflang="ru"' in english  # the language switch leads back
    assert "<h1>Планы деятельности</h1>" in russian
    assert 'href="/en/" hreflang="en"' in russian


def test_a_command_speaks_english(capsys: pytest.CaptureFixture[str]) -> None:
    with translation.override("en"):
        from civicplan.plans.management.commands.export_plan import Command

        parser = Command().create_parser("civicplan", "export_plan")
        assert "the plan's year" in parser.format_help()
    call_command("timeframe", "31 февраля 2024 г.")
    assert "несуществующая дата: 31.02.2024" in capsys.readouterr().out


# --- the pure libraries ------------------------------------------------------------------------


@pytest.mark.usefixtures("english")
def test_library_messages_follow_the_active_language() -> None:
    assert parse("31 февраля 2024 г.").warning == "nonexistent date: 2024-02-31"
    assert parse("март").warning == "no year given"
    assert parse("когда-нибудь потом").warning == "not understood: “когда-нибудь потом”"
    with pytest.raises(PlanReadError) as error:
        read_plan(b"", "x.txt")
    assert str(error.value) == "x.txt: the file is empty"
    with pytest.raises(PlanReadError, match="no plan table found"):
        read_plan("План\nодин\tдва\n".encode(), "plan.txt")
    assert str(Problem("?", 21, "responsible")) == "row 21, responsible party: ?"
    assert str(PlanReadError("plan.xlsx", "?", row=3, field="x")) == "plan.xlsx, row 3, x: ?"


def test_library_messages_are_russian_by_default() -> None:
    assert parse("31 февраля 2024 г.").warning == "несуществующая дата: 31.02.2024"
    with pytest.raises(PlanReadError) as error:
        read_plan(b"", "x.txt")
    assert str(error.value) == "x.txt: файл пустой"
    assert str(Problem("?", 21, "responsible")) == "строка 21, ответственный: ?"


def test_the_libraries_are_russian_without_django() -> None:
    """No Django: the identity translator, the Russian msgids, and django never imported."""
    code = "\n".join(
        [
            "import sys",
            "from civicplan.timeframes import parse",
            "from civicplan.plandoc import PlanReadError, read_plan",
            "from civicplan.plandoc.model import Problem",
            "print(parse('31 февраля 2024 г.').warning)",
            "try:",
            "    read_plan(b'', 'x.txt')",
            "except PlanReadError as error:",
            "    print(error)",
            "print(Problem('?', 21, 'when'))",
            "print('django' in sys.modules)",
        ]
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**env, "PYTHONIOENCODING": "utf-8"},
    )
    assert result.stdout.splitlines() == [
        "несуществующая дата: 31.02.2024",
        "x.txt: файл пустой",
        "строка 21, сроки: ?",
        "False",
    ]


def test_the_translator_is_replaceable() -> None:
    before = i18n.get_translator()
    try:
        i18n.set_translator(str.upper)
        assert parse("март").warning == "ГОД НЕ УКАЗАН"
        i18n.set_translator(None)
        assert i18n.gettext("год не указан") == "год не указан"
    finally:
        i18n.set_translator(before)
    assert i18n.gettext_noop("сроки") == "сроки"
