"""`civicplan restore`: a backup brought into an empty installation, on either database.

Everything is checked before anything is written: the file is one of our archives, whole; the
installation has applied the same migrations; it is empty (or the caller asked to replace what
it holds). The files are unpacked beside their trees first, the rows are loaded in one
transaction (keys checked at its end, sequences reset), and only then are the files moved into
place: a failure at any step leaves the installation as it was."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError, DeserializedObject
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import Model
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from civicplan.operations.archive import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    STAGING_PREFIX,
    BackupError,
    file_trees,
    relative_member_path,
    tree_files,
)
from civicplan.operations.tables import (
    applied_migrations,
    dumped_models,
    m2m_tables,
    natural_primary,
    row_count,
)

ZIP_MAGIC = b"PK\x03\x04"
# What reading a damaged member raises: a checksum that does not match, compressed data that
# does not decompress or ends early, text that is not UTF-8 or JSON.
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, ValueError)
LISTED = 8  # names shown in a message before "and N more"
MB = 1024 * 1024
# The manifest lists every table once: far under this for any installation.
MAX_MANIFEST_BYTES = 16 * MB


@dataclass
class Restored:
    """What a restore brought in: rows by model (in load order) and files by tree."""

    rows: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)


def restore_backup(path: Path, *, replace: bool = False, using: str = DEFAULT_DB_ALIAS) -> Restored:
    """Load the archive at `path`; with `replace`, what the installation holds is deleted in
    the same transaction (its files once the database is in)."""
    with open_archive(Path(path)) as (archive, manifest):
        check_schema(manifest, using)
        if not replace:
            check_empty(using)
        with _Staging(archive, file_trees()) as staging, transaction.atomic(using=using):
            if replace:
                _delete_rows(using)
            rows = _load(archive, manifest, using)
            staging.publish()
        ContentType.objects.clear_cache()
    return Restored(rows=rows, files=staging.counts, manifest=manifest)


# --- the archive ------------------------------------------------------------------------------


@contextmanager
def open_archive(path: Path) -> Iterator[tuple[zipfile.ZipFile, dict[str, Any]]]:
    """The open archive and its manifest, or BackupError saying what the file is instead."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise BackupError(_not_a_zip(path)) from error
    except OSError as error:
        raise BackupError(
            _("Не удалось открыть %(path)s: %(error)s") % {"path": path, "error": error.strerror}
        ) from error
    with archive:
        yield archive, read_manifest(archive, path)


def _not_a_zip(path: Path) -> str:
    with path.open("rb") as handle:
        damaged = handle.read(4) == ZIP_MAGIC
    if damaged:
        return _(
            "Архив %(path)s повреждён или обрезан (нет оглавления в конце файла): "
            "ничего не восстановлено."
        ) % {"path": path}
    return _("%(path)s — не архив резервной копии CivicPlan (не ZIP).") % {"path": path}


def read_manifest(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    """The manifest, once it says the archive is ours, in a format this code reads, whole."""
    not_ours = _("%(path)s — не резервная копия CivicPlan: %(reason)s")
    try:
        if archive.getinfo(MANIFEST).file_size > MAX_MANIFEST_BYTES:
            raise BackupError(not_ours % {"path": path, "reason": _("manifest.json слишком велик")})
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError as error:
        raise BackupError(not_ours % {"path": path, "reason": _("нет manifest.json")}) from error
    except DAMAGED as error:
        raise BackupError(not_ours % {"path": path, "reason": error}) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(not_ours % {"path": path, "reason": _("manifest.json другого формата")})
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _("Архив формата версии %(found)s; эта версия CivicPlan читает версию %(known)s.")
            % {"found": manifest.get("format_version"), "known": FORMAT_VERSION}
        )
    _check_members(archive, manifest, path)
    return manifest


def _check_members(archive: zipfile.ZipFile, manifest: dict[str, Any], path: Path) -> None:
    """The manifest has the parts a restore reads, and every member it names is there."""
    names = set(archive.namelist())
    try:
        tables = manifest["tables"]
        members = [table["member"] for table in tables if table["member"]]
        valid = (
            isinstance(manifest["schema"], dict)
            and all(isinstance(table["model"], str) and table["rows"] >= 0 for table in tables)
            and all(member in names for member in members)
        )
    except (KeyError, TypeError):
        valid = False
    if not valid:
        raise BackupError(
            _("Архив %(path)s неполон: в manifest.json названы части, которых в нём нет.")
            % {"path": path}
        )


# --- the checks -------------------------------------------------------------------------------


