"""`civicplan import_plan FILE [--year Y] [--status draft|approved] [--dry-run] [--replace]`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from civicplan.plandoc import PlanReadError
from civicplan.plandoc.readers import MAX_FILE_BYTES
from civicplan.plans.importing import ImportRefused, import_plan
from civicplan.plans.models import Plan


class Command(BaseCommand):
    help = _("Импортирует план деятельности из файла (текст, DOCX, XLSX).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("файл плана"))
        parser.add_argument("--year", type=int, help=_("год плана, если его нет в заголовке"))
        parser.add_argument(
            "--status",
            choices=[Plan.Status.DRAFT, Plan.Status.APPROVED],
            default=Plan.Status.DRAFT,
            help=_("статус нового плана (по умолчанию черновик)"),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("только проверить файл"))
        parser.add_argument("--replace", action="store_true", help=_("заменить план того же года"))

    def handle(self, *args: object, **options: object) -> None:
        path: Path = options["file"]  # type: ignore[assignment]
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise CommandError(
                    _("%(file)s: файл больше %(mb)s МБ")
                    % {"file": path.name, "mb": MAX_FILE_BYTES // (1024 * 1024)},
                    returncode=2,
                )
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}", returncode=2) from None
        try:
            summary = import_plan(
                data,
                path.name,
                year=options["year"],  # type: ignore[arg-type]
                status=options["status"],  # type: ignore[arg-type]
                replace=bool(options["replace"]),
                dry_run=bool(options["dry_run"]),
            )
        except (PlanReadError, ImportRefused) as error:
            raise CommandError(str(error), returncode=2) from None
        write = self.stdout.write
        heading = _("Проверка (ничего не записано)") if summary.dry_run else _("Импорт выполнен")
        write(f"{heading}: {summary.source}, {summary.year}")
        write(_("  строк плана:          %(n)s") % {"n": summary.rows})
        write(_("  мероприятий:          %(n)s") % {"n": summary.activities})
        write(
            _("  организаций: новых %(new)s, найдено в справочнике %(matched)s")
            % {"new": summary.organisations_new, "matched": summary.organisations_matched}
        )
        if summary.replaced:
            write(_("  прежний план этого года заменён"))
        write(_("  предупреждений:       %(n)s") % {"n": len(summary.problems)})
        for problem in summary.problems:
            write(f"    - {problem}")
