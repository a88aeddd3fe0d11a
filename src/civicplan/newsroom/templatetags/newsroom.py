"""Template helpers of the newsroom's pages."""

from __future__ import annotations

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from civicplan.newsroom.display import body_html
from civicplan.newsroom.models import Submission, SubmissionEvent

register = template.Library()

# The actions of civicplan.newsroom.actions, as the history shows them.
ACTIONS = {
    "receive": _("получено"),
    "review": _("передано на рассмотрение"),
    "accept": _("принято из карантина"),
    "edit": _("отредактировано дирекцией"),
    "publish": _("опубликовано"),
    "request_changes": _("запрошены правки"),
    "reject": _("отклонено"),
    "resubmit": _("отправлено снова после правок"),
}


@register.filter
def event_label(event: SubmissionEvent) -> str:
    """What happened, in words; an action this list does not know shows the state it led to."""
    if event.action in ACTIONS:
        return str(ACTIONS[event.action])
    return str(dict(Submission.Status.choices).get(event.to_status, event.action))


@register.filter
def body(item: Submission) -> SafeString:
    """A submission's body, cleaned at display as well as when written (see display.py)."""
    return body_html(item)


@register.filter
def event_reason(event: SubmissionEvent) -> str:
    """The reason staff gave; for an edit or a resubmission, the changed fields by name."""
    if event.action in ("edit", "resubmit") and event.reason:
        names = []
        for name in event.reason.split(", "):
            try:
                names.append(str(Submission._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:
                names.append(name)
        return _("изменено: %(fields)s") % {"fields": ", ".join(names)}
    return event.reason
