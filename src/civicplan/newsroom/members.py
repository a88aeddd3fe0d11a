"""The members' pages of the newsroom: send a material, propose an activity for next year's plan,
follow a submission (its state, history and files) and correct it when staff ask. Thin views:
every change is an action of `newsroom.actions`."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civicplan.common import dates
from civicplan.common.uploads import limit_request_size
from civicplan.common.views import requires
from civicplan.newsroom.actions import resubmit, submit
from civicplan.newsroom.member_forms import (
    ProposalForm,
    ResubmitForm,
    ResubmitProposalForm,
    SubmissionForm,
    proposal_year,
)
from civicplan.newsroom.models import Attachment, Submission


def _letter_size() -> int:
    """A member's form carries as much as a letter to the mail intake may."""
    return settings.CIVICPLAN_MAIL_MAX_BYTES


@limit_request_size(_letter_size)
@requires("newsroom.add_submission")
@require_http_methods(["GET", "POST"])
def submit_material(request: HttpRequest) -> HttpResponse:
    """A press release, post-release, methodological material or best practice, with files."""
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES, user=request.user)
    else:
        initial = {key: request.GET[key] for key in ("kind", "activity") if key in request.GET}
        form = SubmissionForm(initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        submission = _send(request, form)
        if submission is not None:
            messages.success(request, _("Материал получен и передан дирекции на рассмотрение."))
            return redirect("newsroom:member_submission", pk=submission.pk)
    status = 400 if form.is_bound else 200
    return render(request, "newsroom/members/submit.html", {"form": form}, status=status)


def _send(request: HttpRequest, form: SubmissionForm | ProposalForm) -> Submission | None:
    """Submit what the form holds; a refusal is shown on the form."""
    try:
        return submit(request.user, form.draft())
    except ValidationError as error:
        form.add_error(None, error)
        return None


@requires("newsroom.add_submission")
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    """An activity proposed for next year's plan; "check" shows how the time frame reads
    without sending."""
    year = proposal_year(dates.today())
    form = ProposalForm(request.POST or None, year=year)
    if request.method == "POST" and form.is_valid() and "check" not in request.POST:
        submission = _send(request, form)
        if submission is not None:
            messages.success(
                request,
                _("Предложение отправлено в дирекцию. Сроки прочитаны как: %(reading)s.")
                % {"reading": form.reading},
            )
            return redirect("newsroom:member_submission", pk=submission.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "newsroom/members/propose.html", {"form": form, "year": year}, status=status
    )


@limit_request_size(_letter_size)
@login_required
@require_http_methods(["GET", "POST"])
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A submission's status, history and files for its author, their organisation and
    staff; after staff ask for changes, the author's form to correct and send it again."""
    submission = get_object_or_404(
        Submission.objects.select_related("organisation", "activity__plan", "author"), pk=pk
    )
    if not request.user.has_perm("newsroom.view_submission", submission):
        raise Http404
    may_resubmit = request.user.has_perm("newsroom.resubmit_submission", submission)
    form_class = (
        ResubmitProposalForm if submission.kind == Submission.Kind.PROPOSAL else ResubmitForm
    )
    form = None
    if request.method == "POST":
        if not may_resubmit:
            raise PermissionDenied
        # A copy for the form, so that a rejected correction does not change the page's heading.
        editable = Submission.objects.get(pk=submission.pk)
        form = form_class(request.POST, request.FILES, instance=editable, user=request.user)
        if form.is_valid():
            changed = [name for name in form.changed_data if name != "files"]
            try:
                resubmit(request.user, editable, changed, form.cleaned_data.get("files", ()))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Исправленный материал отправлен на рассмотрение."))
                return redirect("newsroom:member_submission", pk=submission.pk)
    elif may_resubmit:
        form = form_class(instance=submission, user=request.user)
    history = list(submission.history.select_related("actor"))
    reasons = [event for event in history if event.reason and event.action != "edit"]
    return render(
        request,
        "newsroom/members/submission.html",
        {
            "submission": submission,
            "history": history,
            "last_reason": reasons[-1] if reasons else None,
            "attachments": list(submission.attachments.all()),
            "form": form,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A file of a submission, for those who may see the submission: always a download, with
    the type its content was found to be, whatever its name says."""
    found = get_object_or_404(
        Attachment.objects.select_related("submission"), pk=attachment_pk, submission_id=pk
    )
    if not request.user.has_perm("newsroom.view_submission", found.submission):
        raise Http404
    try:
        stream = found.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        stream, as_attachment=True, filename=found.download_name, content_type=found.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
