"""The pages of what was done: an activity's closing report and progress (its staff and its
coordinators), the plan's execution (public, and the staff's with the rows without a report
and the annual report's files), the rows behind each number, and the reports' files."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from civicplan.common.paging import paginate
from civicplan.common.uploads import FORM_FIELDS_BYTES, limit_request_size
from civicplan.common.views import attempt, requires
from civicplan.newsroom.queries import published_for_activity
from civicplan.plans.models import Activity, Plan
from civicplan.plans.queries import visible_plan, visible_plans
from civicplan.reports import actions, charts, documents, files
from civicplan.reports.execution import (
    FILTERS,
    HALF_LABELS,
    PERIOD_LABELS,
    PERIODS,
    QUARTER_LABELS,
    STATE_LABELS,
    STATES,
    Execution,
    Group,
    long_row,
    read_execution,
    select,
)
from civicplan.reports.forms import MATERIAL_SLOTS, MaterialFormSet, ProgressForm, ReportForm
from civicplan.reports.models import ClosingReport, ProgressEntry, ReportFile, ReportMaterial

ROWS_PAGE_SIZE = 50
TOP = 15  # organisations and cities in the page's tables before "all"


def _reportable(request: HttpRequest, pk: int) -> Activity:
    activity = get_object_or_404(
        Activity.objects.select_related("plan"), pk=pk, plan__in=visible_plans(request.user)
    )
    actions.may_report(request.user, activity)
    return activity


def _report_limit() -> int:
    return MATERIAL_SLOTS * settings.CIVICPLAN_ATTACHMENT_MAX_BYTES + FORM_FIELDS_BYTES


@login_required
@limit_request_size(_report_limit)
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The activity's closing report: its form (with the materials kept and new ones), the
    post-releases and news published about it, and, for a long row, its progress."""
    activity = _reportable(request, pk)
    existing = ClosingReport.objects.filter(activity=activity).first()
    if request.method == "POST":
        form = ReportForm(request.POST, report=existing)
        materials = MaterialFormSet(request.POST, request.FILES, prefix="material")
        if form.is_valid() and materials.is_valid():
            new = [m for m in (slot.material() for slot in materials) if m is not None]
            try:
                actions.save_report(request.user, activity, form.report_data(new))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Отчёт о мероприятии сохранён."))
                return redirect(activity.get_absolute_url())
        status = 400
    else:
        form = ReportForm(initial=ReportForm.initial_of(existing, activity), report=existing)
        materials = MaterialFormSet(prefix="material")
        status = 200
    return render(
        request,
        "reports/report_form.html",
        {
            "activity": activity,
            "report": existing,
            "form": form,
            "materials": materials,
            "kept": form.materials,
            "published": published_for_activity(activity.pk),
            "progress": _progress_context(activity),
        },
        status=status,
    )


def _progress_context(activity: Activity) -> dict:
    """A long row's progress and the form for its next step; a short row with none has no
    progress section (its report says how it went)."""
    entries = list(activity.progress.order_by("-on", "-id"))
    long = long_row(activity.precision, activity.recurrence, activity.kind)
    return {
        "entries": entries,
        "form": ProgressForm(),
        "shown": bool(entries) or long or activity.children.exists(),
    }


@login_required
@require_POST
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """A progress entry added to the activity (from its report page)."""
    activity = _reportable(request, pk)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Шаг выполнения не добавлен: проверьте поля."))
    else:
        data = form.cleaned_data
        fields = (data["on"], data["status"], data["percent"], data["text"])
        if attempt(request, actions.add_progress, activity, *fields) is not None:
            messages.success(request, _("Шаг выполнения добавлен."))
    return redirect(reverse("reports:report", args=[activity.pk]) + "#progress")


@login_required
@require_POST
def progress_delete(request: HttpRequest, pk: int, entry: int) -> HttpResponse:
    activity = _reportable(request, pk)
    found = get_object_or_404(ProgressEntry, pk=entry, activity=activity)
    attempt(request, actions.delete_progress, found)
    return redirect(reverse("reports:report", args=[activity.pk]) + "#progress")


# -- the execution ------------------------------------------------------------------------------


def _plan_or_404(request: HttpRequest, year: int) -> Plan:
    plan = visible_plan(request.user, year)
    if plan is None:
        raise Http404(_("План на этот год не найден."))
    return plan


