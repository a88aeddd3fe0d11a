"""Plan pages: the public table and its downloads, and the staff's import (upload, preview,
confirm)."""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from civicplan.common.paging import paginate
from civicplan.plandoc import PlanReadError
from civicplan.plandoc.readers import MAX_FILE_BYTES
from civicplan.plandoc.writers import FORMATS, write_plan
from civicplan.plans.exporting import plan_document
from civicplan.plans.importing import ImportRefused, import_plan, read_for_import
from civicplan.plans.models import Plan
from civicplan.plans.queries import visible_plans

_UPLOADS = "uploads"
PLAN_PAGE_ROWS = 50  # rows of the plan's table on one page


def _plan_or_404(request: HttpRequest, year: int) -> Plan:
    plan = visible_plans(request.user).filter(year=year).order_by("id").first()
    if plan is None:
        raise Http404(_("План на этот год не найден."))
    return plan


def plan_page(request: HttpRequest, year: int) -> HttpResponse:
    """The plan's table as published, PLAN_PAGE_ROWS rows a page, with the sections and the
    page each begins on; the plan's closing notes on the last page. Six queries."""
    plan = _plan_or_404(request, year)
    section_of_rows = list(plan.activities.order_by("position").values_list("section", flat=True))
    pager = paginate(section_of_rows, PLAN_PAGE_ROWS, request, strict=True)
    first = pager.first_shown - 1 if pager.total else 0
    document = plan_document(plan, slice(first, first + PLAN_PAGE_ROWS))
    starts: dict[int, int] = {}
    for index, section in enumerate(section_of_rows):
        if section is not None:
            starts.setdefault(section, index // PLAN_PAGE_ROWS + 1)
    sections = [
        (section, starts[section.pk], pager.url(starts[section.pk]))
        for section in plan.sections.filter(pk__in=starts).order_by("position")
    ]
    return render(
        request,
        "plans/plan.html",
        {"plan": plan, "document": document, "sections": sections, "pager": pager},
    )


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
