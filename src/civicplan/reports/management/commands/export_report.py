"""`civicplan export_report --year Y --period year|h1|h2 --format docx|pdf|xlsx [-o FILE]`."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from civicplan.plans.models import Plan
from civicplan.reports.documents import REPORT_FORMATS, file_name, write_report
from civicplan.reports.execution import PERIODS


class Command(BaseCommand):
    help = _("Выгружает отчёт о выполнении плана за год или полугодие в файл.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help=_("год плана"))
        # Checked in handle, not by argparse `choices`, so that the error is the project's own.
        parser.add_argument("--period", default="year", help=_("период: year, h1 или h2"))
        parser.add_argument("--format", default="docx", help=_("формат: docx, pdf или xlsx"))
        parser.add_argument(
            "-o",
            "--output",
            help=_("файл; «-» — stdout; по умолчанию report-<год>[-h1|-h2].<формат> здесь"),
        )

    def handle(self, *args: object, **options: object) -> None:
        year, period, format_name = options["year"], options["period"], options["format"]
        if period not in PERIODS:
            raise CommandError(
                _("Неизвестный период «%(period)s»: year, h1 или h2.") % {"period": period},
                returncode=2,
            )
        if format_name not in REPORT_FORMATS:
            raise CommandError(
                _("Неизвестный формат «%(format)s»: docx, pdf или xlsx.") % {"format": format_name},
                returncode=2,
            )
        plan = Plan.objects.filter(year=year).order_by("id").first()
        if plan is None:
            raise CommandError(_("План на %(year)s год не найден.") % {"year": year}, returncode=2)
        try:
            data = write_report(plan, str(period), str(format_name))
        except RuntimeError as error:  # a PDF on a machine without Pango
            raise CommandError(
                _("Отчёт не записан: %(reason)s") % {"reason": error}, returncode=1
            ) from error
        output = options["output"] or file_name(plan, str(period), str(format_name))
        if output == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return
        Path(str(output)).write_bytes(data)
        self.stdout.write(_("Отчёт записан в %(path)s.") % {"path": output})
