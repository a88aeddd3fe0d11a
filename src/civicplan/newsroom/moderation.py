"""The directorate's moderation pages: the queue and one submission with its controls.

Thin views: every change is one call of `civicplan.newsroom.actions`, which checks the
permission again and writes history and audit. Anonymous visitors are sent to log in; a signed-in
user without `newsroom.moderate_submission` gets 403. A refused action shows the page again with
the reason: 409 when the submission's state (or the plan's) does not allow it, 400 for a missing
reason or a bad form; never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from civicplan.common.paging import paginate
from civicplan.newsroom import actions
from civicplan.newsroom.forms import AcceptForm, ActivityForm, EditForm, QueueFilter, ReasonForm
from civicplan.newsroom.models import Submission
from civicplan.timeframes import parse

PER_PAGE = 30
Status = Submission.Status
# What each history row's action (SubmissionEvent.action, set by the actions) says.
ACTIONS = {
    "receive": gettext_lazy("получено"),
    "review": gettext_lazy("передано на рассмотрение"),
    "accept": gettext_lazy("принято из карантина"),
    "edit": gettext_lazy("изменено"),
    "publish": gettext_lazy("опубликовано"),
    "request_changes": gettext_lazy("возвращено на доработку"),
    "reject": gettext_lazy("отклонено"),
    "resubmit": gettext_lazy("прислано снова"),
    "include": gettext_lazy("включено в план"),
}
# Codes of a refused action (civicplan.newsroom.actions) that mean "not now" rather than "wrong".
_CONFLICTS = frozenset(("state", "plan"))

View = Callable[..., HttpResponse]


def moderators_only(view: View) -> View:
    """Log in first; then only those who may moderate (the directorate)."""

    @wraps(view)
    def checked(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            # After logging in, a button pressed with an expired session leads back to its page.
            if request.method == "GET":
                return redirect_to_login(request.get_full_path())
            pk = kwargs.get("pk")
            page = reverse("newsroom:submission", args=[pk]) if pk else reverse("newsroom:queue")
            return redirect_to_login(page)
        if not request.user.has_perm("newsroom.moderate_submission"):
            raise PermissionDenied(_("Модерация доступна только дирекции."))
        return view(request, *args, **kwargs)

    return checked


def decision(view: View) -> View:
    """A moderator's decision on a submission: a POST, by those who may moderate."""
    return require_POST(moderators_only(view))


@require_GET
@moderators_only
def queue(request: HttpRequest) -> HttpResponse:
    """Submissions newest first, filtered by the URL's parameters, with counts per state of the
    selection. Five queries whatever the number of submissions."""
    form = QueueFilter(request.GET)
    if not form.is_valid():
        return render(request, "newsroom/queue.html", {"form": form}, status=400)
    selection = form.apply(Submission.objects.all())
    counts = dict(selection.order_by().values_list("status").annotate(count=Count("id")))
    status = form.cleaned_data["status"]
    if status:
        selection = selection.filter(status=status)
    listed = selection.select_related("organisation", "author").order_by("-created", "-id")
    pager = paginate(listed, PER_PAGE, request, keep=tuple(form.fields))
    filters = {
        key: value for key, value in request.GET.items() if key in form.fields and value.strip()
    }
    return render(
        request,
        "newsroom/queue.html",
        {
            "form": form,
            "pager": pager,
            "tabs": _status_tabs(filters, counts, status),
        },
    )


def _status_tabs(
    filters: dict[str, str], counts: dict[str, int], current: str
) -> list[dict[str, object]]:
    """One link per state (and "all") with its count, keeping the other filters."""
    others = {key: value for key, value in filters.items() if key != "status"}
    tabs = [
        {
            "label": _("все"),
            "count": sum(counts.values()),
            "url": "?" + urlencode(others),
            "current": not current,
        }
    ]
    for value, label in Status.choices:
        tabs.append(
            {
                "label": label,
                "count": counts.get(value, 0),
                "url": "?" + urlencode({**others, "status": value}),
                "current": current == value,
                "value": value,
            }
        )
    return tabs


def _submission(pk: int) -> Submission:
    return get_object_or_404(
        Submission.objects.select_related(
            "organisation",
            "author",
            "activity__plan",
            "activity_guess__plan",
            "included_activity__plan",
        ),
        pk=pk,
    )


