"""Plan pages: the public table and its downloads, its versions and what each changed, and the
staff's import in three steps (upload; the columns; the preview, with the year when the
document has none, and confirm)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from civicplan.common.files import file_type
from civicplan.common.paging import paginate, query_url
from civicplan.common.uploads import FORM_FIELDS_BYTES, limit_request_size
from civicplan.common.views import requires
from civicplan.plandoc import PlanReadError
from civicplan.plandoc.columns import ROLE_NAMES, ROLES
from civicplan.plandoc.model import FIELD_NAMES
from civicplan.plandoc.readers import MAX_FILE_BYTES
from civicplan.plandoc.writers import FORMATS, write_plan
from civicplan.plans import downloads, uploads, versions
from civicplan.plans.exporting import plan_document
from civicplan.plans.importing import IMPORT_STATUSES, plan_exists
from civicplan.plans.models import (
    Activity,
    ActivityPlace,
    ExportJob,
    ImportJob,
    Plan,
    PlanVersion,
    Responsibility,
)
from civicplan.plans.preview import has_header
from civicplan.plans.queries import visible_plan

PLAN_PAGE_ROWS = 50  # rows of the plan's table on one page
PREVIEW_ROWS = 100  # rows of an import's preview on one page
PROBLEM_GROUPS = 60  # kinds of warning listed at the top of the preview
PROBLEM_ROWS = 12  # rows linked from one kind of warning


def _plan_or_404(request: HttpRequest, year: int) -> Plan:
    plan = visible_plan(request.user, year)
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
    return _download(request, plan, format_name)


def _download(
    request: HttpRequest, plan: Plan, format_name: str, version: PlanVersion | None = None
) -> HttpResponse:
    """The file, written in the request for a short plan, else by the background task (a page
    that waits for it until it is there)."""
    export = FORMATS[format_name]
    name = f"plan-{plan.year}-v{version.number}" if version else ""
    job = downloads.requested(plan, format_name, version)
    if job is None:
        document = versions.version_document(version) if version else plan_document(plan)
        return _file(plan, export, write_plan(document, format_name), name)
    if job.status == ExportJob.Status.DONE:
        return _file(plan, export, default_storage.open(job.path, "rb"), name)
    state = (
        reverse("plans:version_state", args=[plan.year, version.number, format_name])
        if version
        else reverse("plans:export_state", args=[plan.year, format_name])
    )
    context = {
        "plan": plan,
        "job": job,
        "export": export,
        "format_name": format_name,
        "state_url": state,
        "version": version,
    }
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
    return _state(downloads.requested(plan, format_name))


@require_safe
def version_state(request: HttpRequest, year: int, number: int, format_name: str) -> JsonResponse:
    """Whether a long version's file is still being written (its page asks every 2 s)."""
    plan = _plan_or_404(request, year)
    return _state(downloads.requested(plan, format_name, _version_or_404(plan, number)))


def _state(job: ExportJob | None) -> JsonResponse:
    over = job is None or job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED)
    return JsonResponse({"over": over}, headers={"Cache-Control": "no-store"})


def _file(plan: Plan, export, content, name: str = "") -> HttpResponse:
    disposition = "inline" if export.extension == "json" else "attachment"
    name = f"{name or f'plan-{plan.year}'}.{export.extension}"
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


# -- versions ----------------------------------------------------------------------------------


@require_safe
def plan_changes(request: HttpRequest, year: int) -> HttpResponse:
    """«Изменения плана»: every version of the plan, newest first, with its decision, reason
    and what it changed against the version before, row by row. Three queries."""
    plan = _plan_or_404(request, year)
    listed = [
        {"version": entry.version, "rows": [_shown_change(row) for row in entry.rows]}
        for entry in versions.plan_changes(plan)
    ]
    return render(request, "plans/changes.html", {"plan": plan, "versions": listed})


def _shown_change(row: versions.RowChange) -> dict[str, Any]:
    """A row's change as the page says it: what happened to the row first (added, removed,
    postponed, cancelled, held or changed), then each other field before and after, marked as
    the plan's own words (the time frame, title, place, parties) or the site's (format, a state
    other than those)."""
    words_of_the_site = {str(label) for label, _value in versions.COMPARED[-2:]}
    state = str(versions.COMPARED[-1][0])
    # the states a change is named by, in the page's language
    named = {str(label): value for value, label in Activity.Status.choices if value != "planned"}
    kind = row.kind
    changes = []
    for label, before, after in row.changes:
        if label == state and after in named:
            kind = named[after]
            continue  # the change's heading says it
        changes.append(
            {
                "label": label,
                "before": before,
                "after": after,
                "plan": label not in words_of_the_site,
            }
        )
    return {"kind": kind, "title": row.title, "changes": changes, "reasons": row.reasons}