def _period(request: HttpRequest) -> str:
    period = request.GET.get("period") or "year"
    if period not in PERIODS:
        raise Http404(_("Такого периода нет."))
    return period


def _rows_url(year: int, period: str) -> Callable[..., str]:
    base = reverse("reports:execution_rows", args=[year])

    def url(**wanted: str) -> str:
        query = [(name, value) for name, value in wanted.items() if value]
        if period != "year":
            query.insert(0, ("period", period))
        return f"{base}?{urlencode(query)}" if query else base

    return url


def _execution_context(execution: Execution) -> dict:
    year = execution.plan.year
    url = _rows_url(year, execution.period)

    def chart(chart_id: str, title: str, description: str, groups: list, by: str):
        return charts.stacked_chart(
            chart_id,
            title,
            description,
            groups,
            lambda key, state: url(**{by: key, "state": state}),
        )

    total = Group("", _("Весь план"), execution.total)
    description = _(
        "Строки плана по состоянию: проведено, ждёт отчёта, перенесено, отменено, впереди. "
        "Каждая часть полосы — ссылка на её строки; те же числа — в таблице под графиком."
    )
    return {
        "execution": execution,
        "states": [(state, STATE_LABELS[state]) for state in STATES],
        "periods": [(key, PERIOD_LABELS[key]) for key in PERIODS],
        "rows_url": url,
        "charts": {
            "total": chart("chart-total", _("План в целом"), description, [total], "period"),
            "quarter": chart(
                "chart-quarter", _("По кварталам"), description, execution.by_quarter, "quarter"
            ),
            "half": chart("chart-half", _("По полугодиям"), description, execution.by_half, "half"),
            "kind": chart("chart-kind", _("По видам"), description, execution.by_kind, "kind"),
        },
        "organisations": execution.by_organisation[:TOP],
        "cities": execution.by_city[:TOP],
        "more_organisations": max(0, len(execution.by_organisation) - TOP),
        "more_cities": max(0, len(execution.by_city) - TOP),
    }


def execution(request: HttpRequest, year: int) -> HttpResponse:
    """«Выполнение плана»: what became of the plan's rows, counted every way, each number a
    link to its rows. Nine queries whatever the plan's size."""
    plan = _plan_or_404(request, year)
    period = _period(request)
    found = read_execution(plan, period)
    context = _execution_context(found)
    context["all_lines"] = request.GET.get("all") == "1"
    if context["all_lines"]:
        context["organisations"], context["cities"] = found.by_organisation, found.by_city
        context["more_organisations"] = context["more_cities"] = 0
    return render(request, "reports/execution.html", context)


def execution_rows(request: HttpRequest, year: int) -> HttpResponse:
    """The rows behind a number of the execution page."""
    plan = _plan_or_404(request, year)
    period = _period(request)
    found = read_execution(plan, period)
    wanted = {name: request.GET.get(name, "") for name in FILTERS}
    if wanted["state"] and wanted["state"] not in STATES:
        raise Http404(_("Такого состояния нет."))
    rows = list(select(found.rows, **wanted))
    pager = paginate(rows, ROWS_PAGE_SIZE, request, keep=("period", *FILTERS))
    return render(
        request,
        "reports/execution_rows.html",
        {
            "execution": found,
            "pager": pager,
            "chosen": _chosen(found, wanted),
            "period_label": PERIOD_LABELS[period],
        },
    )


def _chosen(found: Execution, wanted: dict[str, str]) -> list[str]:
    """The filters in words, for the page's heading."""
    names: dict[str, str] = {}
    for row in found.rows:
        for party in (*row.responsible, *row.members):
            names[str(party.id)] = party.name
    labels = {
        "state": lambda v: STATE_LABELS.get(v, v),
        "quarter": lambda v: QUARTER_LABELS.get(v, v),
        "half": lambda v: HALF_LABELS.get(v, v),
        "kind": lambda v: Activity.Kind(v).label if v in Activity.Kind.values else v,
        "organisation": lambda v: names.get(v, v),
        "city": lambda v: v,
        "member": lambda v: names.get(v, v),
        "present": lambda v: _("участвовал: %(name)s") % {"name": names.get(v, v)},
        "reported": lambda v: _("с отчётом"),
        "window": lambda v: _("в запланированные сроки") if v == "in" else _("вне сроков"),
    }
    return [str(labels[name](value)) for name, value in wanted.items() if value]


