"""The staff's plan workspace: the year's plan as the table it is, each row edited, added,
removed, moved and given its status; sections and closing notes; the draft approved and the
amendments published as versions; next year's draft. Server-rendered, every form working
without JavaScript (`workspace.js` only opens a row's form in place and reads a time frame
back as it is typed). Each view calls one action of `plans.actions`; a refusal comes back as
the form's error (400) or, for the head's decisions, as the 403 page."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from civicplan.common.paging import paginate
from civicplan.common.uploads import FORM_FIELDS_BYTES, limit_request_size
from civicplan.common.urls import pk_slug_urls
from civicplan.common.views import requires
from civicplan.plans import actions
from civicplan.plans.forms import (
    CancelForm,
    DecisionForm,
    HeldForm,
    MoveForm,
    NextYearForm,
    NotesForm,
    PartyFormSet,
    PostponeForm,
    PublishForm,
    RowForm,
    SectionForm,
    party_initial,
    row_initial,
)
from civicplan.plans.models import Activity, Plan, Responsibility, Section
from civicplan.plans.queries import Spellings, known_cities, workspace_rows
from civicplan.timeframes import parse
from civicplan.timeframes.formatter import format as say

ROWS_PER_PAGE = 50  # rows of the workspace's table on one page: 100 took over 100 ms to render


def _language() -> str:
    language = (get_language() or "ru").split("-")[0]
    return language if language in ("ru", "en") else "ru"


def _plan(year: int) -> Plan:
    plan = Plan.objects.filter(year=year).order_by("id").first()
    if plan is None:
        raise Http404(_("План на этот год не найден."))
    return plan


def _activity(plan: Plan, pk: int) -> Activity:
    activity = get_object_or_404(Activity, plan=plan, pk=pk)
    activity.plan = plan
    return activity


def _page_url(year: int, position: int) -> str:
    """The workspace's page that shows the row at `position`."""
    url = reverse("plans:workspace", args=[year])
    page = (position - 1) // ROWS_PER_PAGE + 1
    return f"{url}{f'?page={page}' if page > 1 else ''}"


def _row_url(activity: Activity) -> str:
    """The workspace's page that shows the row, anchored on it."""
    return f"{_page_url(activity.plan.year, activity.position)}#row-{activity.pk}"


def reading(text: str, year: int) -> dict[str, Any]:
    """A time frame as the workspace reads it back: in words, its dates and precision, and
    the parser's warning (or that no dates were read)."""
    text = " ".join(text.split())
    if not text:
        return {"text": "", "words": "", "warning": ""}
    frame = parse(text, default_year=year)
    warning = frame.warning or ""
    if frame.start is None and not warning:
        warning = _("Даты не прочитаны: мероприятие будет в блоке «Дата уточняется».")
    precision = dict(Activity.Precision.choices).get(frame.precision, "")
    return {
        "text": text,
        "words": say(frame, _language()),
        "precision": str(precision),
        "start": frame.start,
        "end": frame.end,
        "warning": warning,
    }


def _data(request: HttpRequest) -> Any:
    """A form's data: the POST's, even an empty one (a form with nothing to fill)."""
    return request.POST if request.method == "POST" else None


def _fetched(request: HttpRequest) -> bool:
    """Asked by workspace.js: the form alone, and where to go once it is saved."""
    return request.headers.get("X-Requested-With") == "fetch"


def _done(request: HttpRequest, location: str) -> HttpResponse:
    if _fetched(request):
        return JsonResponse({"location": location})
    return redirect(location)


