"""`civicplan backup [-o FILE]`: the installation in one ZIP file (civicplan.operations.backups)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from civicplan.operations.archive import BackupError
from civicplan.operations.backups import Backup, write_backup


class Command(BaseCommand):
    help = _(
        "Записывает резервную копию в один файл ZIP: базу данных (в виде, который загружается "
        "и в SQLite, и в PostgreSQL), загруженные файлы, хранилище писем и сводку настроек."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help=_("файл архива (по умолчанию civicplan-backup-ГГГГММДД-ЧЧММСС.zip здесь)"),
        )

    def handle(self, *args: object, **options: object) -> None:
        output: Path = options["output"] or Path(  # type: ignore[assignment]
            f"civicplan-backup-{timezone.localtime():%Y%m%d-%H%M%S}.zip"
        )
        try:
            backup = write_backup(output)
        except (BackupError, OSError) as error:
            message = _("Резервная копия не записана: %(error)s") % {"error": error}
            raise CommandError(message) from error
        for line in describe(backup):
            self.stdout.write(line)


def describe(backup: Backup) -> list[str]:
    """The archive, its tables with rows, and its files."""
    manifest = backup.manifest
    tables = [table for table in manifest["tables"] if table["rows"]]
    lines = [
        _("Резервная копия записана: %(path)s (%(size)s).")
        % {"path": backup.path, "size": filesizeformat(backup.size)},
        _(
            "База данных (%(vendor)s): таблиц с данными %(tables)d, строк %(rows)d, "
            "миграций %(migrations)d."
        )
        % {
            "vendor": manifest["database"],
            "tables": len(tables),
            "rows": sum(table["rows"] for table in tables),
            "migrations": sum(len(names) for names in manifest["schema"].values()),
        },
    ]
    lines += [f"  {table['model']}: {table['rows']}" for table in tables]
    lines.append(
        _("Файлы: %(trees)s.")
        % {
            "trees": ", ".join(
                f"{name} — {tree['files']} ({filesizeformat(tree['bytes'])})"
                for name, tree in manifest["files"].items()
            )
        }
    )
    return lines
