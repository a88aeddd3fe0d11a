"""`civicplan restore FILE [--replace]`: a backup into an empty installation
(civicplan.operations.restoring)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from civicplan.operations.archive import BackupError
from civicplan.operations.restoring import Restored, restore_backup


class Command(BaseCommand):
    help = _(
        "Восстанавливает резервную копию (civicplan backup) в пустую установку на SQLite или "
        "PostgreSQL, подготовленную командой civicplan migrate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("файл архива"))
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_("удалить всё, что есть в установке (строки базы и файлы), и заменить архивом"),
        )

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["file"]  # type: ignore[assignment]
        try:
            restored = restore_backup(path, replace=bool(options["replace"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        except OSError as error:  # the disk: everything written so far was undone
            message = _("Восстановление не удалось (%(error)s); ничего не восстановлено.")
            raise CommandError(message % {"error": error}) from error
        for line in describe(restored, path):
            self.stdout.write(line)


def describe(restored: Restored, path: Path) -> list[str]:
    """What came in: rows by table, files by tree."""
    tables = {model: rows for model, rows in restored.rows.items() if rows}
    lines = [
        _("Восстановлено из %(path)s (резервная копия от %(created)s, CivicPlan %(version)s).")
        % {
            "path": path,
            "created": restored.manifest.get("created_at", "?"),
            "version": restored.manifest.get("civicplan_version", "?"),
        },
        _("Строк: %(rows)d в таблицах: %(tables)d.")
        % {"rows": sum(tables.values()), "tables": len(tables)},
    ]
    lines += [f"  {model}: {rows}" for model, rows in tables.items()]
    lines.append(
        _("Файлы: %(trees)s.")
        % {"trees": ", ".join(f"{name} — {count}" for name, count in restored.files.items())}
    )
    return lines
