"""Every e-mail CivicPlan sends goes through `send_templated`: a subject, a plain-text and an HTML
body from three templates, in the reader's language, with absolute links, and (for mailings a
reader may refuse) an unsubscribe link and the RFC 2369 / RFC 8058 headers mail clients use."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, loader
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from civicplan.common import owner
from civicplan.outbox.delivery import queue
from civicplan.outbox.models import MailPreference, OutgoingMessage


def absolute(path: str) -> str:
    """A link for an e-mail: the site's address (settings.CIVICPLAN_SITE_URL) and `path`."""
    return settings.CIVICPLAN_SITE_URL + path


def _render(name: str, context: dict, *, autoescape: bool) -> str:
    # Plain text and subjects are rendered without HTML escaping, so «» and & stay as they are.
    template = loader.get_template(name).template
    return template.render(Context(context, autoescape=autoescape))


def _message(
    recipients: list[str],
    template: str,
    context: dict,
    *,
    unsubscribe_url: str | None,
    reply_to: list[str] | None,
) -> EmailMultiAlternatives:
    context = {
        **context,
        **owner.names(),
        "site_url": settings.CIVICPLAN_SITE_URL,
        "unsubscribe_url": unsubscribe_url,
        "recipients": recipients,
    }
    subject = " ".join(_render(f"{template}_subject.txt", context, autoescape=False).split())
    text = _render(f"{template}.txt", context, autoescape=False).strip() + "\n"
    html = _render(f"{template}.html", context, autoescape=True)
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=reply_to,
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def _addresses(to: Iterable[str] | str) -> list[str]:
    addresses = [to] if isinstance(to, str) else list(to)
    seen: dict[str, str] = {}
    for address in addresses:
        address = address.strip()
        if address:
            seen.setdefault(address.lower(), address)
    return list(seen.values())


def send_templated(
    to: list[str] | str,
    template: str,
    context: dict,
    *,
    unsubscribe_kind: str | None = None,
    reply_to: list[str] | None = None,
    language: str = "ru",
    private: bool = False,
) -> list[OutgoingMessage]:
    """Send `template` (templates/<template>_subject.txt, .txt, .html) to `to`.

    Without `unsubscribe_kind` it is one message to all of `to` (a reply to something the
    reader did). With it (a MailPreference.Kind) each reader gets their own message with their
    own unsubscribe link, and readers who have unsubscribed from that kind get nothing. The
    context gets `site_url` and `unsubscribe_url`; build other links with `absolute()`.
    The letters are kept in the outbox and sent when the caller's transaction commits
    (`civicplan.outbox.delivery`); a `private` one's text is not shown to staff.
    """
    recipients = _addresses(to)
    if not recipients:
        return []
    with translation.override(language):
        if unsubscribe_kind is None:
            messages = [
                _message(recipients, template, context, unsubscribe_url=None, reply_to=reply_to)
            ]
        else:
            messages = []
            for address in recipients:
                preference = MailPreference.for_address(address)
                if not preference.wants(unsubscribe_kind):
                    continue
                path = reverse("outbox:unsubscribe", args=[preference.token])
                url = absolute(f"{path}?{urlencode({'kind': unsubscribe_kind})}")
                messages.append(
                    _message(
                        [address],
                        template,
                        {
                            **context,
                            "unsubscribe_label": MailPreference.Kind(unsubscribe_kind).label,
                        },
                        unsubscribe_url=url,
                        reply_to=reply_to,
                    )
                )
    return queue(messages, kind=template, private=private)
