"""The staff's pages for a person's data requests: find the person, see what is kept about
them, hand it to them as a file, erase it. Thin views over civicplan.operations.privacy."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicplan.common.views import requires
from civicplan.operations import privacy

FOUND = 50
MAX_WORDS = 5  # of a name looked up


@require_GET
@requires(privacy.PERM)
def people(request: HttpRequest) -> HttpResponse:
    """People found by address, login or name (at most FOUND)."""
    text = " ".join(request.GET.get("q", "").split())[:200]
    found = []
    if text:
        condition = Q(email__icontains=text) | Q(username__icontains=text)
        for word in text.split()[:MAX_WORDS]:
            condition |= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        found = list(get_user_model().objects.filter(condition).order_by("email")[:FOUND])
    return render(request, "operations/people.html", {"q": text, "found": found})


@require_GET
@requires(privacy.PERM)
def person(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=pk)
    kept = privacy.Person(user)
    counts = {
        _("роль координатора"): kept.coordinator().count(),
        _("приглашения"): kept.invitations().count(),
        _("адреса, связанные с организациями"): kept.sender_addresses().count(),
        _("настройки рассылок"): kept.preferences().count(),
        _("письма ему (исходящие)"): kept.letters_to().count(),
        _("письма от него (на адрес новостей)"): kept.letters_from().count(),
        _("материалы"): kept.submissions().count(),
        _("заявки на конкурсы"): kept.applications().count(),
        _("места в жюри конкурсов"): kept.jury_seats().count(),
        _("записи журнала"): kept.events().count(),
        _("неудачные входы"): sum(q.count() for q in kept.failed_logins()),
    }
    return render(request, "operations/person.html", {"person": user, "counts": counts})


@require_GET
@requires(privacy.PERM)
def export(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=pk)
    data = privacy.export(request.user, user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="person-{user.pk}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@requires(privacy.PERM)
def erase(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=pk)
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Подтвердите удаление: его нельзя отменить."))
        return redirect("operations:person", pk=pk)
    try:
        privacy.erase(request.user, user)
    except PermissionDenied as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Персональные данные удалены."))
    return redirect("operations:person", pk=pk)
