"""The members' area: a coordinator's submissions, proposals and activities; the staff's
invitations; accepting an invitation. Thin views: every change is an action."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicplan.accounts import actions
from civicplan.accounts.forms import (
    AcceptInvitationForm,
    InvitationForm,
    ProposalForm,
    ResubmitForm,
    ResubmitProposalForm,
    SubmissionForm,
    proposal_year,
)
from civicplan.accounts.models import Invitation
from civicplan.accounts.rules import coordinator_organisation_id
from civicplan.accounts.uploads import limit_request_size
from civicplan.directory.models import Organisation
from civicplan.newsroom.actions import Draft, resubmit, submit
from civicplan.newsroom.models import Attachment, Submission, SubmissionEvent
from civicplan.plans.models import Activity, Plan

PER_PAGE = 20
PAST_ACTIVITIES = 20
CONTENT_TYPES = {
    Attachment.Type.PDF: "application/pdf",
    Attachment.Type.DOCX: (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    Attachment.Type.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Attachment.Type.JPEG: "image/jpeg",
    Attachment.Type.PNG: "image/png",
}


def _spoken_for(user) -> Q:
    """The submissions a coordinator may see (as newsroom.view_submission says): their own
    and their organisation's."""
    condition = Q(author_id=user.pk)
    organisation_id = coordinator_organisation_id(user)
    if organisation_id is not None:
        condition |= Q(organisation_id=organisation_id)
    return condition


def _with_history(submissions):
    return submissions.select_related("activity__plan").prefetch_related(
        Prefetch("history", queryset=SubmissionEvent.objects.select_related("actor"))
    )


@login_required
@permission_required("accounts.view_dashboard", raise_exception=True)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """A coordinator's organisation, submissions (with their history) and activities; the
    staff's links to their work."""
    user = request.user
    context: dict = {"is_staff": user.has_perm("accounts.invite")}
    organisation_id = coordinator_organisation_id(user)
    if organisation_id is not None:
        today = timezone.localdate()
        activities = Activity.objects.filter(
            plan__status=Plan.Status.APPROVED,
            pk__in=Activity.objects.filter(
                responsibilities__organisation_id=organisation_id
            ).values("pk"),
        ).select_related("plan")
        context.update(
            organisation=Organisation.objects.get(pk=organisation_id),
            upcoming=activities.filter(Q(end__gte=today) | Q(end__isnull=True)).order_by(
                "start", "plan__year", "position"
            ),
            past=activities.filter(end__lt=today).order_by("-end", "-position")[:PAST_ACTIVITIES],
        )
    submissions = Submission.objects.filter(_spoken_for(user))
    if organisation_id is not None or submissions.exists():
        context["page"] = Paginator(_with_history(submissions), PER_PAGE).get_page(
            request.GET.get("page")
        )
    if context["is_staff"]:
        context["pending_invitations"] = Invitation.objects.filter(
            accepted__isnull=True, revoked__isnull=True, expires__gt=timezone.now()
        ).count()
    return render(request, "accounts/home.html", context)