def check_schema(manifest: dict[str, Any], using: str) -> None:
    """The archive's applied migrations and tables must be the installation's."""
    archived = {(app, name) for app, names in manifest["schema"].items() for name in names}
    here = {(app, name) for app, names in applied_migrations(using).items() for name in names}
    models = dumped_models()
    local_tables = {m._meta.label_lower for m in [*models, *m2m_tables(models)]}
    archived_tables = {table["model"] for table in manifest["tables"]}
    if archived == here and archived_tables == local_tables:
        return
    lines = [_("Схема базы не совпадает с архивом; ничего не восстановлено.")]
    differences = [
        (_("применены в архиве, но не здесь"), sorted(f"{a}.{n}" for a, n in archived - here)),
        (_("применены здесь, но не в архиве"), sorted(f"{a}.{n}" for a, n in here - archived)),
        (_("таблицы только в архиве"), sorted(archived_tables - local_tables)),
        (_("таблицы только здесь"), sorted(local_tables - archived_tables)),
    ]
    lines += [f"  {title}: {_listed(names)}" for title, names in differences if names]
    lines.append(
        _(
            "Восстанавливайте в установку той же версии CivicPlan (архив: %(version)s), "
            "подготовленную командой civicplan migrate."
        )
        % {"version": manifest.get("civicplan_version", "?")}
    )
    raise BackupError("\n".join(lines))


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:LISTED])
    if len(names) > LISTED:
        shown += " " + _("и ещё %(count)d") % {"count": len(names) - LISTED}
    return shown


def check_empty(using: str) -> None:
    """Refuse an installation that holds data: rows beyond what `migrate` makes, or files."""
    found = [
        f"{model._meta.verbose_name_plural} ({model._meta.label_lower}) — {count}"
        for model, count in occupied_tables(using)
    ]
    found += [
        _("файлы в %(path)s — %(count)d") % {"path": root, "count": count}
        for root, count in occupied_trees()
    ]
    if found:
        raise BackupError(
            _(
                "Установка не пуста, восстановление отменено. В ней есть: %(found)s.\n"
                "Восстанавливайте в новую установку (после civicplan migrate) или добавьте "
                "--replace, чтобы удалить всё это и заменить содержимым архива."
            )
            % {"found": "; ".join(found)}
        )


def occupied_trees() -> list[tuple[Path, int]]:
    counted = [(root, sum(1 for _path in tree_files(root))) for root in file_trees().values()]
    return [(root, count) for root, count in counted if count]


def occupied_tables(using: str) -> list[tuple[type[Model], int]]:
    models = dumped_models()
    counted = [(model, row_count(model, using)) for model in [*models, *m2m_tables(models)]]
    return [(model, count) for model, count in counted if count and not natural_primary(model)]


# --- the database -----------------------------------------------------------------------------


def _delete_rows(using: str) -> None:
    """Every row except content types and permissions (the archive's are matched to them by
    natural key). DELETE, not TRUNCATE: keys are checked when the transaction ends."""
    connection = connections[using]
    models = dumped_models()
    with connection.cursor() as cursor:
        for model in [*m2m_tables(models), *reversed(models)]:
            if not natural_primary(model):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def _load(archive: zipfile.ZipFile, manifest: dict[str, Any], using: str) -> dict[str, int]:
    """Every member in the manifest's order; each count and every key checked; sequences set
    past the loaded ids (PostgreSQL; SQLite's follow the rows)."""
    connection = connections[using]
    deferred: list[DeserializedObject] = []
    rows: dict[str, int] = {}
    for table in manifest["tables"]:
        if table["member"]:
            rows[table["model"]] = _load_member(archive, table, using, deferred)
    for waiting in deferred:
        waiting.save_deferred_fields(using=using)
    _check_counts(manifest, using)
    try:
        connection.check_constraints()
    except DatabaseError as error:
        raise BackupError(_("Ключи в архиве не сходятся: %(error)s") % {"error": error}) from error
    models = dumped_models()
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [*models, *m2m_tables(models)]
        ):
            cursor.execute(statement)
    return rows