@requires("reports.view_execution")
def staff_execution(request: HttpRequest, year: int) -> HttpResponse:
    """The staff's execution page: the public page's numbers, the rows that still need a
    report (each with its form), and the annual report's files. Private: never cached."""
    plan = _plan_or_404(request, year)
    period = _period(request)
    found = read_execution(plan, period)
    context = _execution_context(found)
    context["missing"] = sorted(
        [*found.awaiting, *found.held_without_report], key=lambda row: row.position
    )
    context["formats"] = documents.REPORT_FORMATS
    return render(request, "reports/staff_execution.html", context)


@requires("reports.view_execution")
def download(request: HttpRequest, year: int, format_name: str) -> HttpResponseBase:
    """The annual (or half-year) report as DOCX, PDF or XLSX: written in the request for a
    short plan, else by the background task (a page that waits for it until it is there)."""
    plan = _plan_or_404(request, year)
    period = _period(request)
    if format_name not in documents.REPORT_FORMATS:
        raise Http404(_("Такого формата нет."))
    name = documents.file_name(plan, period, format_name)
    job = files.requested(plan, period, format_name)
    if job is None:
        content = documents.write_report(plan, period, format_name)
        response = HttpResponse(content, content_type=documents.content_type(format_name))
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    elif job.status == ReportFile.Status.DONE:
        response = FileResponse(
            default_storage.open(job.path, "rb"),
            content_type=documents.content_type(format_name),
            as_attachment=True,
            filename=name,
        )
    else:
        response = render(
            request,
            "reports/report_wait.html",
            {
                "plan": plan,
                "job": job,
                "name": name,
                "state_url": reverse("reports:report_state", args=[year, format_name])
                + f"?period={period}",
            },
            status=503 if job.status == ReportFile.Status.FAILED else 202,
        )
        if job.status == ReportFile.Status.FAILED:
            response["Retry-After"] = str(int(files.RETRY_FAILED.total_seconds()))
    response["Cache-Control"] = "private, no-store"
    return response


@requires("reports.view_execution")
@require_safe
def report_state(request: HttpRequest, year: int, format_name: str) -> JsonResponse:
    """Whether a long year's report is still being written (its page asks every 2 s)."""
    plan = _plan_or_404(request, year)
    if format_name not in documents.REPORT_FORMATS:
        raise Http404(_("Такого формата нет."))
    job = files.requested(plan, _period(request), format_name)
    over = job is None or job.status in (ReportFile.Status.DONE, ReportFile.Status.FAILED)
    return JsonResponse({"over": over}, headers={"Cache-Control": "no-store"})


# -- the reports' files --------------------------------------------------------------------------

CONTENT_TYPES = {
    ReportMaterial.Type.PDF: "application/pdf",
    ReportMaterial.Type.DOCX: (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    ReportMaterial.Type.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportMaterial.Type.PPTX: (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
    ReportMaterial.Type.JPEG: "image/jpeg",
    ReportMaterial.Type.PNG: "image/png",
}


def _material(request: HttpRequest, pk: int) -> tuple[ReportMaterial, bool]:
    """A material of a report on an activity the visitor may see, and whether it is public."""
    found = get_object_or_404(
        ReportMaterial.objects.select_related("report__activity__plan").exclude(file=""),
        pk=pk,
        report__activity__plan__in=visible_plans(request.user),
    )
    return found, found.report.activity.plan.status == Plan.Status.APPROVED


def material(request: HttpRequest, pk: int) -> FileResponse:
    """A material's file, typed by its sniffed content; pictures shown, others downloaded."""
    found, public = _material(request, pk)
    picture = found.type in (ReportMaterial.Type.JPEG, ReportMaterial.Type.PNG)
    response = FileResponse(
        found.file.open("rb"),
        content_type=CONTENT_TYPES[found.type],
        as_attachment=not picture,
        filename=f"{found.pk}.{found.extension}",
    )
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response


def thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    found, public = _material(request, pk)
    if not found.thumbnail:
        raise Http404(_("Файл не найден."))
    response = FileResponse(found.thumbnail.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response
