"""`civicplan timeframe PHRASE|- [--year Y] [--month M]`: read Russian time frames as JSON."""

import json
import sys

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from civicplan.timeframes import parse


class Command(BaseCommand):
    help = _("Читает сроки на русском языке и печатает их в JSON.")
    requires_system_checks = ()

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "phrase", help=_('фраза сроков или "-": по одной фразе в строке со стандартного ввода')
        )
        parser.add_argument("--year", type=int, help=_("год по умолчанию (год плана)"))
        parser.add_argument("--month", type=int, choices=range(1, 13), help=_("месяц по умолчанию"))

    def handle(
        self, *args: object, phrase: str, year: int | None, month: int | None, **options: object
    ) -> None:
        phrases = (line.rstrip("\r\n") for line in sys.stdin) if phrase == "-" else [phrase]
        for text in phrases:
            record = parse(text, default_year=year, default_month=month).as_dict()
            self.stdout.write(json.dumps(record, ensure_ascii=False))
