"""How long what the installation keeps on disk is kept: each store's files older than its
retention (days, from settings; 0 keeps them for ever) are deleted by `civicplan prune`.

The mail store: the raw .eml of a letter is needed until the letter is processed (a failed one
is read again by a retry) and while staff decide on its quarantine; after that its submission
holds what it said and what it carried. The InboundMessage row stays (it is the intake's record
of every letter it accepted), its `raw_path` naming a file no longer there; which files went is
written to the audit log ("mail.prune", the message ids), as the mailintake app's models are
not ours to change.

The outbox: a sent letter is kept CIVICPLAN_OUTBOX_RETENTION_DAYS (90) for staff to look up what
went out; held and failed letters stay until staff send or leave them."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicplan.audit.actions import record
from civicplan.mailintake.models import InboundMessage
from civicplan.newsroom.models import Submission
from civicplan.outbox.models import OutgoingMessage
from civicplan.plans.models import ImportJob


@dataclass(frozen=True)
class Removed:
    count: int = 0
    bytes: int = 0


@dataclass(frozen=True)
class Store:
    """A kind of kept thing: its name, the setting of its retention in days, and the function
    that deletes what is older than a cutoff (or, dry, only counts it)."""

    name: str | Promise
    setting: str
    prune: Callable[[datetime.datetime, bool], Removed]


@dataclass(frozen=True)
class Pruned:
    store: Store
    cutoff: datetime.datetime | None  # None: kept for ever
    removed: Removed


def prune_mail_store(cutoff: datetime.datetime, dry_run: bool = False) -> Removed:
    """Delete the .eml files of letters processed before `cutoff`, except letters whose
    submission still waits in quarantine; one audit event names them."""
    letters = (
        InboundMessage.objects.filter(
            status__in=(InboundMessage.Status.PROCESSED, InboundMessage.Status.QUARANTINED),
            processed__lt=cutoff,
        )
        .exclude(submission__status=Submission.Status.QUARANTINE)
        .only("pk", "raw_path")
        .order_by("pk")
    )
    removed: list[int] = []
    size = 0
    for letter in letters.iterator():
        path = letter.path
        if not path.is_file():
            continue  # pruned before
        size += path.stat().st_size
        removed.append(letter.pk)
        if not dry_run:
            path.unlink(missing_ok=True)  # another worker's prune may have been first
            _remove_empty_parents(path, Path(settings.CIVICPLAN_MAIL_DIR))
    if removed and not dry_run:
        record(
            None,
            "mail.prune",
            str(Path(settings.CIVICPLAN_MAIL_DIR)),
            _("Удалены исходные письма, разобранные до %(cutoff)s: %(count)d")
            % {"cutoff": cutoff.isoformat(), "count": len(removed)},
            {"messages": removed, "cutoff": cutoff.isoformat(), "bytes": size},
        )
    return Removed(len(removed), size)


def _remove_empty_parents(path: Path, root: Path) -> None:
    """The day's, month's and year's directories once the last letter in them is gone."""
    for directory in path.parents:
        if directory == root or root not in directory.parents:
            return
        try:
            directory.rmdir()
        except OSError:  # not empty
            return


def prune_outbox(cutoff: datetime.datetime, dry_run: bool = False) -> Removed:
    """Delete the outbox's letters sent before `cutoff` (held and failed ones stay until staff
    act on them); one audit event says how many."""
    sent = OutgoingMessage.objects.filter(status=OutgoingMessage.Status.SENT, sent__lt=cutoff)
    count = sent.count()
    if count and not dry_run:
        sent.delete()
        record(
            None,
            "outbox.prune",
            "outbox",
            _("Удалены отправленные письма старше %(cutoff)s: %(count)d")
            % {"cutoff": cutoff.isoformat(), "count": count},
            {"cutoff": cutoff.isoformat(), "count": count},
        )
    return Removed(count)


def prune_imports(cutoff: datetime.datetime, dry_run: bool = False) -> Removed:
    """Uploads staff never confirmed (or that failed, or were done) before `cutoff`: their
    kept files and their jobs. An import in progress is left alone."""
    old = ImportJob.objects.filter(created__lt=cutoff).exclude(status=ImportJob.Status.IMPORTING)
    jobs = list(old.only("pk", "token"))
    if jobs and not dry_run:
        for job in jobs:
            default_storage.delete(job.path)
        old.delete()
    return Removed(len(jobs))


# The stores and their retention settings.
STORES = [
    Store(gettext_lazy("загрузки планов"), "CIVICPLAN_IMPORT_RETENTION_DAYS", prune_imports),
    Store(gettext_lazy("исходные письма"), "CIVICPLAN_MAIL_RETENTION_DAYS", prune_mail_store),
    Store(gettext_lazy("отправленные письма"), "CIVICPLAN_OUTBOX_RETENTION_DAYS", prune_outbox),
]


def prune(now: datetime.datetime | None = None, dry_run: bool = False) -> list[Pruned]:
    """Apply every store's retention as of `now`."""
    now = now or timezone.now()
    done = []
    for store in STORES:
        days = int(getattr(settings, store.setting))
        if days <= 0:
            done.append(Pruned(store, None, Removed()))
            continue
        cutoff = now - datetime.timedelta(days=days)
        done.append(Pruned(store, cutoff, store.prune(cutoff, dry_run)))
    return done
