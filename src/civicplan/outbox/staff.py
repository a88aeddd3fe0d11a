"""The outbox for staff: every letter CivicPlan wrote, its state, why it was not sent, and a
button to send it again. Letters are shown as text; a private one (a password reset) only by
its envelope. Thin views over civicplan.outbox.delivery."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from civicplan.common.paging import paginate
from civicplan.common.views import requires
from civicplan.outbox import delivery
from civicplan.outbox.models import OutgoingMessage

PER_PAGE = 50
Status = OutgoingMessage.Status
# The tabs' short names (a letter's own state is said in full on its row and its page).
TABS = {
    Status.HELD: gettext_lazy("не отправлены"),
    Status.QUEUED: gettext_lazy("в очереди"),
    Status.SENDING: gettext_lazy("отправляются"),
    Status.SENT: gettext_lazy("отправлены"),
    Status.FAILED: gettext_lazy("с ошибкой"),
}


@require_GET
@requires("outbox.view_outgoingmessage")
def outbox(request: HttpRequest) -> HttpResponse:
    """The letters, newest first, by state (a tab each, with its count). Three queries."""
    status = request.GET.get("status", "")
    letters = OutgoingMessage.objects.defer("raw", "text")
    counts = dict(letters.order_by().values_list("status").annotate(count=Count("id")))
    if status in Status.values:
        letters = letters.filter(status=status)
    tabs = [
        {"value": value, "label": label, "count": counts.get(value, 0), "current": value == status}
        for value, label in TABS.items()
    ]
    return render(
        request,
        "outbox/outbox.html",
        {
            "pager": paginate(letters, PER_PAGE, request, keep=("status",)),
            "tabs": tabs,
            "total": sum(counts.values()),
            "status": status,
            "held_because": delivery.held_reason(),
        },
    )


@require_GET
@requires("outbox.view_outgoingmessage")
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(OutgoingMessage.objects.defer("raw"), pk=pk)
    return render(
        request,
        "outbox/letter.html",
        {"letter": found, "held_because": delivery.held_reason()},
    )


@require_POST
@requires("outbox.change_outgoingmessage")
def send_again(request: HttpRequest, pk: int) -> HttpResponse:
    """A held or failed letter sent now; the page says what came of it."""
    found = get_object_or_404(OutgoingMessage, pk=pk)
    if found.status not in (Status.HELD, Status.FAILED):
        messages.error(request, _("Это письмо уже отправлено или отправляется."))
        return redirect("outbox:letter", pk=pk)
    found = delivery.send_again(found)
    if found.status == Status.SENT:
        messages.success(request, _("Письмо отправлено."))
    else:
        messages.warning(
            request,
            _("Письмо не отправлено: %(state)s.") % {"state": found.get_status_display()},
        )
    return redirect("outbox:letter", pk=pk)
