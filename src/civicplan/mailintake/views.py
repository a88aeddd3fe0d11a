"""The directorate's list of letters that failed to process, with a retry for each."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicplan.common.paging import paginate
from civicplan.mailintake import actions
from civicplan.mailintake.models import InboundMessage

PERM = "newsroom.moderate_submission"
PER_PAGE = 50


def directorate_only(view):
    """Anonymous users are sent to log in; anyone else without the permission gets 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm(PERM):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@directorate_only
def failed_list(request: HttpRequest) -> HttpResponse:
    failed = InboundMessage.objects.filter(status=InboundMessage.Status.FAILED).order_by(
        "-received", "-pk"
    )
    pager = paginate(failed, PER_PAGE, request)
    waiting = InboundMessage.objects.filter(status=InboundMessage.Status.STORED).count()
    return render(request, "mailintake/failed.html", {"pager": pager, "waiting": waiting})


@require_POST
@directorate_only
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(InboundMessage, pk=pk)
    try:
        message = actions.retry(request.user, message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
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