def _attempt(form: Form, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run the action; its refusal becomes the form's error (None returned)."""
    try:
        return action(*args, **kwargs)
    except ValidationError as error:
        form.add_error(None, error)
        return None


# -- the plans and one plan's table ---------------------------------------------------------------


@requires("plans.view_plan")
@require_safe
def staff_plans(request: HttpRequest) -> HttpResponse:
    """Every plan by year with its status, version and pending amendments. One query."""
    plans = list(
        Plan.objects.annotate(
            version=Max("versions__number"),
            pending=Count("amendments", filter=Q(amendments__version__isnull=True), distinct=True),
            rows=Count("activities", distinct=True),
        ).order_by("-year")
    )
    years = {plan.year for plan in plans}
    latest = plans[0] if plans else None
    context = {
        "plans": plans,
        "years": years,
        "next_from": latest if latest and latest.year + 1 not in years else None,
    }
    return render(request, "plans/staff_plans.html", context)


_SHOWN = ("precision", "kind", "involvement", "format", "status")  # a row's labelled columns


def _labels() -> dict[str, dict[str, str]]:
    """The choices' labels in the active language, looked up once for a page of rows (a
    model's get_FOO_display hashes every lazy label of its choices at each call)."""
    return {
        name: {value: str(label) for value, label in choices.choices}
        for name, choices in (
            ("precision", Activity.Precision),
            ("kind", Activity.Kind),
            ("involvement", Activity.Involvement),
            ("format", Activity.Format),
            ("status", Activity.Status),
            ("role", Responsibility.Role),
        )
    }


@requires("plans.view_plan")
@require_safe
def workspace(request: HttpRequest, year: int) -> HttpResponse:
    """The plan's table, ROWS_PER_PAGE rows a page, with the pending amendments and the
    approval or publishing form above it. A fixed number of queries whatever the plan's size."""
    plan = _plan(year)
    pager = paginate(workspace_rows(plan), ROWS_PER_PAGE, request)
    language = _language()
    public_url = pk_slug_urls("web:activity")
    labels = _labels()
    rows = [
        (
            activity,
            say(activity.timeframe, language),
            public_url(activity.pk, activity.title),
            {name: labels[name].get(getattr(activity, name), "") for name in _SHOWN},
            [(link, labels["role"][link.role]) for link in activity.responsibility_list],
        )
        for activity in pager.object_list
    ]
    pending = list(
        plan.amendments.filter(version__isnull=True).select_related("created_by").order_by("id")
    )
    version = plan.versions.aggregate(last=Max("number"))["last"]
    context = {
        "plan": plan,
        "base": reverse("plans:workspace", args=[year]),  # the rows' addresses start with it
        "pager": pager,
        "rows": rows,
        "approved": plan.status == Plan.Status.APPROVED,
        "pending": pending,
        "version": version,
        "next_version": (version or 0) + 1,
        "publish_form": PublishForm() if pending else None,
    }
    return render(request, "plans/workspace.html", context)


@requires("plans.view_plan")
@require_GET
def timeframe(request: HttpRequest, year: int) -> JsonResponse:
    """A typed time frame read back (workspace.js asks as staff type)."""
    said = reading(request.GET.get("text", "")[:300], year)
    said = {key: value for key, value in said.items() if key not in ("start", "end")}
    return JsonResponse(said, headers={"Cache-Control": "no-store"})


# -- a row -------------------------------------------------------------------------------------


def _row_page(
    request: HttpRequest,
    plan: Plan,
    form: RowForm,
    parties: Any,
    activity: Activity | None = None,
    after: Activity | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "plan": plan,
        "activity": activity,
        "after": after,
        "form": form,
        "parties": parties,
        "said": reading(form["when_text"].value() or "", plan.year),
        "cities": known_cities(),
        "organisations": parties.spellings.choices(),
        "roles": Responsibility.Role,
    }
    template = "plans/_workspace_row_form.html" if _fetched(request) else "plans/workspace_row.html"
    return render(request, template, context, status=status)


def _row_forms(
    request: HttpRequest, plan: Plan, activity: Activity | None, after: Activity | None = None
) -> tuple[Any, Any]:
    """A row's form and its parties' forms: the row's own, or a new row's in the section of
    the row it goes after."""
    spellings = Spellings()
    sections = list(plan.sections.order_by("position"))
    data = request.POST if request.method == "POST" else None
    if activity is not None:
        initial = row_initial(activity)
    else:
        initial = {"section": after.section_id or "" if after is not None else ""}
    form = RowForm(data, plan=plan, sections=sections, initial=initial)
    parties = PartyFormSet(
        data,
        prefix="party",
        initial=party_initial(activity) if activity else [],
        form_kwargs={"spellings": spellings},
    )
    parties.spellings = spellings
    return form, parties


@requires("plans.change_activity")
@require_http_methods(["GET", "POST"])
def row(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """A row's form; posted, the row is changed (change_activity). «Прочитать сроки» shows
    the time frame read back without saving."""
    plan = _plan(year)
    activity = _activity(plan, pk)
    form, parties = _row_forms(request, plan, activity)
    if request.method == "GET" or "check" in request.POST:
        form.is_valid()
        return _row_page(request, plan, form, parties, activity)
    if form.is_valid() and parties.is_valid():
        done = _attempt(
            form,
            actions.change_activity,
            request.user,
            activity,
            form.edit(parties.parties()),
            reason=form.reason_text(),
        )
        if done is not None:
            messages.success(request, _("Строка %(n)s сохранена.") % {"n": activity.position})
            return _done(request, _row_url(done))
    return _row_page(request, plan, form, parties, activity, status=400)


@requires("plans.change_activity")
@require_http_methods(["GET", "POST"])
def add_row(request: HttpRequest, year: int) -> HttpResponse:
    """A new row after the row `after` names (first in the plan without it)."""
    plan = _plan(year)
    after_pk = request.POST.get("after") or request.GET.get("after")
    after = _activity(plan, int(after_pk)) if after_pk and after_pk.isdigit() else None
    form, parties = _row_forms(request, plan, None, after)
    if request.method == "GET" or "check" in request.POST:
        if request.method == "POST":
            form.is_valid()
        return _row_page(request, plan, form, parties, after=after)
    if form.is_valid() and parties.is_valid():
        edit = form.edit(parties.parties() or None)
        added = _attempt(
            form, actions.add_row, request.user, plan, edit, after=after, reason=form.reason_text()
        )
        if added is not None:
            messages.success(request, _("Строка %(n)s добавлена.") % {"n": added.position})
            return _done(request, _row_url(added))
    return _row_page(request, plan, form, parties, after=after, status=400)


def _small_form_page(
    request: HttpRequest,
    plan: Plan,
    activity: Activity | None,
    form: Form,
    kind: str,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """The page of one of a row's short forms: delete, move, postpone, cancel, held."""
    context = {"plan": plan, "activity": activity, "form": form, "kind": kind, **extra}
    if activity is not None:
        context["when_words"] = say(activity.timeframe, _language())
        context["back"] = _row_url(activity)
    return render(request, "plans/workspace_action.html", context, status=status)


@requires("plans.change_activity")
@require_http_methods(["GET", "POST"])
def delete_row(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """Asks first; posted, the row is removed (remove_row)."""
    plan = _plan(year)
    activity = _activity(plan, pk)
    form = _ReasonOnly(_data(request), plan=plan)
    if request.method == "POST" and form.is_valid():
        position = activity.position
        if (
            _attempt(form, actions.remove_row, request.user, activity, reason=form.reason_text())
            is None
        ):
            return _small_form_page(request, plan, activity, form, "delete", status=400)
        messages.success(request, _("Строка %(n)s удалена.") % {"n": position})
        return redirect(_page_url(year, max(position - 1, 1)))
    status = 400 if request.method == "POST" else 200
    return _small_form_page(request, plan, activity, form, "delete", status=status)


class _ReasonOnly(MoveForm):
    """A change that takes nothing but its reason (a row removed)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["position"]


@requires("plans.change_activity")
@require_http_methods(["GET", "POST"])
def move_row(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """Put the row at a number (or one up or down: `position` is the number either way)."""
    plan = _plan(year)
    activity = _activity(plan, pk)
    form = MoveForm(_data(request), plan=plan, initial={"position": activity.position})
    if request.method == "POST" and form.is_valid():
        moved = _attempt(
            form,
            actions.move_row,
            request.user,
            activity,
            form.cleaned_data["position"],
            reason=form.reason_text(),
        )
        if moved is not None:
            return redirect(_row_url(moved))
    status = 400 if request.method == "POST" else 200
    return _small_form_page(request, plan, activity, form, "move", status=status)


def _status_view(
    kind: str, form_class: type[Form], act: Callable[[Any, Activity, dict[str, Any]], Activity]
) -> Callable[..., HttpResponse]:
    """A view for one status action of a row: its form, then the action."""

    @requires("plans.change_activity")
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, year: int, pk: int) -> HttpResponse:
        plan = _plan(year)
        activity = _activity(plan, pk)
        form = form_class(_data(request))
        if request.method == "POST" and form.is_valid():
            done = _attempt(form, act, request.user, activity, form.cleaned_data)
            if done is not None:
                messages.success(
                    request,
                    _("Строка %(n)s: %(status)s.")
                    % {"n": done.position, "status": done.get_status_display()},
                )
                return redirect(_row_url(done))
        status = 400 if request.method == "POST" else 200
        said = reading(form["when_text"].value() or "", year) if "when_text" in form.fields else {}
        return _small_form_page(request, plan, activity, form, kind, status=status, said=said)

    view.__name__ = f"{kind}_row"
    view.__doc__ = f"The row's «{kind}» form; posted, its action."
    return view


postpone_row = _status_view(
    "postpone",
    PostponeForm,
    lambda user, activity, data: actions.postpone_activity(
        user, activity, data["when_text"], data["reason"]
    ),
)
cancel_row = _status_view(
    "cancel",
    CancelForm,
    lambda user, activity, data: actions.cancel_activity(user, activity, data["reason"]),
)
held_row = _status_view(
    "held",
    HeldForm,
    lambda user, activity, data: actions.mark_held(user, activity, data["held_text"]),
)


# -- sections and notes ---------------------------------------------------------------------


def _sections_page(
    request: HttpRequest, plan: Plan, new: SectionForm | None = None, status: int = 200
) -> HttpResponse:
    sections = list(plan.sections.order_by("position"))
    forms = [
        (section, SectionForm(prefix=f"s{section.pk}", initial=_section_initial(section)))
        for section in sections
    ]
    context = {"plan": plan, "forms": forms, "new": new or SectionForm(prefix="new")}
    return render(request, "plans/workspace_sections.html", context, status=status)


def _section_initial(section: Section) -> dict[str, str]:
    return {"heading": section.heading, "subheading": section.subheading}


@requires("plans.change_plan")
@require_http_methods(["GET", "POST"])
def sections(request: HttpRequest, year: int) -> HttpResponse:
    """The plan's sections, each renamed on its own; posted, a new section (add_section)."""
    plan = _plan(year)
    if request.method == "GET":
        return _sections_page(request, plan)
    form = SectionForm(request.POST, prefix="new")
    if form.is_valid():
        data = form.cleaned_data
        added = _attempt(
            form, actions.add_section, request.user, plan, data["heading"], data["subheading"]
        )
        if added is not None:
            messages.success(request, _("Раздел добавлен."))
            return redirect("plans:workspace_sections", year=year)
    return _sections_page(request, plan, new=form, status=400)


@requires("plans.change_plan")
@require_http_methods(["POST"])
def section(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """A section's heading and subheading changed (change_section)."""
    plan = _plan(year)
    found = get_object_or_404(Section, plan=plan, pk=pk)
    form = SectionForm(request.POST, prefix=f"s{pk}")
    if form.is_valid():
        data = form.cleaned_data
        changed = _attempt(
            form, actions.change_section, request.user, found, data["heading"], data["subheading"]
        )
        if changed is not None:
            messages.success(request, _("Раздел сохранён."))
            return redirect("plans:workspace_sections", year=year)
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _sections_page(request, plan, status=400)


@requires("plans.change_plan")
@require_http_methods(["GET", "POST"])
def notes(request: HttpRequest, year: int) -> HttpResponse:
    """The plan's closing notes, one paragraph each (change_notes)."""
    plan = _plan(year)
    count = plan.activities.count()
    closing = [note["text"] for note in plan.notes if note.get("after", count) >= count]
    form = NotesForm(_data(request), initial={"text": "\n\n".join(closing)})
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(form, actions.change_notes, request.user, plan, form.texts()) is not None
    ):
        messages.success(request, _("Примечания сохранены."))
        return redirect("plans:workspace", year=year)
    status = 400 if request.method == "POST" else 200
    context = {"plan": plan, "form": form, "kind": "notes"}
    return render(request, "plans/workspace_action.html", context, status=status)


# -- the head's decisions ------------------------------------------------------------------------


def _scan_limit() -> int:
    return settings.CIVICPLAN_ATTACHMENT_MAX_BYTES + FORM_FIELDS_BYTES


@limit_request_size(_scan_limit)
@requires("plans.change_plan")
@require_http_methods(["GET", "POST"])
def approve(request: HttpRequest, year: int) -> HttpResponse:
    """A draft approved by the decision (approve_plan: the head's only; version 1)."""
    plan = _plan(year)
    form = DecisionForm(_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        version = _attempt(form, actions.approve_plan, request.user, plan, form.decision())
        if version is not None:
            messages.success(
                request,
                _("План на %(year)s год утверждён: версия %(n)s.")
                % {"year": year, "n": version.number},
            )
            return redirect("plans:workspace", year=year)
    status = 400 if request.method == "POST" else 200
    context = {"plan": plan, "form": form, "kind": "approve"}
    return render(request, "plans/workspace_action.html", context, status=status)


@limit_request_size(_scan_limit)
@requires("plans.change_plan")
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, year: int) -> HttpResponse:
    """The pending amendments published as the next version (publish_amendments: the head's)."""
    plan = _plan(year)
    form = PublishForm(_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        version = _attempt(
            form, actions.publish_amendments, request.user, plan, reason, form.decision()
        )
        if version is not None:
            messages.success(
                request, _("Изменения опубликованы: версия %(n)s.") % {"n": version.number}
            )
            return redirect("plans:workspace", year=year)
    status = 400 if request.method == "POST" else 200
    context = {"plan": plan, "form": form, "kind": "publish"}
    return render(request, "plans/workspace_action.html", context, status=status)


# -- next year's draft -----------------------------------------------------------------------


# The rows of next year's page, written here rather than in a template loop: a plan of 2,000
# rows renders its checklist in a few milliseconds instead of a hundred.
_CARRIED_ITEM = '<li><span class="muted">{}.</span> {} <span class="muted">— {}</span></li>'
_ONE_OFF_ITEM = (
    '<li><input type="checkbox" name="one_off" value="{0}" id="one-off-{0}"{1}> '
    '<label for="one-off-{0}"><span class="muted">{2}.</span> {3} '
    '<span class="muted">— {4}</span></label></li>'
)


def _carried_items(rows: list[actions.CarriedRow]) -> SafeString:
    return mark_safe(
        "".join(
            _CARRIED_ITEM.format(row.position, escape(row.title), escape(row.when_text))
            for row in rows
        )
    )


def _one_off_items(rows: list[actions.CarriedRow], ticked: set[str]) -> SafeString:
    return mark_safe(
        "".join(
            _ONE_OFF_ITEM.format(
                row.pk,
                " checked" if str(row.pk) in ticked else "",
                row.position,
                escape(row.title),
                escape(row.when_text),
            )
            for row in rows
        )
    )


@requires("plans.change_plan")
@require_http_methods(["GET", "POST"])
def next_year(request: HttpRequest, year: int) -> HttpResponse:
    """The rows next year's draft takes by themselves, and the one-off rows to tick; posted,
    the draft (next_year_draft)."""
    plan = _plan(year)
    carried, one_off = actions.carried_over(plan)
    form = NextYearForm(_data(request), one_off=one_off)
    if request.method == "POST" and form.is_valid():
        ids = form.cleaned_data["one_off"]
        draft = _attempt(form, actions.next_year_draft, request.user, plan, ids)
        if draft is not None:
            messages.success(
                request,
                _("Черновик плана на %(year)s год: строк %(count)s.")
                % {"year": draft.year, "count": draft.activities.count()},
            )
            return redirect("plans:workspace", year=draft.year)
    ticked = {str(pk) for pk in form["one_off"].value() or []}
    context = {
        "plan": plan,
        "form": form,
        "carried": len(carried),
        "carried_items": _carried_items(carried),
        "one_off": len(one_off),
        "one_off_items": _one_off_items(one_off, ticked),
        "next": plan.year + 1,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/workspace_next.html", context, status=status)