def _version_or_404(plan: Plan, number: int) -> PlanVersion:
    version = plan.versions.filter(number=number).first()
    if version is None:
        raise Http404(_("Такой версии плана нет."))
    return version


@require_safe
def version_download(
    request: HttpRequest, year: int, number: int, format_name: str
) -> HttpResponse:
    """The plan as it stood at version `number`, in an export format (plan-2024-v1.docx): the
    version's rows were frozen when it was published, so a long plan's file is written once by
    the background task and kept."""
    plan = _plan_or_404(request, year)
    return _download(request, plan, format_name, _version_or_404(plan, number))


_SCAN_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


@require_safe
def decision_scan(request: HttpRequest, year: int, number: int) -> FileResponse:
    """The signed scan of the decision that approved a version: only a published version's (a
    plan that is no draft), always a download, typed by what its bytes are."""
    plan = _plan_or_404(request, year)
    version = _version_or_404(plan, number)
    if plan.status == Plan.Status.DRAFT or not version.decision_scan:
        raise Http404(_("Скана решения нет."))
    try:
        stream = version.decision_scan.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("Скана решения нет.")) from missing
    kind = file_type(stream.read(16))
    stream.seek(0)
    if kind not in _SCAN_TYPES:
        stream.close()
        raise Http404(_("Скана решения нет."))
    extension = {"jpeg": "jpg"}.get(kind, kind)
    return FileResponse(
        stream,
        content_type=_SCAN_TYPES[kind],
        as_attachment=True,
        filename=f"plan-{plan.year}-v{version.number}-decision.{extension}",
    )


