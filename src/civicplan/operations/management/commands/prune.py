"""`civicplan prune [--dry-run]`: delete what is older than its retention
(civicplan.operations.retention)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from civicplan.operations.retention import Pruned, prune


class Command(BaseCommand):
    help = _(
        "Удаляет то, что хранится дольше срока из настроек: загрузки планов "
        "(CIVICPLAN_IMPORT_RETENTION_DAYS), исходные письма после разбора "
        "(CIVICPLAN_MAIL_RETENTION_DAYS) и отправленные письма (CIVICPLAN_OUTBOX_RETENTION_DAYS)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help=_("только показать, что было бы удалено")
        )

    def handle(self, *args: object, **options: object) -> None:
        for pruned in prune(dry_run=bool(options["dry_run"])):
            self.stdout.write(describe(pruned, bool(options["dry_run"])))


def describe(pruned: Pruned, dry_run: bool) -> str:
    store = pruned.store
    if pruned.cutoff is None:
        return _("%(store)s: хранятся без срока (%(setting)s = %(days)s).") % {
            "store": store.name,
            "setting": store.setting,
            "days": getattr(settings, store.setting),
        }
    text = (
        _("%(store)s старше %(cutoff)s: было бы удалено %(count)d (%(size)s).")
        if dry_run
        else _("%(store)s старше %(cutoff)s: удалено %(count)d (%(size)s).")
    )
    return text % {
        "store": store.name,
        "cutoff": f"{timezone.localtime(pruned.cutoff):%Y-%m-%d %H:%M}",
        "count": pruned.removed.count,
        "size": filesizeformat(pruned.removed.bytes),
    }
