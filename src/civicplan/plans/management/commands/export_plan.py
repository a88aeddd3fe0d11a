"""`civicplan export_plan --year Y --format docx|pdf|xlsx|csv|json|ics [-o FILE]`."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from civicplan.plandoc.writers import FORMATS, write_plan
from civicplan.plans.exporting import plan_document
from civicplan.plans.models import Plan


class Command(BaseCommand):
    help = _("Выгружает план деятельности в файл.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help=_("год плана"))
        parser.add_argument("--format", choices=sorted(FORMATS), default="json", help=_("формат"))
        parser.add_argument("-o", "--output", type=Path, help=_("файл (по умолчанию — stdout)"))

    def handle(self, *args: object, **options: object) -> None:
        year = options["year"]
        plan = Plan.objects.filter(year=year).order_by("id").first()
        if plan is None:
            raise CommandError(_("План на %(year)s год не найден.") % {"year": year}, returncode=2)
        data = write_plan(plan_document(plan), str(options["format"]))
        output: Path | None = options["output"]  # type: ignore[assignment]
        if output is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            output.write_bytes(data)