# -- the staff's import ------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Файл плана"),
        help_text=gettext_lazy("DOCX, XLSX, ODT, ODS, PDF с текстом, DOC, XLS, RTF или текст."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("Файл больше %(mb)s МБ.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


class ColumnsForm(forms.Form):
    """A role for each column of each plan table of the job (fields t<table>c<column>)."""

    def __init__(self, tables: list[dict[str, Any]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tables = tables
        choices = [(role, _(ROLE_NAMES[role])) for role in ROLES]
        for t, table in enumerate(tables):
            if not table.get("table", True):
                continue
            for c, header in enumerate(table["headers"]):
                self.fields[f"t{t}c{c}"] = forms.ChoiceField(
                    label=_column_label(header, c), choices=choices, initial=table["roles"][c]
                )

    def chosen(self) -> list[list[str]]:
        return [
            [self.cleaned_data[f"t{t}c{c}"] for c in range(len(table["headers"]))]
            if table.get("table", True)
            else list(table["roles"])
            for t, table in enumerate(self.tables)
        ]


def _column_label(header: str, column: int) -> str:
    return header.strip() or _("Столбец %(number)s") % {"number": column + 1}


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("Год плана"),
        min_value=uploads.YEARS[0],
        max_value=uploads.YEARS[1],
        help_text=gettext_lazy("Например, 2026. Строки будут прочитаны заново с этим годом."),
    )


class ConfirmForm(forms.Form):
    """What the imported plan will be, and, when the year has a plan, whether it replaces it."""

    status = forms.ChoiceField(
        label=gettext_lazy("Импортировать как"),
        choices=[
            (Plan.Status.DRAFT.value, gettext_lazy("черновик: виден только сотрудникам")),
            (Plan.Status.APPROVED.value, gettext_lazy("утверждённый план: сразу на сайте")),
        ],
        initial=Plan.Status.DRAFT,
        widget=forms.RadioSelect,
    )
    replace = forms.BooleanField(label=gettext_lazy("Заменить существующий план"), required=False)

    def __init__(self, *args: Any, existing: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if existing is None:
            del self.fields["replace"]
        else:
            self.fields["replace"].label = _("Заменить существующий план на %(year)s год") % {
                "year": existing
            }
            self.fields["replace"].help_text = _(
                "Мероприятия, которые есть в обоих планах, сохранят свои адреса и подписки "
                "в календарях."
            )


assert {status.value for status in IMPORT_STATUSES} == {
    value for value, _label in ConfirmForm.base_fields["status"].choices
}


@limit_request_size(lambda: MAX_FILE_BYTES + FORM_FIELDS_BYTES)
@requires("plans.add_plan")
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Step 1: upload. The file's size and format are checked at once (a bad file is a 400
    page saying why); reading it is a background task, followed on the job's page, which
    says what is wrong with its text or shows its columns."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = uploads.start(request.user, upload.read(), upload.name)
        except PlanReadError as error:
            form.add_error("file", str(error))
        else:
            return redirect("plans:import_job", token=job.token)
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/import_upload.html", {"form": form, "step": 1}, status=status)


@requires("plans.add_plan")
@require_GET
def import_job(request: HttpRequest, token: str) -> HttpResponse:
    """The job's page: its progress while a task works (the page reloads itself), then the
    step staff are at (the columns, the preview with the confirmation), what went wrong when
    it failed; when the plan is in, its page."""
    job = get_object_or_404(ImportJob, token=token)
    if job.status == ImportJob.Status.DONE and job.plan is not None:
        return redirect("plans:plan", year=job.plan.year)
    return _step_page(request, job)


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


@requires("plans.add_plan")
@require_http_methods(["GET", "POST"])
def import_columns(request: HttpRequest, token: str) -> HttpResponse:
    """Step 2: each table's columns and their roles (also reached back from the preview).
    Posted, the roles are checked and the rows read with them."""
    job = get_object_or_404(ImportJob, token=token)
    if job.status != ImportJob.Status.READY:
        if request.method == "GET":
            return redirect("plans:import_job", token=job.token)
        return _step_page(request, job, status=409)
    form = ColumnsForm(job.columns, request.POST or None)
    if request.method == "GET":
        return _columns_page(request, job, form)
    if form.is_valid():
        try:
            uploads.choose_columns(request.user, job, form.chosen())
        except ValidationError as error:
            form.add_error(None, error)
            return _columns_page(request, job, form, status=_refusal_status(error))
        return redirect("plans:import_job", token=job.token)
    return _columns_page(request, job, form, status=400)


@requires("plans.add_plan")
@require_POST
def import_year(request: HttpRequest, token: str) -> HttpResponse:
    """The preview's question when the document gives no year: its rows are read again."""
    job = get_object_or_404(ImportJob, token=token)
    form = YearForm(request.POST)
    if form.is_valid():
        try:
            uploads.set_year(request.user, job, form.cleaned_data["year"])
        except ValidationError as error:
            form.add_error(None, error)
            return _step_page(request, job, year_form=form, status=_refusal_status(error))
        return redirect("plans:import_job", token=job.token)
    return _step_page(request, job, year_form=form, status=400)


@requires("plans.add_plan")
@require_POST
def import_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Step 3: confirm. Every field is checked; the import is a background task."""
    job = get_object_or_404(ImportJob, token=token)
    form = ConfirmForm(request.POST, existing=_existing_year(job))
    if not form.is_valid():
        return _step_page(request, job, confirm_form=form, status=400)
    try:
        job = uploads.confirm(
            request.user, job, form.cleaned_data["status"], form.cleaned_data.get("replace", False)
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _step_page(request, job, confirm_form=form, status=409)
    if job.status == ImportJob.Status.DONE and job.plan is not None:
        messages.success(
            request,
            _("План на %(year)s год импортирован, мероприятий: %(count)s.")
            % {"year": job.plan.year, "count": job.plan.activities.count()},
        )
    return redirect("plans:import_job", token=job.token)


def _refusal_status(error: ValidationError) -> int:
    """A step taken twice (the job moved on) is a conflict; anything else, bad input."""
    return 409 if getattr(error, "code", None) == "state" else 400


def _existing_year(job: ImportJob) -> int | None:
    """The preview's year, when the owner has a plan for it already."""
    year = (job.document or {}).get("year")
    return year if year is not None and plan_exists(year) else None


def _step_page(
    request: HttpRequest,
    job: ImportJob,
    *,
    year_form: YearForm | None = None,
    confirm_form: ConfirmForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page of the step the job is at."""
    if job.status == ImportJob.Status.READY:
        if job.stage == ImportJob.Stage.COLUMNS:
            return _columns_page(request, job, ColumnsForm(job.columns), status)
        if job.document:
            return _preview_page(request, job, year_form, confirm_form, status)
    step = 1 if job.stage == ImportJob.Stage.COLUMNS else 3
    return render(request, "plans/import_job.html", {"job": job, "step": step}, status=status)


def _columns_page(
    request: HttpRequest, job: ImportJob, form: ColumnsForm, status: int = 200
) -> HttpResponse:
    tables = []
    for t, table in enumerate(job.columns):
        columns = []
        if table.get("table", True):
            for c, header in enumerate(table["headers"]):
                guessed, role = table["guessed"][c], table["roles"][c]
                columns.append(
                    {
                        "field": form[f"t{t}c{c}"],
                        "header": header.strip(),
                        "number": c + 1,
                        "samples": table["samples"][c],
                        "guessed": _(ROLE_NAMES[guessed]) if guessed != role else "",
                    }
                )
        remembered = table.get("remembered")
        tables.append(
            {
                "number": t + 1,
                "columns": columns,
                "table": table.get("table", True),
                "headerless": not has_header(table["signature"]),
                "remembered": remembered
                and {"by": remembered["by"], "on": datetime.fromisoformat(remembered["on"])},
            }
        )
    context = {"job": job, "form": form, "tables": tables, "step": 2}
    return render(request, "plans/import_columns.html", context, status=status)


def _preview_page(
    request: HttpRequest,
    job: ImportJob,
    year_form: YearForm | None,
    confirm_form: ConfirmForm | None,
    status: int,
) -> HttpResponse:
    """Step 3: the preview. Warnings first (each kind once, with links to its rows), then
    the counts and the confirmation, then the rows as understood, PREVIEW_ROWS a page (only
    those with warnings on asking). Four queries whatever the plan's size."""
    shown = job.document
    year = shown.get("year")
    existing = year if year is not None and plan_exists(year) else None
    warned: dict[int | None, list[dict[str, Any]]] = {}
    for problem in job.problems:
        warned.setdefault(problem["row"], []).append(problem)
    only_warned = request.GET.get("warnings") == "1"
    rows = shown["activities"]
    listed = [row for row in rows if row["row"] in warned] if only_warned else rows
    pager = paginate(listed, PREVIEW_ROWS, request, keep=("warnings",))
    context = {
        "job": job,
        "step": 3,
        "shown": shown,
        "year": year,
        "existing": existing,
        "counts": shown.get("counts", {}),
        "warned_rows": sum(1 for row in rows if row["row"] in warned),
        "problem_count": len(job.problems),
        "groups": _problem_groups(job.problems, listed, query_url(request, ("warnings",))),
        "only_warned": only_warned,
        "pager": pager,
        "rows": [_shown_row(row, warned) for row in pager.object_list],
        "has_extra": any(row["extra"] for row in rows),
        "year_form": year_form or (YearForm() if year is None else None),
        "form": confirm_form or ConfirmForm(existing=existing),
    }
    return render(request, "plans/import_preview.html", context, status=status)


def _problem_groups(
    problems: list[dict[str, Any]], listed: list[dict[str, Any]], page_url
) -> dict[str, Any]:
    """The warnings, each kind (field and message) once with links to the rows it is in."""
    index = {row["row"]: i for i, row in enumerate(listed) if row["row"] is not None}
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for problem in problems:
        field = problem.get("field") or ""
        group = groups.setdefault(
            (field, problem["message"]),
            {
                "field": _(FIELD_NAMES[field]) if field in FIELD_NAMES else field,
                "message": problem["message"],
                "rows": [],
                "more": 0,
            },
        )
        row = problem.get("row")
        if row is None:
            continue
        if len(group["rows"]) >= PROBLEM_ROWS:
            group["more"] += 1
        elif row in index:
            page = index[row] // PREVIEW_ROWS + 1
            group["rows"].append({"row": row, "url": f"{page_url(page)}#row-{row}"})
        else:
            group["rows"].append({"row": row, "url": ""})
    listed_groups = list(groups.values())
    return {"shown": listed_groups[:PROBLEM_GROUPS], "more": len(listed_groups) - PROBLEM_GROUPS}


def _label(choices, value: str | None) -> str:
    return str(choices(value).label) if value in choices.values else ""


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _shown_row(row: dict[str, Any], warned: dict[int | None, list]) -> dict[str, Any]:
    """A preview row with what the page says in words: labels, dates, this row's warnings."""
    when = row["when"]
    language = (get_language() or "ru").split("-")[0]
    return {
        **row,
        "anchor": f"row-{row['row']}" if row["row"] is not None else f"item-{row['position']}",
        "problems": [
            {
                "field": _(FIELD_NAMES[p["field"]]) if p.get("field") in FIELD_NAMES else "",
                "message": p["message"],
            }
            for p in warned.get(row["row"], [])
            if row["row"] is not None
        ],
        "words": when["words"].get(language) or when["words"].get("ru", ""),
        "start": _date(when["start"]),
        "end": _date(when["end"]),
        "precision": _label(Activity.Precision, when["precision"]),
        "recurrence": _label(Activity.Recurrence, when.get("recurrence")),
        "kind": _label(Activity.Kind, row["kind"]),
        "involvement": _label(Activity.Involvement, row["involvement"]),
        "format": _label(Activity.Format, row["format"]),
        "scope": _label(ActivityPlace.Scope, row["place"]["scope"]),
        "responsible": [
            {**party, "role_label": _label(Responsibility.Role, party["role"])}
            for party in row["responsible"]
        ],
    }