def _load_member(
    archive: zipfile.ZipFile, table: dict[str, Any], using: str, deferred: list[DeserializedObject]
) -> int:
    """One model's rows, inserted as they were (raw: no save() of ours, no auto_now)."""
    model = apps.get_model(table["model"])
    insert = not natural_primary(model)  # content types and permissions may be there already
    count = 0
    try:
        with io.TextIOWrapper(archive.open(table["member"]), encoding="utf-8") as stream:
            for item in serializers.deserialize(
                "jsonl", stream, using=using, handle_forward_references=True
            ):
                _expect_model(item, model)
                item.save(using=using, force_insert=insert)
                if item.deferred_fields:
                    deferred.append(item)
                count += 1
    except (DeserializationError, DatabaseError, *DAMAGED) as error:
        raise BackupError(
            _("Таблица %(table)s из архива не загружена (%(error)s); база не изменена.")
            % {"table": table["model"], "error": error}
        ) from error
    if count != table["rows"]:
        raise BackupError(_count_mismatch(table["model"], table["rows"], count))
    return count


def _expect_model(item: DeserializedObject, model: type[Model]) -> None:
    if type(item.object) is not model:
        raise BackupError(
            _("В части архива для %(model)s строка другой таблицы (%(other)s).")
            % {"model": model._meta.label_lower, "other": item.object._meta.label_lower}
        )


def _check_counts(manifest: dict[str, Any], using: str) -> None:
    """Every table holds the rows the manifest counted (content types and permissions may hold
    more: those the installation made that the archive's did not have)."""
    for table in manifest["tables"]:
        model = apps.get_model(table["model"])
        found = row_count(model, using)
        if found != table["rows"] and not natural_primary(model):
            raise BackupError(_count_mismatch(table["model"], table["rows"], found))


def _count_mismatch(model: str, expected: int, found: int) -> str:
    return _(
        "Таблица %(table)s: в архиве %(expected)d строк, загружено %(found)d; база не изменена."
    ) % {"table": model, "expected": expected, "found": found}


# --- the files --------------------------------------------------------------------------------


def _check_room(root: Path, size: int) -> None:
    """Refuse before unpacking what the disk cannot hold (the sizes are the archive's own:
    zipfile unpacks no member past its size there, and a longer one fails its checksum)."""
    root.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(root).free
    if size > free:
        raise BackupError(
            _(
                "Файлы архива займут %(size)s МБ, а в %(root)s свободно %(free)s МБ; "
                "ничего не восстановлено."
            )
            % {"size": size // MB + 1, "root": root, "free": free // MB}
        )


class _Staging:
    """The archive's file trees unpacked into a hidden directory inside each tree (so that
    putting them in place is a rename), then moved in by `publish`; on any failure, before or
    after `publish`, the trees are put back as they were and the staging removed."""

    def __init__(self, archive: zipfile.ZipFile, roots: dict[str, Path]) -> None:
        self.archive = archive
        self.roots = roots
        self.token = STAGING_PREFIX + get_random_string(12).lower()
        self.counts: dict[str, int] = {}
        self.moves: list[tuple[Path, Path]] = []

    def __enter__(self) -> _Staging:
        try:
            for name, root in self.roots.items():
                self.counts[name] = self._unpack(name, root)
        except BaseException:
            self._remove()
            raise
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        if error is not None:
            for source, target in reversed(self.moves):
                shutil.move(target, source)
        self._remove()

    def _staging(self, root: Path) -> Path:
        return root / self.token

    def _unpack(self, name: str, root: Path) -> int:
        members = [
            (info, relative)
            for info in self.archive.infolist()
            if (relative := relative_member_path(info.filename, name)) is not None
            and not info.is_dir()
        ]
        _check_room(root, sum(info.file_size for info, _relative in members))
        count = 0
        for info, relative in members:
            target = self._staging(root) / "new" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with self.archive.open(info) as source, target.open("xb") as copy:
                    shutil.copyfileobj(source, copy)
            except (*DAMAGED, FileExistsError) as error:  # a name twice: not our archive
                raise BackupError(
                    _("Файл %(name)s в архиве повреждён (%(error)s); ничего не восстановлено.")
                    % {"name": info.filename, "error": error}
                ) from error
            count += 1
        return count

    def publish(self) -> None:
        """What the trees held goes aside (deleted at the end), the archive's files in."""
        for root in self.roots.values():
            staging = self._staging(root)
            (staging / "old").mkdir(parents=True, exist_ok=True)
            for entry in sorted(root.iterdir()):
                if entry.name != self.token:
                    self._move(entry, staging / "old" / entry.name)
            new = staging / "new"
            for entry in sorted(new.iterdir()) if new.is_dir() else ():
                self._move(entry, root / entry.name)

    def _move(self, source: Path, target: Path) -> None:
        shutil.move(source, target)
        self.moves.append((source, target))

    def _remove(self) -> None:
        for root in self.roots.values():
            shutil.rmtree(self._staging(root), ignore_errors=True)
