"""Plan pages: the public table and its downloads, and the staff's import (upload, preview,
confirm)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from civicplan.common.paging import paginate
from civicplan.common.uploads import FORM_FIELDS_BYTES, limit_request_size
from civicplan.common.views import requires
from civicplan.plandoc import PlanReadError
from civicplan.plandoc.jsonio import plan_from_json
from civicplan.plandoc.model import Problem
from civicplan.plandoc.readers import MAX_FILE_BYTES
from civicplan.plandoc.writers import FORMATS, write_plan
from civicplan.plans import downloads, uploads
from civicplan.plans.exporting import plan_document
from civicplan.plans.importing import IMPORT_STATUSES
from civicplan.plans.models import ExportJob, ImportJob, Plan
from civicplan.plans.queries import visible_plans

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
    """The plan in one export format; the public gets approved plans only. A long plan's file
    is written by a background task: until it is ready the answer is a page (202) that says
    so and reloads itself."""
    plan = _plan_or_404(request, year)
    export = FORMATS[format_name]
    job = downloads.requested(plan, format_name)
    if job is None:
        return _file(plan, export, write_plan(plan_document(plan), format_name))
    if job.status == ExportJob.Status.DONE:
        return _file(plan, export, default_storage.open(job.path, "rb"))
    context = {"plan": plan, "job": job, "export": export, "format_name": format_name}
    page = render(request, "plans/export_wait.html", context)
    if job.status == ExportJob.Status.FAILED:
        page.status_code = 503
        page["Retry-After"] = str(int(downloads.RETRY_FAILED.total_seconds()))
    else:
        page.status_code = 202
    return page


@require_safe
def export_state(request: HttpRequest, year: int, format_name: str) -> JsonResponse:
    """Whether the long plan's file is still being written (its page asks every 2 s)."""
    plan = _plan_or_404(request, year)
    job = downloads.requested(plan, format_name)
    over = job is None or job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED)
    return JsonResponse({"over": over}, headers={"Cache-Control": "no-store"})


def _file(plan: Plan, export, content) -> HttpResponse:
    disposition = "inline" if export.extension == "json" else "attachment"
    name = f"plan-{plan.year}.{export.extension}"
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=export.content_type)
        response["Content-Disposition"] = f'{disposition}; filename="{name}"'
        return response
    return FileResponse(
        content,
        content_type=export.content_type,
        as_attachment=disposition == "attachment",
        filename=name,
    )


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


class ConfirmForm(forms.Form):
    """What the imported plan will be, and whether it replaces the year's plan."""

    status = forms.ChoiceField(
        label=gettext_lazy("Статус плана"),
        choices=[(status.value, status.label) for status in IMPORT_STATUSES],
        initial=Plan.Status.DRAFT,
    )
    replace = forms.BooleanField(
        label=gettext_lazy("Заменить уже импортированный план этого года"), required=False
    )


@limit_request_size(lambda: MAX_FILE_BYTES + FORM_FIELDS_BYTES)
@requires("plans.add_plan")
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: upload. The file's size and format are checked at once (a bad file is a 400
    page saying why); reading and understanding it is a background task, followed on the job's
    page, which says what is wrong with its text."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = uploads.start(request.user, upload.read(), upload.name, form.cleaned_data["year"])
        except PlanReadError as error:
            form.add_error("file", str(error))
        else:
            return redirect("plans:import_job", token=job.token)
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/import_upload.html", {"form": form}, status=status)


@requires("plans.add_plan")
@require_GET
def import_job(request: HttpRequest, token: str) -> HttpResponse:
    """Step 2: the job's page: its progress while a task works (the page reloads itself), the
    preview with the confirmation form when it is read, what went wrong when it failed; when
    the plan is in, its page."""
    job = get_object_or_404(ImportJob, token=token)
    if job.status == ImportJob.Status.DONE and job.plan is not None:
        return redirect("plans:plan", year=job.plan.year)
    return _job_page(request, job, ConfirmForm())


@requires("plans.add_plan")
@require_GET
def import_state(request: HttpRequest, token: str) -> JsonResponse:
    """How far the job has got (its page asks every 2 s while a task works)."""
    job = get_object_or_404(ImportJob, token=token)
    working = job.status in (ImportJob.Status.READING, ImportJob.Status.IMPORTING)
    said = render_to_string("plans/_import_state.txt", {"job": job}, request)
    return JsonResponse(
        {"over": not working, "done": job.rows_done, "total": job.rows_total, "said": said},
        headers={"Cache-Control": "no-store"},
    )


def _job_page(request: HttpRequest, job: ImportJob, form: ConfirmForm, status: int = 200):
    context: dict = {"job": job, "form": form}
    if job.status == ImportJob.Status.READY:
        document = plan_from_json(job.document)
        document.problems = [Problem(**problem) for problem in job.problems]
        context.update(
            document=document,
            existing=Plan.objects.filter(year=document.year).exists(),
            warned_rows={problem.row for problem in document.problems},
        )
    return render(request, "plans/import_job.html", context, status=status)


@requires("plans.add_plan")
@require_POST
def import_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Step 3: confirm. Every field is checked; the import is a background task."""
    job = get_object_or_404(ImportJob, token=token)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _job_page(request, job, form, status=400)
    try:
        job = uploads.confirm(
            request.user, job, form.cleaned_data["status"], form.cleaned_data["replace"]
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _job_page(request, job, form, status=409)
    if job.status == ImportJob.Status.DONE and job.plan is not None:
        messages.success(
            request,
            _("План на %(year)s год импортирован, мероприятий: %(count)s.")
            % {"year": job.plan.year, "count": job.plan.activities.count()},
        )
    return redirect("plans:import_job", token=job.token)