def _page(
    request: HttpRequest,
    submission: Submission,
    *,
    status: int = 200,
    error: str = "",
    **bound: object,
) -> HttpResponse:
    """The submission's page; `bound` replaces a blank form by the one just posted."""
    forms = {
        "edit_form": EditForm(instance=submission),
        "activity_form": ActivityForm(
            submission=submission,
            initial={"activity": submission.activity_id or submission.activity_guess_id},
        ),
        "changes_form": ReasonForm(prefix="changes"),
        "reject_form": ReasonForm(prefix="reject"),
        "accept_form": AcceptForm(initial={"organisation": submission.organisation_id}),
        **bound,
    }
    history = list(submission.history.select_related("actor"))
    statuses = dict(Status.choices)
    for event in history:
        event.label = ACTIONS.get(event.action, event.action)
        event.to_label = statuses.get(event.to_status, event.to_status)
    proposed = submission.kind == Submission.Kind.PROPOSAL and submission.proposal_when
    context = {
        "submission": submission,
        "attachments": list(submission.attachments.all()),
        "history": history,
        "timeframe": parse(submission.proposal_when, default_year=submission.proposal_year)
        if proposed
        else None,
        "error": error,
        "can_publish": submission.status in (Status.IN_REVIEW, Status.RECEIVED)
        and submission.kind != Submission.Kind.PROPOSAL,
        "can_include": submission.status in (Status.IN_REVIEW, Status.RECEIVED)
        and submission.kind == Submission.Kind.PROPOSAL
        and submission.included_activity_id is None,
        "can_send_back": submission.status in (Status.IN_REVIEW, Status.RECEIVED),
        "can_reject": submission.status in (Status.IN_REVIEW, Status.RECEIVED, Status.QUARANTINE),
        **forms,
    }
    return render(request, "newsroom/submission.html", context, status=status)


@require_GET
@moderators_only
def submission_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Every field, the cleaned HTML, attachments, history and the moderation controls."""
    return _page(request, _submission(pk))


def _done(request: HttpRequest, submission: Submission, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("newsroom:submission", args=[submission.pk]))


def _refused(
    request: HttpRequest, pk: int, error: ValidationError, **bound: object
) -> HttpResponse:
    """The page again (read afresh) with the action's reason."""
    status = 409 if getattr(error, "code", None) in _CONFLICTS else 400
    return _page(request, _submission(pk), status=status, error=" ".join(error.messages), **bound)


@decision
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission(pk)
    form = EditForm(request.POST, instance=submission)
    if not form.is_valid():
        return _page(request, _submission(pk), status=400, edit_form=form)
    if form.has_changed():
        actions.edit(request.user, submission, form.changed_data)
    return _done(request, submission, _("Изменения сохранены."))


@decision
def confirm_activity(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission(pk)
    form = ActivityForm(request.POST, submission=submission)
    if not form.is_valid():
        return _page(request, submission, status=400, activity_form=form)
    actions.confirm_activity(request.user, submission, form.cleaned_data["activity"])
    return _done(request, submission, _("Мероприятие материала сохранено."))


@decision
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission(pk)
    try:
        actions.publish(request.user, submission)
    except ValidationError as error:
        return _refused(request, pk, error)
    return _done(request, submission, _("Опубликовано."))


@decision
def request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    done = _("Материал возвращён автору на доработку.")
    return _decide_with_reason(request, pk, "changes", actions.request_changes, done)


@decision
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide_with_reason(request, pk, "reject", actions.reject, _("Материал отклонён."))


def _decide_with_reason(
    request: HttpRequest,
    pk: int,
    prefix: str,
    action: Callable[[AbstractBaseUser, Submission, str], Submission],
    done: str,
) -> HttpResponse:
    """A decision staff must give a reason for (send back for changes, reject): the reason's
    form (`<prefix>_form` on the page), the action, the page again."""
    submission = _submission(pk)
    form = ReasonForm(request.POST, prefix=prefix)
    shown = {f"{prefix}_form": form}
    if not form.is_valid():
        return _page(request, submission, status=400, **shown)
    try:
        action(request.user, submission, form.cleaned_data["reason"])
    except ValidationError as error:
        return _refused(request, pk, error, **shown)
    return _done(request, submission, done)


@decision
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    """A quarantined letter accepted as from an organisation (its address remembered if asked)."""
    submission = _submission(pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        return _page(request, submission, status=400, accept_form=form)
    try:
        actions.accept_quarantined(
            request.user,
            submission,
            form.cleaned_data["organisation"],
            remember_sender=form.cleaned_data["remember"],
        )
    except ValidationError as error:
        return _refused(request, pk, error, accept_form=form)
    return _done(request, submission, _("Материал принят и передан на рассмотрение."))


@decision
def include(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Включить в план": the proposal becomes the last row of its year's draft plan."""
    submission = _submission(pk)
    try:
        activity = actions.include_proposal(request.user, submission)
    except ValidationError as error:
        return _refused(request, pk, error)
    return _done(
        request,
        submission,
        _("Предложение включено в план на %(year)s год, строка %(position)s.")
        % {"year": activity.plan.year, "position": activity.position},
    )
