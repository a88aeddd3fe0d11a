"""`civicplan backup` and `civicplan restore` in the suite's own database: what the archive
holds, that the manifest tells no secret, that a restore replaces an installation exactly, and
that every bad archive or unfit installation is refused with nothing changed. (The round trip
between SQLite and PostgreSQL is test_roundtrip.py.)"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.migrations.recorder import MigrationRecorder

from civicplan.directory.models import Organisation
from civicplan.mailintake.models import InboundMessage
from civicplan.operations import backups
from civicplan.operations.restoring import occupied_tables
from civicplan.operations.tables import dumped_models
from tests.operations.rows import table_rows


def backup(path: Path) -> dict:
    call_command("backup", "-o", str(path), stdout=io.StringIO())
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def trees() -> dict[str, str]:
    """The media and mail files, by path, as their SHA-256; and any directory left over."""
    found = {}
    for root in (Path(settings.MEDIA_ROOT), Path(settings.CIVICPLAN_MAIL_DIR)):
        for path in sorted(root.rglob("*")) if root.exists() else ():
            relative = f"{root.name}/{path.relative_to(root).as_posix()}"
            found[relative] = (
                hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
            )
    return {path: digest for path, digest in found.items() if digest or ".restore-" in path}


def rewrite(source: Path, target: Path, change: Callable[[str, bytes], bytes | None]) -> None:
    """A copy of the archive with each member passed through `change` (None drops it)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data)


def test_the_archive_holds_every_table_the_files_and_the_schema(world, tmp_path: Path) -> None:
    manifest = backup(tmp_path / "backup.zip")
    with zipfile.ZipFile(tmp_path / "backup.zip") as archive:
        names = set(archive.namelist())
    tables = {table["model"]: table for table in manifest["tables"]}
    assert {m._meta.label_lower for m in dumped_models()} <= set(tables)
    assert tables["newsroom.attachment"]["rows"] == 4
    user_groups = {"model": "auth.user_groups", "table": "auth_user_groups", "rows": 1}
    assert tables["auth.user_groups"] == {**user_groups, "member": None}
    assert all(t["member"] in names for t in manifest["tables"] if t["member"])
    assert {n.split("/")[0] for n in names} == {"manifest.json", "database", "media", "mail"}
    assert "media/plans/plan-2024.txt" in names
    assert sum(n.startswith("mail/") and n.endswith(".eml") for n in names) == 2
    assert manifest["files"]["mail"]["files"] == 2
    applied = MigrationRecorder.Migration.objects.filter(app="newsroom").order_by("name")
    assert manifest["schema"]["newsroom"] == [m.name for m in applied]
    assert manifest["format"] == "civicplan-backup"
    assert manifest["civicplan_version"]


def test_the_manifest_tells_no_secret(db, settings, tmp_path: Path) -> None:
    settings.SECRET_KEY = "the-secret-key-of-this-test"
    settings.EMAIL_HOST_USER = "smtp-login-of-this-test"
    settings.EMAIL_HOST_PASSWORD = "smtp-password-of-this-test"
    settings.CIVICPLAN_SITE_URL = "https://plan.example.org"
    manifest = backup(tmp_path / "backup.zip")
    text = json.dumps(manifest)
    assert "of-this-test" not in text
    assert manifest["settings"]["CIVICPLAN_SITE_URL"] == "https://plan.example.org"
    assert manifest["settings"]["DATABASE_ENGINE"] == settings.DATABASES["default"]["ENGINE"]
    assert "PASSWORD" not in text


def test_the_archive_is_written_whole_or_not_at_all(db, tmp_path: Path, monkeypatch) -> None:
    backup(tmp_path / "good.zip")
    assert stat.S_IMODE((tmp_path / "good.zip").stat().st_mode) == 0o600  # people's data

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(backups, "_write_tree", fail)
    with pytest.raises(CommandError, match="disk full"):
        call_command("backup", "-o", str(tmp_path / "bad.zip"))
    assert sorted(p.name for p in tmp_path.glob("*.zip*")) == ["good.zip"]


def test_restore_with_replace_brings_back_exactly_what_was_backed_up(world, tmp_path: Path) -> None:
    before, files = table_rows(), trees()
    backup(tmp_path / "backup.zip")
    Organisation.objects.create(name="Появилась после копии", key="появилась после копии")
    InboundMessage.objects.order_by("pk").first().path.unlink()
    (Path(settings.MEDIA_ROOT) / "stray.txt").write_text("not in the backup")

    call_command("restore", str(tmp_path / "backup.zip"), "--replace", stdout=io.StringIO())

    assert table_rows() == before
    assert trees() == files
    added = Organisation.objects.create(name="После восстановления", key="после восстановления")
    assert added.pk > max(row["id"] for row in before["directory.organisation"])


