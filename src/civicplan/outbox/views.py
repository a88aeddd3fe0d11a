"""The pages an unsubscribe link opens. No login: the token in the link stands for the address."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from civicplan.outbox import actions
from civicplan.outbox.models import MailPreference

Kind = MailPreference.Kind


def _kinds(request: HttpRequest) -> list[str]:
    """The kind named in the link (?kind=…); a link without one stands for every mailing."""
    kind = request.GET.get("kind", "")
    return [kind] if kind in Kind.values else list(Kind.values)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """RFC 8058: a mail client's one-click POST (body List-Unsubscribe=One-Click) cannot carry a
    CSRF token, and the secret token in the URL is its proof; every other request to this page
    is checked for CSRF as usual."""
    if request.method == "POST" and request.POST.get("List-Unsubscribe") == "One-Click":
        preference = get_object_or_404(MailPreference, token=token)
        actions.unsubscribe(preference, _kinds(request), how="one-click")
        return HttpResponse(_("Вы отписались."), content_type="text/plain; charset=utf-8")
    return _unsubscribe_page(request, token)


@csrf_protect
def _unsubscribe_page(request: HttpRequest, token: str) -> HttpResponse:
    preference = get_object_or_404(MailPreference, token=token)
    kinds = _kinds(request)
    if request.method == "POST":
        actions.unsubscribe(preference, kinds, how="page")
        messages.success(request, _("Готово: эти письма больше не придут."))
        return redirect("outbox:subscriptions", token=token)
    labels = [Kind(kind).label for kind in kinds]
    return render(
        request,
        "outbox/unsubscribe.html",
        {"preference": preference, "labels": labels, "kind": request.GET.get("kind", "")},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def subscriptions(request: HttpRequest, token: str) -> HttpResponse:
    """Every mailing with a checkbox: to resubscribe, or to stop several at once."""
    preference = get_object_or_404(MailPreference, token=token)
    if request.method == "POST":
        preference = actions.set_subscriptions(preference, request.POST.getlist("kind"))
        messages.success(request, _("Настройки рассылок сохранены."))
        return redirect("outbox:subscriptions", token=token)
    choices = [(kind, label, preference.wants(kind)) for kind, label in Kind.choices]
    return render(
        request,
        "outbox/subscriptions.html",
        {"preference": preference, "choices": choices},
    )
