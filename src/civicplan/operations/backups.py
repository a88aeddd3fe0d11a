"""`civicplan backup`: the whole installation in one file that loads into SQLite or PostgreSQL.

The database is written through Django's serializers (JSON Lines), model by model in dependency
order and row by row from a server-side cursor, so memory stays flat however large the tables;
every table is read in one snapshot, so a backup taken while the site writes still loads. Then
the file trees (uploaded plans and attachments, the raw letters) and the manifest. The archive
is written beside its destination and renamed into place: it is there whole or not at all."""

from __future__ import annotations

import datetime
import io
import json
import os
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.utils import timezone

from civicplan.common.files import fsync_directory
from civicplan.operations.archive import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    file_trees,
    member_name,
    tree_files,
)
from civicplan.operations.tables import (
    applied_migrations,
    dumped_models,
    m2m_tables,
    natural_foreign,
    natural_primary,
    row_count,
)

CHUNK_ROWS = 2000


@dataclass(frozen=True)
class Backup:
    """A written archive and its manifest."""

    path: Path
    size: int
    manifest: dict[str, Any]


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but times keep their microseconds: Django's cuts them to milliseconds
    (as JavaScript has them), so a stock dumpdata does not give back the rows it read."""

    def default(self, o: object) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def write_backup(target: Path, *, using: str = DEFAULT_DB_ALIAS) -> Backup:
    """Write the installation to `target` (a ZIP file, readable by its owner only: it holds
    password hashes and people's data) through a temporary file in the same directory."""
    target = Path(target).absolute()
    descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            with zipfile.ZipFile(
                handle, "w", zipfile.ZIP_DEFLATED, allowZip64=True, strict_timestamps=False
            ) as archive:
                manifest = _write_contents(archive, using)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_directory(target.parent)
    return Backup(target, target.stat().st_size, manifest)


def _write_contents(archive: zipfile.ZipFile, using: str) -> dict[str, Any]:
    """The database first (the files are copied after it, so every file a row names is there
    unless it was deleted meanwhile), then the files, then the manifest that counts them."""
    with _snapshot(connections[using]):
        tables = _write_database(archive, using)
        schema = applied_migrations(using)
    files = {name: _write_tree(archive, name, root) for name, root in file_trees().items()}
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "civicplan_version": civicplan_version(),
        "created_at": timezone.now().isoformat(),
        "database": connections[using].vendor,
        "schema": schema,
        "tables": tables,
        "files": files,
        "settings": settings_summary(using),
    }
    archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


@contextmanager
def _snapshot(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Every table read as of one moment: a read-only repeatable-read transaction on
    PostgreSQL; on SQLite a deferred read transaction, which in WAL mode sees one snapshot and
    lets the site go on writing (atomic() would BEGIN IMMEDIATE and hold the write lock)."""
    if connection.in_atomic_block:  # inside the caller's transaction already (tests)
        yield
    elif connection.vendor == "sqlite":
        with _sqlite_read_transaction(connection):
            yield
    else:
        with transaction.atomic(using=connection.alias):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield


@contextmanager
def _sqlite_read_transaction(connection: BaseDatabaseWrapper) -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")


def _write_database(archive: zipfile.ZipFile, using: str) -> list[dict[str, Any]]:
    """One member per model, in dependency order (the manifest's order is the load order), then
    the counts of the many-to-many tables whose rows those members carry."""
    models = dumped_models()
    tables = [
        _table(model, _write_model(archive, model, using), member_name(model)) for model in models
    ]
    tables += [_table(model, row_count(model, using), None) for model in m2m_tables(models)]
    return tables


def _table(model: type[Model], rows: int, member: str | None) -> dict[str, Any]:
    return {
        "model": model._meta.label_lower,
        "table": model._meta.db_table,
        "rows": rows,
        "member": member,
    }


class _Counted:
    """An iterable that counts what went through it."""

    def __init__(self, items: Iterable[Model]) -> None:
        self.items = items
        self.count = 0

    def __iter__(self) -> Iterator[Model]:
        for item in self.items:
            self.count += 1
            yield item


def _write_model(archive: zipfile.ZipFile, model: type[Model], using: str) -> int:
    """The model's rows by primary key (a server-side cursor on PostgreSQL); their number."""
    rows = model._base_manager.using(using).order_by(model._meta.pk.attname)
    counted = _Counted(rows.iterator(chunk_size=CHUNK_ROWS))
    info = zipfile.ZipInfo(member_name(model), time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    member = archive.open(info, "w", force_zip64=True)
    with io.TextIOWrapper(member, encoding="utf-8", newline="\n") as stream:
        serializers.serialize(
            "jsonl",
            counted,
            stream=stream,
            cls=ExactJSONEncoder,
            use_natural_foreign_keys=natural_foreign(model),
            use_natural_primary_keys=natural_primary(model),
        )
    return counted.count


def _write_tree(archive: zipfile.ZipFile, name: str, root: Path) -> dict[str, int]:
    count = size = 0
    for path in tree_files(root):
        archive.write(path, f"{name}/{path.relative_to(root).as_posix()}")
        count += 1
        size += path.stat().st_size
    return {"files": count, "bytes": size}


def civicplan_version() -> str:
    try:
        return metadata.version("civicplan")
    except metadata.PackageNotFoundError:
        return "unknown"


def settings_summary(using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """What the installation was set up with, to set up the next one alike. A list of what may
    be told, not of what may not: no key, password, token or user name can slip in."""
    database = settings.DATABASES[using]
    return {
        "DEBUG": settings.DEBUG,
        "DATABASE_ENGINE": database["ENGINE"],
        "DATABASE_NAME": str(database.get("NAME", "")),
        "DATABASE_HOST": str(database.get("HOST", "")),
        "DATABASE_PORT": str(database.get("PORT", "")),
        "TIME_ZONE": settings.TIME_ZONE,
        "LANGUAGE_CODE": settings.LANGUAGE_CODE,
        "ALLOWED_HOSTS": list(settings.ALLOWED_HOSTS),
        "CIVICPLAN_SITE_URL": settings.CIVICPLAN_SITE_URL,
        "CIVICPLAN_NEWS_ADDRESSES": list(settings.CIVICPLAN_NEWS_ADDRESSES),
        "CIVICPLAN_OWNER_SHORT": settings.CIVICPLAN_OWNER_SHORT,
        "DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
        "EMAIL_HOST": settings.EMAIL_HOST,
        "EMAIL_PORT": settings.EMAIL_PORT,
        "EMAIL_USE_TLS": settings.EMAIL_USE_TLS,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CIVICPLAN_MAIL_DIR": str(settings.CIVICPLAN_MAIL_DIR),
        "CIVICPLAN_MAIL_RETENTION_DAYS": settings.CIVICPLAN_MAIL_RETENTION_DAYS,
        "TASKS_BACKEND": settings.TASKS["default"]["BACKEND"],
    }
