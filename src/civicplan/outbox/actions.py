"""Changes of what an address receives. The unsubscribe token in the address's mail is the
permission: whoever holds the letter may stop or restart the mailings it came from."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from civicplan.audit.actions import record
from civicplan.outbox.models import MailPreference

Kind = MailPreference.Kind


def _valid(kinds: Iterable[str]) -> set[str]:
    return {kind for kind in kinds if kind in Kind.values}


def unsubscribe(preference: MailPreference, kinds: Iterable[str], *, how: str) -> MailPreference:
    """Stop the given kinds of mail to this address (`how`: "page" or "one-click", for the log)."""
    stop = _valid(kinds)
    with transaction.atomic():
        preference = MailPreference.objects.select_for_update().get(pk=preference.pk)
        preference.unsubscribed = sorted(set(preference.unsubscribed) | stop)
        preference.save()
        record(
            None,
            "outbox.unsubscribe",
            preference.email,
            ", ".join(sorted(stop)),
            {"kinds": sorted(stop), "how": how},
        )
    return preference


def set_subscriptions(preference: MailPreference, wanted: Iterable[str]) -> MailPreference:
    """The settings page: exactly the kinds in `wanted` come, the others do not."""
    wanted = _valid(wanted)
    with transaction.atomic():
        preference = MailPreference.objects.select_for_update().get(pk=preference.pk)
        preference.unsubscribed = sorted(set(Kind.values) - wanted)
        preference.save()
        record(
            None,
            "outbox.subscriptions",
            preference.email,
            ", ".join(sorted(wanted)),
            {"wanted": sorted(wanted)},
        )
    return preference