@limit_request_size
@login_required
@permission_required("newsroom.add_submission", raise_exception=True)
@require_http_methods(["GET", "POST"])
def submit_material(request: HttpRequest) -> HttpResponse:
    """A press release, post-release, methodological material or best practice, with files."""
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES, user=request.user)
    else:
        initial = {key: request.GET[key] for key in ("kind", "activity") if key in request.GET}
        form = SubmissionForm(initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft = Draft(
            kind=data["kind"],
            title=data["title"],
            text=data["text"],
            activity=data["activity"],
            files=data["files"],
        )
        try:
            submission = submit(request.user, draft)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Материал получен и передан дирекции на рассмотрение."))
            return redirect("accounts:submission", pk=submission.pk)
    status = 400 if form.is_bound else 200
    return render(request, "accounts/submit.html", {"form": form}, status=status)


@login_required
@permission_required("newsroom.add_submission", raise_exception=True)
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    """An activity proposed for next year's plan; "check" shows how the time frame reads
    without sending."""
    year = proposal_year(timezone.localdate())
    form = ProposalForm(request.POST or None, year=year)
    if request.method == "POST" and form.is_valid() and "check" not in request.POST:
        data = form.cleaned_data
        draft = Draft(
            kind=Submission.Kind.PROPOSAL,
            title=data["title"],
            text=data["comment"],
            proposal_year=year,
            proposal_when=data["when"],
            proposal_place=data["place"],
            proposal_partners=data["partners"],
        )
        try:
            submission = submit(request.user, draft)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Предложение отправлено в дирекцию. Сроки прочитаны как: %(reading)s.")
                % {"reading": form.reading},
            )
            return redirect("accounts:submission", pk=submission.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "accounts/propose.html", {"form": form, "year": year}, status=status)


@limit_request_size
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
                return redirect("accounts:submission", pk=submission.pk)
    elif may_resubmit:
        form = form_class(instance=submission, user=request.user)
    history = list(submission.history.select_related("actor"))
    reasons = [event for event in history if event.reason and event.action != "edit"]
    return render(
        request,
        "accounts/submission.html",
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
        stream, as_attachment=True, filename=found.name, content_type=CONTENT_TYPES[found.type]
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@permission_required("accounts.invite", raise_exception=True)
@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest) -> HttpResponse:
    """Invite by e-mail; the invitations waiting for an answer and those accepted."""
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = actions.invite(
                request.user, data["email"], data["role"], data["organisation"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _report_sending(request, invitation)
            return redirect("accounts:invitations")
    every = Invitation.objects.select_related("organisation", "invited_by", "user")
    return render(
        request,
        "accounts/invitations.html",
        {
            "form": form,
            "waiting": every.filter(accepted__isnull=True),
            "accepted": every.filter(accepted__isnull=False).order_by("-accepted")[:100],
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@permission_required("accounts.invite", raise_exception=True)
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        invitation = actions.resend_invitation(request.user, invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _report_sending(request, invitation)
    return redirect("accounts:invitations")


@login_required
@permission_required("accounts.invite", raise_exception=True)
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        actions.revoke_invitation(request.user, invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Приглашение для %(email)s отозвано: ссылка больше не действует.")
            % {"email": invitation.email},
        )
    return redirect("accounts:invitations")


def _report_sending(request: HttpRequest, invitation: Invitation) -> None:
    """Whether the letter went out (it is sent on commit, so by now we know)."""
    invitation.refresh_from_db(fields=["sent"])
    if invitation.sent is not None:
        messages.success(
            request, _("Приглашение отправлено на %(email)s.") % {"email": invitation.email}
        )
    else:
        messages.warning(
            request,
            _(
                "Приглашение для %(email)s сохранено, но письмо не отправилось. "
                "Попробуйте отправить его ещё раз позже."
            )
            % {"email": invitation.email},
        )


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the letter: name and password, then the new account is logged in. A
    link never issued is 404; one used, expired or revoked is 410 Gone."""
    try:
        invitation = actions.find_invitation(token)
    except Invitation.DoesNotExist:
        return _gone(request, "unknown", 404)
    except actions.InvitationGone as gone:
        return _gone(request, gone.invitation.state, 410)
    form = AcceptInvitationForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = actions.accept_invitation(
                token,
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password1"],
            )
        except actions.InvitationGone as gone:
            return _gone(request, gone.invitation.state, 410)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Добро пожаловать! Учётная запись создана."))
            return redirect("accounts:home")
    return render(
        request,
        "accounts/accept_invitation.html",
        {"form": form, "invitation": invitation},
        status=400 if form.is_bound else 200,
    )


def _gone(request: HttpRequest, state: str, status: int) -> HttpResponse:
    return render(request, "accounts/invitation_gone.html", {"state": state}, status=status)
