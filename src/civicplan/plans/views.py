"""Plan pages: the public table and JSON, and the staff's import (upload, preview, confirm)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Case, F, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from civicplan.newsroom.queries import published_for_activity
from civicplan.plandoc import PlanReadError
from civicplan.plandoc.readers import MAX_FILE_BYTES
from civicplan.plandoc.writers import FORMATS, write_plan
from civicplan.plans.exporting import plan_document
from civicplan.plans.importing import ImportRefused, import_plan, read_for_import
from civicplan.plans.models import Activity, ActivityPlace, Plan
from civicplan.web.links import city_url

_UPLOADS = "uploads"
RELATED = 5  # other activities in the same cities on an activity's page
PLAN_PAGE_ROWS = 50  # rows of the plan's table on one page


def visible_plans(request: HttpRequest):
    """The public sees approved plans; staff who may view plans see drafts too."""
    plans = Plan.objects.all()
    if not request.user.has_perm("plans.view_plan"):
        plans = plans.filter(status=Plan.Status.APPROVED)
    return plans


def _plan_or_404(request: HttpRequest, year: int) -> Plan:
    plan = visible_plans(request).filter(year=year).order_by("id").first()
    if plan is None:
        raise Http404(_("План на этот год не найден."))
    return plan


def plan_page(request: HttpRequest, year: int) -> HttpResponse:
    """The plan's table as published, PLAN_PAGE_ROWS rows a page, with the sections and the
    page each begins on; the plan's closing notes on the last page. Six queries."""
    plan = _plan_or_404(request, year)
    section_of_rows = list(plan.activities.order_by("position").values_list("section", flat=True))
    total = len(section_of_rows)
    pages = max(1, -(-total // PLAN_PAGE_ROWS))
    number = _page_number(request, pages)
    first = (number - 1) * PLAN_PAGE_ROWS
    document = plan_document(plan, slice(first, first + PLAN_PAGE_ROWS))
    starts: dict[int, int] = {}
    for index, section in enumerate(section_of_rows):
        if section is not None:
            starts.setdefault(section, index // PLAN_PAGE_ROWS + 1)
    sections = [
        (section, starts[section.pk])
        for section in plan.sections.filter(pk__in=starts).order_by("position")
    ]

    def page_url(page: int) -> str:
        return f"{request.path}?page={page}" if page > 1 else request.path

    return render(
        request,
        "plans/plan.html",
        {
            "plan": plan,
            "document": document,
            "sections": [(section, page, page_url(page)) for section, page in sections],
            "pager": {
                "number": number,
                "pages": pages,
                "total": total,
                "first_shown": first + 1 if total else 0,
                "last_shown": min(first + PLAN_PAGE_ROWS, total),
                "previous_url": page_url(number - 1) if number > 1 else "",
                "next_url": page_url(number + 1) if number < pages else "",
            },
        },
    )


def _page_number(request: HttpRequest, pages: int) -> int:
    """The `page` of the query: a number from 1 to `pages`, else 404."""
    text = request.GET.get("page", "1")
    if not text.isdigit() or not 1 <= int(text) <= pages:
        raise Http404(_("Такой страницы плана нет."))
    return int(text)


def plan_download(request: HttpRequest, year: int, format_name: str) -> HttpResponse:
    """The plan in one export format; the public gets approved plans only."""
    plan = _plan_or_404(request, year)
    export = FORMATS[format_name]
    response = HttpResponse(
        write_plan(plan_document(plan), format_name), content_type=export.content_type
    )
    disposition = "inline" if format_name == "json" else "attachment"
    response["Content-Disposition"] = (
        f'{disposition}; filename="plan-{plan.year}.{export.extension}"'
    )
    return response


def activity_page(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """One activity with every field, its places and organisations linked to their pages, and
    up to five other activities in the same cities, and what was published about it (the
    post-release). Five queries (four without a city)."""
    plans = visible_plans(request)
    activity = get_object_or_404(
        Activity.objects.select_related("plan", "section"), pk=pk, plan__in=plans
    )
    if slug != activity.slug:  # an old or mistyped slug
        return redirect(activity.get_absolute_url(), permanent=True)
    places = list(activity.places.select_related("place"))
    responsibilities = list(activity.responsibilities.select_related("organisation"))
    cities = {located.place.city for located in places if located.place and located.place.city}
    related = (
        Activity.objects.filter(
            plan__in=plans,
            pk__in=ActivityPlace.objects.filter(place__city__in=cities).values("activity_id"),
        )
        .exclude(pk=activity.pk)
        .annotate(other_plan=Case(When(plan_id=activity.plan_id, then=Value(0)), default=Value(1)))
        .order_by("other_plan", F("start").asc(nulls_last=True), "position")[:RELATED]
    )
    return render(
        request,
        "plans/activity.html",
        {
            "activity": activity,
            "places": _place_entries(places),
            "responsibilities": responsibilities,
            "contacts": [link for link in responsibilities if link.contact],
            "related": list(related) if cities else [],
            "reports": published_for_activity(activity.pk),
            "absolute_url": request.build_absolute_uri(activity.get_absolute_url()),
        },
    )


@dataclass
class PlaceEntry:
    """One line of an activity's places: a city (linked to its page) with its venues, a venue
    without a city, or a scope ("все члены Ассоциации")."""

    city: str = ""
    url: str = ""
    region: str = ""
    country: str = ""
    venues: list[str] = field(default_factory=list)
    scope: str = ""


def _place_entries(places: list[ActivityPlace]) -> list[PlaceEntry]:
    """An activity's places to show, each city once."""
    entries: list[PlaceEntry] = []
    by_city: dict[str, PlaceEntry] = {}
    for located in places:
        place = located.place
        if place is None:
            entries.append(PlaceEntry(scope=str(located.get_scope_display())))
        elif place.city and place.city in by_city:
            if place.venue:
                by_city[place.city].venues.append(place.venue)
        else:
            entry = PlaceEntry(
                city=place.city,
                url=city_url(place.city) if place.city else "",
                region=place.region,
                country=place.country if place.country != "Россия" else "",
                venues=[place.venue] if place.venue else [],
            )
            entries.append(entry)
            if place.city:
                by_city[place.city] = entry
    return entries


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Файл плана (DOCX, XLSX или текст)"))
    year = forms.IntegerField(
        label=gettext_lazy("Год (если его нет в заголовке)"),
        required=False,
        min_value=1990,
        max_value=2100,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("Файл больше %(mb)s МБ.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


@permission_required("plans.add_plan", raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: upload. The file is read at once; a bad file is a 400 page saying why."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        year = form.cleaned_data["year"]
        try:
            document = read_for_import(data, upload.name, year)
        except PlanReadError as error:
            form.add_error("file", str(error))
            return render(request, "plans/import_upload.html", {"form": form}, status=400)
        token = secrets.token_urlsafe(16)
        default_storage.save(f"{_UPLOADS}/{token}", ContentFile(data))
        request.session[f"import:{token}"] = {"name": upload.name, "year": year}
        existing = Plan.objects.filter(year=document.year).exists()
        return render(
            request,
            "plans/import_preview.html",
            {
                "document": document,
                "token": token,
                "source": upload.name,
                "existing": existing,
                "warned_rows": {problem.row for problem in document.problems},
            },
        )
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/import_upload.html", {"form": form}, status=status)


@permission_required("plans.add_plan", raise_exception=True)
@require_POST
def import_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Step 2: confirm. The same file, read again, is imported in one transaction."""
    pending = request.session.pop(f"import:{token}", None)
    path = f"{_UPLOADS}/{token}"
    if pending is None or not default_storage.exists(path):
        raise Http404(_("Загрузка не найдена или уже импортирована."))
    with default_storage.open(path, "rb") as stored:
        data = stored.read()
    default_storage.delete(path)
    try:
        summary = import_plan(
            data,
            pending["name"],
            actor=request.user,
            year=pending["year"],
            status=request.POST.get("status", Plan.Status.DRAFT),
            replace=request.POST.get("replace") == "1",
        )
    except (PlanReadError, ImportRefused) as error:
        messages.error(request, str(error))
        return redirect(reverse("plans:import"))
    messages.success(
        request,
        _("План на %(year)s год импортирован, мероприятий: %(count)s.")
        % {"year": summary.year, "count": summary.activities},
    )
    return redirect(reverse("plans:plan", args=[summary.year]))