def test_restore_refuses_an_installation_that_holds_data(world, tmp_path: Path) -> None:
    backup(tmp_path / "backup.zip")
    before, files = table_rows(), trees()
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(tmp_path / "backup.zip"))
    message = str(refused.value)
    assert "Установка не пуста" in message
    assert "пользователи (auth.user) — 2" in message
    assert "--replace" in message
    assert "файлы в" in message
    assert table_rows() == before
    assert trees() == files


def test_restore_refuses_other_migrations_naming_the_differences(db, tmp_path: Path) -> None:
    backup(tmp_path / "backup.zip")

    def newer(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["schema"]["plans"].append("0099_future")
        manifest["schema"]["audit"].remove("0001_initial")
        return json.dumps(manifest).encode()

    rewrite(tmp_path / "backup.zip", tmp_path / "newer.zip", newer)
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(tmp_path / "newer.zip"))
    message = str(refused.value)
    assert "Схема базы не совпадает с архивом" in message
    assert "применены в архиве, но не здесь: plans.0099_future" in message
    assert "применены здесь, но не в архиве: audit.0001_initial" in message
    assert occupied_tables("default") == []


def _truncated(path: Path, good: Path) -> None:
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])


def _text(path: Path, good: Path) -> None:
    path.write_text("Это не архив, а письмо.\n", encoding="utf-8")


def _foreign_zip(path: Path, good: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "photos")


def _future_format(path: Path, good: Path) -> None:
    def future(name: str, data: bytes) -> bytes:
        manifest = json.loads(data) if name == "manifest.json" else None
        return json.dumps({**manifest, "format_version": 2}).encode() if manifest else data

    rewrite(good, path, future)


def _missing_member(path: Path, good: Path) -> None:
    rewrite(good, path, lambda name, data: None if name.endswith("plans.plan.jsonl") else data)


def _damaged_file(path: Path, good: Path) -> None:
    """A byte of a media file's compressed data changed (its CRC no longer matches)."""
    shutil.copy(good, path)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("media/plans/plan-2024.txt")
    with path.open("r+b") as handle:
        handle.seek(info.header_offset + 26)
        name_length, extra_length = (int.from_bytes(handle.read(2), "little") for _ in range(2))
        middle = info.header_offset + 30 + name_length + extra_length + info.compress_size // 2
        handle.seek(middle)
        byte = handle.read(1)
        handle.seek(middle)
        handle.write(bytes([byte[0] ^ 0xFF]))


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_text, "не архив резервной копии CivicPlan (не ZIP)"),
        (_truncated, "повреждён или обрезан"),
        (_foreign_zip, "не резервная копия CivicPlan: нет manifest.json"),
        (_future_format, "Архив формата версии 2"),
        (_missing_member, "неполон"),
        (_damaged_file, "повреждён"),
    ],
    ids=["text", "truncated", "foreign zip", "future format", "missing member", "damaged file"],
)
def test_a_bad_archive_is_refused_and_nothing_is_written(
    world, tmp_path: Path, make: Callable[[Path, Path], None], expected: str
) -> None:
    backup(tmp_path / "good.zip")
    make(tmp_path / "bad.zip", tmp_path / "good.zip")
    before, files = table_rows(), trees()
    with pytest.raises(CommandError, match=re.escape(expected)):
        call_command("restore", str(tmp_path / "bad.zip"), "--replace")
    assert table_rows() == before
    assert trees() == files


def test_files_the_disk_cannot_hold_are_refused_before_anything_is_written(
    world, tmp_path: Path, monkeypatch
) -> None:
    backup(tmp_path / "good.zip")
    before, files = table_rows(), trees()
    monkeypatch.setattr(
        "civicplan.operations.restoring.shutil.disk_usage",
        lambda path: shutil._ntuple_diskusage(total=1000, used=1000, free=0),
    )
    with pytest.raises(CommandError, match="свободно 0 МБ; ничего не восстановлено"):
        call_command("restore", str(tmp_path / "good.zip"), "--replace")
    assert table_rows() == before
    assert trees() == files


def test_a_row_that_does_not_fit_undoes_the_whole_restore(world, tmp_path: Path) -> None:
    """The last table names a submission that is not there: found at the end of the load,
    after every other table and the files went in; all of it is undone."""
    backup(tmp_path / "good.zip")

    def dangling(name: str, data: bytes) -> bytes:
        if not name.endswith("mailintake.inboundmessage.jsonl"):
            return data
        rows = [json.loads(line) for line in data.decode().splitlines()]
        rows[-1]["fields"]["submission"] = 987654
        return "".join(json.dumps(row) + "\n" for row in rows).encode()

    rewrite(tmp_path / "good.zip", tmp_path / "bad.zip", dangling)
    Organisation.objects.create(name="Только здесь", key="только здесь")
    before, files = table_rows(), trees()
    with pytest.raises(CommandError, match="Ключи в архиве не сходятся"):
        call_command("restore", str(tmp_path / "bad.zip"), "--replace")
    assert table_rows() == before
    assert trees() == files


def test_a_missing_file_is_named(db, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Не удалось открыть"):
        call_command("restore", str(tmp_path / "nothing.zip"))
