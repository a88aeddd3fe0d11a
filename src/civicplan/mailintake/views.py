"""The directorate's list of letters that failed to process, with a retry for each."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicplan.common.paging import paginate
from civicplan.common.views import attempt, requires
from civicplan.mailintake import actions
from civicplan.mailintake.models import InboundMessage

PERM = "newsroom.moderate_submission"
PER_PAGE = 50


@require_GET
@requires(PERM)
def failed_list(request: HttpRequest) -> HttpResponse:
    failed = InboundMessage.objects.filter(status=InboundMessage.Status.FAILED).order_by(
        "-received", "-pk"
    )
    pager = paginate(failed, PER_PAGE, request)
    waiting = InboundMessage.objects.filter(status=InboundMessage.Status.STORED).count()
    return render(request, "mailintake/failed.html", {"pager": pager, "waiting": waiting})


@require_POST
@requires(PERM)
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    message = attempt(request, actions.retry, get_object_or_404(InboundMessage, pk=pk))
    if message is None:
        return redirect("mailintake:failed")
    if message.status == InboundMessage.Status.FAILED:
        messages.error(
            request,
            _("Письмо «%(subject)s» снова не разобрано: %(error)s")
            % {"subject": message, "error": message.error},
        )
    else:
        messages.success(
            request,
            _("Письмо «%(subject)s» разобрано: %(status)s.")
            % {"subject": message, "status": message.get_status_display()},
        )
    return redirect("mailintake:failed")
