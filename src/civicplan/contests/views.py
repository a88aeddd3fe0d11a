"""The pages of contests: the public list and a contest's page with its documents; applying,
an application's page (changed, submitted, withdrawn), the applicant's list, the one-time link
that confirms a guest's address; the staff's pages that make a contest from a plan row and
build its form, and its applications; the jury's: the staff's (jurors invited, score
categories, the assignment run and its progress) and a juror's (their juries, their entries, an
entry scored, a conflict declared, the invitation's link).

Not cached as public pages (common.pagecache): a contest's phase changes at an instant of the
day (the deadline's hour), which the cache's key — the data's version and the date — does not
know."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from civicplan.accounts.forms import AcceptInvitationForm
from civicplan.common import dates
from civicplan.common.uploads import FORM_FIELDS_BYTES, limit_request_size
from civicplan.common.views import attempt, requires
from civicplan.contests import actions, phases, queries
from civicplan.contests.forms import (
    ApplicationForm,
    CategoryForm,
    ConflictForm,
    ContestForm,
    DocumentForm,
    FieldForm,
    JurorForm,
    JurySettingsForm,
    NominationForm,
    ScoreForm,
    WithdrawForm,
)
from civicplan.contests.models import (
    Application,
    ApplicationField,
    ApplicationFile,
    Assignment,
    Contest,
    ContestDocument,
    FileType,
    Juror,
    Nomination,
    ScoreCategory,
)
from civicplan.contests.rules import Guest
from civicplan.plans.models import Activity
from civicplan.plans.queries import visible_plans

JoinJuryForm = AcceptInvitationForm  # its name and password; `invitation` gives the address

SESSION_KEY = "contest_applications"  # the applications a guest's browser holds
SESSION_LIMIT = 50
CONTENT_TYPES = {
    FileType.PDF: "application/pdf",
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileType.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileType.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    FileType.JPEG: "image/jpeg",
    FileType.PNG: "image/png",
}


def _actor(request: HttpRequest):
    """The signed-in user, or a guest holding the applications of this browser's session."""
    if request.user.is_authenticated:
        return request.user
    return Guest(request.session.get(SESSION_KEY, []))


def _hold(request: HttpRequest, application: Application) -> None:
    """This browser holds the guest's application from now on."""
    if request.user.is_authenticated or application.user_id is not None:
        return
    held = [pk for pk in request.session.get(SESSION_KEY, []) if pk != application.pk]
    request.session[SESSION_KEY] = [*held, application.pk][-SESSION_LIMIT:]


def _application_limit() -> int:
    files = actions.MAX_FILE_FIELDS * settings.CIVICPLAN_ATTACHMENT_MAX_BYTES
    texts = actions.MAX_FIELDS * actions.LONG_TEXT_LIMIT * 4  # UTF-8 and the encoding
    return files + texts + FORM_FIELDS_BYTES


def _document_limit() -> int:
    return settings.CIVICPLAN_ATTACHMENT_MAX_BYTES + FORM_FIELDS_BYTES


# -- the public pages ----------------------------------------------------------------------------


@require_safe
def contest_list(request: HttpRequest) -> HttpResponse:
    """«Конкурсы»: taking applications (or about to), being judged, finished. One query."""
    return render(
        request,
        "contests/list.html",
        {"sections": queries.sections(request.user), "zone": phases.zone_label()},
    )


def _visible(request: HttpRequest, pk: int) -> Contest:
    contest = queries.contest_page(request.user, pk)
    if contest is None:
        raise Http404(_("Конкурс не найден."))
    return contest


@require_safe
def contest(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """A contest: its phases with their dates (and the server's time zone), who may apply,
    nominations, rules, documents, and the way to apply."""
    found = _visible(request, pk)
    if slug != found.slug:
        return redirect(found.get_absolute_url(), permanent=True)
    return render(
        request,
        "contests/contest.html",
        {
            "contest": found,
            "zone": phases.zone_label(),
            "steps": _steps(found),
            "may_apply": request.user.has_perm("contests.apply", found),
            "may_manage": request.user.has_perm("contests.manage_contest"),
        },
    )


def _steps(contest: Contest) -> list[dict]:
    """The phases as the page lists them: each with its start and whether it is past, now or
    ahead."""
    order = phases.PHASES
    current = order.index(contest.phase)
    starts = [None, contest.call_opens, contest.call_closes, contest.judging_starts]
    starts.append(contest.results_published)
    return [
        {
            "label": phases.LABELS[phase],
            "start": start,
            "state": "past" if index < current else "now" if index == current else "ahead",
        }
        for index, (phase, start) in enumerate(zip(order, starts, strict=True))
        if start is not None
        # a call that closes as judging begins has no "closed" step of its own
        and not (phase == phases.CLOSED and contest.call_closes == contest.judging_starts)
    ]


@require_safe
def document(request: HttpRequest, pk: int, document: int) -> FileResponse:
    found = get_object_or_404(
        ContestDocument, pk=document, contest__in=queries.visible_contests(request.user), contest=pk
    )
    return FileResponse(
        found.file.open("rb"),
        content_type=CONTENT_TYPES[found.type],
        as_attachment=True,
        filename=f"{found.title[:80]}.{found.type}",
    )


# -- applying ------------------------------------------------------------------------------------


def _form_page(
    request: HttpRequest, contest: Contest, form: ApplicationForm, status: int, application=None
) -> HttpResponse:
    return render(
        request,
        "contests/apply.html",
        {
            "contest": contest,
            "form": form,
            "application": application,
            "zone": phases.zone_label(),
            "open": contest.is_open,
            "withdraw_form": WithdrawForm(),
        },
        status=status,
    )


def _save(
    request: HttpRequest, contest: Contest, form: ApplicationForm, application=None
) -> Application | None:
    """The form's application saved (or submitted, by the button that says so); None with the
    refusal on the form."""
    try:
        return actions.save_application(
            _actor(request), contest, form.entry(), application, submit="submit" in request.POST
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None


def _saved_message(request: HttpRequest, application: Application) -> None:
    if application.status == Application.Status.SUBMITTED and application.confirmed:
        messages.success(request, _("Заявка подана. Подтверждение отправлено на вашу почту."))
    elif application.status == Application.Status.SUBMITTED:
        messages.warning(
            request,
            _(
                "Заявка подана, но будет учтена после подтверждения адреса: мы отправили "
                "ссылку на %(email)s."
            )
            % {"email": application.email},
        )
    else:
        messages.success(request, _("Черновик сохранён. Его можно дополнить до конца приёма."))


@limit_request_size(_application_limit)
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """A new application: the applicant, the nomination, the contest's questions; saved as a
    draft or submitted."""
    found = _visible(request, pk)
    if not request.user.has_perm("contests.apply", found):
        raise PermissionDenied(str(actions.APPLY_REFUSED))
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES, contest=found, user=request.user)
        if form.is_valid():
            application = _save(request, found, form)
            if application is not None:
                _hold(request, application)
                _saved_message(request, application)
                return redirect("contests:application", application.pk)
        return _form_page(request, found, form, 400)
    form = ApplicationForm(contest=found, user=request.user)
    return _form_page(request, found, form, 200)


def _held(request: HttpRequest, pk: int, perm: str = "contests.view_application") -> Application:
    application = get_object_or_404(
        Application.objects.select_related("contest__activity", "nomination", "organisation"),
        pk=pk,
    )
    if not _actor(request).has_perm(perm, application):
        # Someone else's application is not there for them.
        raise Http404(_("Заявка не найдена."))
    return application


@limit_request_size(_application_limit)
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """An application: its form while the call is open and it is not withdrawn, else what it
    says; the links to withdraw it and (a guest) to have the confirmation link again."""
    found = _held(request, pk)
    contest = found.contest
    mine = _actor(request).has_perm("contests.change_application", found)
    editable = mine and contest.is_open and found.status != Application.Status.WITHDRAWN
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Заявку сейчас изменить нельзя."))
        form = ApplicationForm(
            request.POST, request.FILES, contest=contest, user=request.user, application=found
        )
        if form.is_valid() and _save(request, contest, form, found) is not None:
            found.refresh_from_db()
            _saved_message(request, found)
            return redirect("contests:application", found.pk)
        return _form_page(request, contest, form, 400, found)
    if editable:
        form = ApplicationForm(contest=contest, user=request.user, application=found)
        return _form_page(request, contest, form, 200, found)
    return render(
        request,
        "contests/application.html",
        {
            "application": found,
            "contest": contest,
            "answers": _answers(found),
            "mine": mine,
            "withdraw_form": WithdrawForm(),
            "zone": phases.zone_label(),
        },
    )


def _answers(application: Application) -> list[tuple[ApplicationField, object]]:
    files = {upload.field_id: upload for upload in application.files.all()}
    rows = []
    for question in application.contest.fields.all():
        if question.kind == ApplicationField.Kind.FILE:
            rows.append((question, files.get(question.pk)))
        else:
            rows.append((question, application.answers.get(question.key, "")))
    return rows


@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    found = _held(request, pk, "contests.change_application")
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if attempt_as(request, actions.withdraw, found, reason) is not None:
        messages.success(request, _("Заявка отозвана."))
    return redirect("contests:application", found.pk)


@require_POST
def send_link(request: HttpRequest, pk: int) -> HttpResponse:
    found = _held(request, pk, "contests.change_application")
    if attempt_as(request, actions.send_link_again, found) is not None:
        messages.success(request, _("Ссылка для подтверждения отправлена ещё раз."))
    return redirect("contests:application", found.pk)


def attempt_as(request: HttpRequest, action, *args):
    """`common.views.attempt` for an action whose actor may be a guest."""
    try:
        return action(_actor(request), *args) or True
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link: a page with a button (a mail scanner that follows links spends
    nothing), which confirms the address and opens the application in this browser."""
    try:
        found = actions.confirmation.application_of(token)
    except ValidationError as error:
        return render(request, "contests/confirm.html", {"error": error.messages[0]}, status=410)
    if request.method == "POST":
        confirmed = actions.confirm_email(token)
        _hold(request, confirmed)
        messages.success(request, _("Адрес подтверждён."))
        return redirect("contests:application", confirmed.pk)
    return render(request, "contests/confirm.html", {"application": found})


@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The applicant's applications: a user's, or those this browser holds."""
    actor = _actor(request)
    found = queries.applications_of(actor, getattr(actor, "application_ids", frozenset()))
    return render(request, "contests/mine.html", {"applications": list(found[:200])})


def _file(request: HttpRequest, pk: int, file: int) -> ApplicationFile:
    found = get_object_or_404(ApplicationFile.objects.select_related("application"), pk=file)
    if found.application_id != pk or not _actor(request).has_perm(
        "contests.view_application", found.application
    ):
        raise Http404(_("Файл не найден."))
    return found


@require_safe
def application_file(request: HttpRequest, pk: int, file: int) -> FileResponse:
    """An application's file, typed by its sniffed content; its applicant's and staff's only."""
    found = _file(request, pk, file)
    response = FileResponse(
        found.file.open("rb"),
        content_type=CONTENT_TYPES[found.type],
        as_attachment=not found.is_image,
        filename=f"{found.pk}.{'jpg' if found.type == FileType.JPEG else found.type}",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def application_thumbnail(request: HttpRequest, pk: int, file: int) -> FileResponse:
    found = _file(request, pk, file)
    if not found.thumbnail:
        raise Http404(_("Файл не найден."))
    response = FileResponse(found.thumbnail.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


# -- the staff's pages ---------------------------------------------------------------------------


@requires("contests.manage_contest")
@require_safe
def staff_contests(request: HttpRequest) -> HttpResponse:
    """Every contest with its counts, and the plan's contest rows to make a contest from."""
    return render(
        request,
        "contests/staff_list.html",
        {
            "contests": list(queries.staff_contests()),
            "rows": list(queries.contest_rows(request.user)[:200]),
        },
    )


@requires("contests.manage_contest")
def staff_new(request: HttpRequest) -> HttpResponse:
    """A contest made from a plan row: its title and dates come from the row."""
    try:
        activity_id = int(request.GET.get("activity", ""))
    except ValueError:
        raise Http404(_("Строка плана не найдена.")) from None
    activity = get_object_or_404(
        Activity.objects.select_related("plan"),
        pk=activity_id,
        plan__in=visible_plans(request.user),
    )
    if request.method == "POST":
        form = ContestForm(request.POST)
        if form.is_valid():
            try:
                created = actions.create_contest(request.user, activity, form.contest_data())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Конкурс создан. Добавьте номинации и форму заявки."))
                return redirect("contests:staff_contest", created.pk)
        status = 400
    else:
        form = ContestForm(initial=ContestForm.initial_for(activity, dates.today()))
        status = 200
    return render(
        request,
        "contests/staff_new.html",
        {"activity": activity, "form": form, "zone": phases.zone_label()},
        status=status,
    )


def _staff_context(contest: Contest, **forms) -> dict:
    return {
        "contest": contest,
        "form": forms.get("form") or ContestForm(initial=ContestForm.initial_of(contest)),
        "nomination_form": forms.get("nomination_form") or NominationForm(),
        "field_form": forms.get("field_form") or FieldForm(),
        "document_form": forms.get("document_form") or DocumentForm(),
        "nominations": list(contest.nominations.all()),
        "questions": list(contest.fields.all()),
        "documents": list(contest.documents.all()),
        "frozen": contest.applications.filter(status=Application.Status.SUBMITTED).exists(),
        "zone": phases.zone_label(),
        "limits": {
            "fields": actions.MAX_FIELDS,
            "file_fields": actions.MAX_FILE_FIELDS,
            "nominations": actions.MAX_NOMINATIONS,
        },
    }


@requires("contests.manage_contest")
def staff_contest(request: HttpRequest, pk: int) -> HttpResponse:
    """A contest as staff keep it: its details and dates, nominations, the application form's
    questions, documents."""
    found = get_object_or_404(Contest.objects.select_related("activity__plan"), pk=pk)
    if request.method == "POST":
        form = ContestForm(request.POST)
        if form.is_valid():
            try:
                actions.change_contest(request.user, found, form.contest_data())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Конкурс сохранён."))
                return redirect("contests:staff_contest", found.pk)
        return render(
            request, "contests/staff_contest.html", _staff_context(found, form=form), status=400
        )
    return render(request, "contests/staff_contest.html", _staff_context(found))


def _staff_redirect(contest_id: int, anchor: str) -> HttpResponse:
    return redirect(reverse("contests:staff_contest", args=[contest_id]) + anchor)


@requires("contests.manage_contest")
@require_POST
def staff_nomination_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Contest, pk=pk)
    form = NominationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Номинация не добавлена: проверьте поля."))
    elif attempt(request, actions.add_nomination, found, **form.cleaned_data) is not None:
        messages.success(request, _("Номинация добавлена."))
    return _staff_redirect(found.pk, "#nominations")


@requires("contests.manage_contest")
@require_POST
def staff_nomination_remove(request: HttpRequest, pk: int, nomination: int) -> HttpResponse:
    found = get_object_or_404(Nomination, pk=nomination, contest=pk)
    attempt(request, actions.remove_nomination, found)
    return _staff_redirect(pk, "#nominations")


@requires("contests.manage_contest")
@require_POST
def staff_field_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Contest, pk=pk)
    form = FieldForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Поле не добавлено: %(errors)s")
            % {"errors": " ".join(m for ms in form.errors.values() for m in ms)},
        )
    elif attempt(request, actions.add_field, found, form.spec()) is not None:
        messages.success(request, _("Поле добавлено в форму заявки."))
    return _staff_redirect(found.pk, "#questions")


@requires("contests.manage_contest")
@require_POST
def staff_field_remove(request: HttpRequest, pk: int, field: int) -> HttpResponse:
    found = get_object_or_404(ApplicationField, pk=field, contest=pk)
    attempt(request, actions.remove_field, found)
    return _staff_redirect(pk, "#questions")


@requires("contests.manage_contest")
@limit_request_size(_document_limit)
@require_POST
def staff_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Contest, pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Документ не добавлен: укажите название и файл."))
    elif attempt(request, actions.add_document, found, form.cleaned_data["title"], form.incoming()):
        messages.success(request, _("Документ добавлен."))
    return _staff_redirect(found.pk, "#documents")


@requires("contests.manage_contest")
@require_POST
def staff_document_remove(request: HttpRequest, pk: int, document: int) -> HttpResponse:
    found = get_object_or_404(ContestDocument, pk=document, contest=pk)
    attempt(request, actions.remove_document, found)
    return _staff_redirect(pk, "#documents")


@requires("contests.manage_contest")
@require_safe
def staff_applications(request: HttpRequest, pk: int) -> HttpResponse:
    """Every application of a contest, with its state and whether it counts."""
    found = get_object_or_404(Contest, pk=pk)
    return render(
        request,
        "contests/staff_applications.html",
        {"contest": found, "applications": list(queries.staff_applications(found))},
    )


# -- the jury: the staff's pages -----------------------------------------------------------------


def _jury_page(request: HttpRequest, contest: Contest, status: int = 200, **forms) -> HttpResponse:
    page = queries.jury_page(contest)
    return render(
        request,
        "contests/staff_jury.html",
        {
            "contest": contest,
            "page": page,
            "settings_form": forms.get("settings_form")
            or JurySettingsForm(
                initial={
                    "jurors_per_entry": contest.jurors_per_entry,
                    "review_phase": contest.review_phase,
                }
            ),
            "juror_form": forms.get("juror_form") or JurorForm(),
            "category_form": forms.get("category_form") or CategoryForm(),
            "may_assign": contest.phase in (phases.CLOSED, phases.JUDGING)
            and contest.review_phase != Contest.ReviewPhase.CLOSED,
            "zone": phases.zone_label(),
        },
        status=status,
    )


def _jury_redirect(contest_id: int, anchor: str = "") -> HttpResponse:
    return redirect(reverse("contests:staff_jury", args=[contest_id]) + anchor)


@requires("contests.manage_contest")
@require_safe
def staff_jury(request: HttpRequest, pk: int) -> HttpResponse:
    """The jury as staff keep it: how many jurors an entry gets and the review phase, the
    score categories, the jurors (invited, on the jury, removed) with their loads, the run of
    the assignment."""
    return _jury_page(request, get_object_or_404(Contest, pk=pk))


@requires("contests.manage_contest")
@require_POST
def staff_jury_settings(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Contest, pk=pk)
    form = JurySettingsForm(request.POST)
    if not form.is_valid():
        return _jury_page(request, found, 400, settings_form=form)
    data = form.cleaned_data
    if attempt(
        request,
        actions.change_jury_settings,
        found,
        data["jurors_per_entry"],
        data["review_phase"],
    ):
        messages.success(request, _("Настройки жюри сохранены."))
    return _jury_redirect(found.pk, "#settings")


@requires("contests.manage_contest")
@require_POST
def staff_juror_invite(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Contest, pk=pk)
    form = JurorForm(request.POST)
    if not form.is_valid():
        return _jury_page(request, found, 400, juror_form=form)
    juror = attempt(request, actions.invite_juror, found, form.juror_data())
    if juror is not None:
        messages.success(
            request, _("Приглашение отправлено на %(email)s.") % {"email": juror.email}
        )
    return _jury_redirect(found.pk, "#jurors")


@requires("contests.manage_contest")
@require_POST
def staff_juror_remove(request: HttpRequest, pk: int, juror: int) -> HttpResponse:
    found = get_object_or_404(Juror.objects.select_related("contest"), pk=juror, contest=pk)
    taken = attempt(request, actions.remove_juror, found)
    if taken is not None:
        messages.success(
            request,
            _("%(name)s выведен(а) из жюри; снято неоценённых заявок: %(count)d.")
            % {"name": found.name, "count": taken},
        )
    return _jury_redirect(pk, "#jurors")


@requires("contests.manage_contest")
@require_POST
def staff_category_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Contest, pk=pk)
    form = CategoryForm(request.POST)
    if not form.is_valid():
        return _jury_page(request, found, 400, category_form=form)
    if attempt(request, actions.add_category, found, form.category_data()) is not None:
        messages.success(request, _("Критерий добавлен."))
    return _jury_redirect(found.pk, "#categories")


@requires("contests.manage_contest")
@require_POST
def staff_category_remove(request: HttpRequest, pk: int, category: int) -> HttpResponse:
    found = get_object_or_404(
        ScoreCategory.objects.select_related("contest"), pk=category, contest=pk
    )
    attempt(request, actions.remove_category, found)
    return _jury_redirect(pk, "#categories")


@requires("contests.manage_contest")
@require_POST
def staff_assign(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Contest, pk=pk)
    run = attempt(request, actions.run_assignment, found)
    if run is not None:
        messages.success(
            request,
            _("Заявки распределены: назначено %(created)d, снято %(removed)d.")
            % {"created": run.created, "removed": run.removed},
        )
        if run.short:
            messages.warning(
                request,
                _(
                    "У %(count)d заявок меньше членов жюри, чем нужно: остальные в конфликте "
                    "интересов с ними. Пригласите ещё членов жюри."
                )
                % {"count": run.short},
            )
    return redirect("contests:staff_assignments", found.pk)


@requires("contests.manage_contest")
@require_safe
def staff_assignments(request: HttpRequest, pk: int) -> HttpResponse:
    """Who scores which entry and how far they are: each counting entry with its jurors (a
    declared conflict and its reason, the comment to the organisers), each juror's load."""
    found = get_object_or_404(Contest, pk=pk)
    return render(
        request,
        "contests/staff_assignments.html",
        {
            "contest": found,
            "progress": queries.progress(found),
            "categories": found.categories.count(),
        },
    )


# -- the jury: a juror's pages -------------------------------------------------------------------


@login_required
@require_safe
def jury_home(request: HttpRequest) -> HttpResponse:
    """The juries the user sits on, with the entries to score and scored."""
    return render(
        request, "contests/jury_home.html", {"seats": list(queries.seats_of(request.user))}
    )


@login_required
@require_safe
def jury_contest(request: HttpRequest, pk: int) -> HttpResponse:
    """The entries given to the juror in one contest, with how far each is scored."""
    seat = queries.seat(request.user, pk)
    if seat is None:
        raise PermissionDenied(_("Вы не в жюри этого конкурса."))
    contest = seat.contest
    return render(
        request,
        "contests/jury_contest.html",
        {
            "seat": seat,
            "contest": contest,
            "entries": queries.juror_entries(seat),
            "categories": contest.categories.count(),
            "zone": phases.zone_label(),
        },
    )


def _assigned(request: HttpRequest, pk: int) -> Assignment:
    found = queries.assignment_for_review(pk)
    if found is None or not request.user.has_perm("contests.review_entry", found):
        raise Http404(_("Заявка не найдена."))
    return found


def _entry_rows(given: Assignment) -> tuple[list, list]:
    """The entry's answers (never the applicant's details) and its files under neutral names."""
    application = given.application
    files = {upload.field_id: upload for upload in application.files.all()}
    answers, uploads = [], []
    for question in given.contest.fields.all():
        if question.kind == ApplicationField.Kind.FILE:
            upload = files.get(question.pk)
            if upload is not None:
                uploads.append(
                    (question, upload, _neutral_name(application, upload, len(uploads) + 1))
                )
        else:
            answers.append((question, application.answers.get(question.key, "")))
    return answers, uploads


def _neutral_name(application: Application, upload: ApplicationFile, number: int) -> str:
    return (
        f"entry-{application.pk}-{number}.{'jpg' if upload.type == FileType.JPEG else upload.type}"
    )


@login_required
def jury_review(request: HttpRequest, pk: int) -> HttpResponse:
    """An assigned entry as the juror sees it — without the applicant when the contest is
    judged anonymously — with the score form; the others' scores once staff open the
    discussion."""
    given = _assigned(request, pk)
    contest = given.contest
    categories = list(contest.categories.all())
    editable = (
        contest.phase == phases.JUDGING and contest.review_phase != Contest.ReviewPhase.CLOSED
    )
    form = ScoreForm(
        request.POST if request.method == "POST" else None,
        categories=categories,
        initial=ScoreForm.initial_of(given),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.save_scores(
                    request.user, given, form.values(), form.cleaned_data["comment"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Оценки сохранены."))
                return redirect("contests:jury_review", given.pk)
        status = 400
    answers, uploads = _entry_rows(given)
    shared = contest.review_phase != Contest.ReviewPhase.SCORING
    return render(
        request,
        "contests/jury_review.html",
        {
            "given": given,
            "contest": contest,
            "application": given.application,
            "anonymous": contest.anonymous_review,
            "answers": answers,
            "uploads": uploads,
            "form": form,
            "editable": editable,
            "others": queries.others_scores(given) if shared else None,
            "conflict_form": ConflictForm(),
            "zone": phases.zone_label(),
        },
        status=status,
    )


@login_required
@require_POST
def jury_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    given = _assigned(request, pk)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Коротко укажите причину конфликта интересов."))
        return redirect("contests:jury_review", given.pk)
    if attempt(request, actions.declare_conflict, given, form.cleaned_data["reason"]):
        messages.success(
            request, _("Конфликт интересов заявлен; заявка передана другому члену жюри.")
        )
        return redirect("contests:jury_contest", given.contest_id)
    return redirect("contests:jury_review", given.pk)


def _assigned_file(
    request: HttpRequest, pk: int, file: int
) -> tuple[Assignment, ApplicationFile, str]:
    given = _assigned(request, pk)
    _rows, uploads = _entry_rows(given)
    for _question, upload, name in uploads:
        if upload.pk == file:
            return given, upload, name
    raise Http404(_("Файл не найден."))


@login_required
@require_safe
def jury_file(request: HttpRequest, pk: int, file: int) -> FileResponse:
    """An assigned entry's file under a neutral name (never the applicant's file name)."""
    _given, upload, name = _assigned_file(request, pk, file)
    response = FileResponse(
        upload.file.open("rb"),
        content_type=CONTENT_TYPES[upload.type],
        as_attachment=not upload.is_image,
        filename=name,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def jury_thumbnail(request: HttpRequest, pk: int, file: int) -> FileResponse:
    _given, upload, _name = _assigned_file(request, pk, file)
    if not upload.thumbnail:
        raise Http404(_("Файл не найден."))
    response = FileResponse(upload.thumbnail.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


def jury_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation's link: a signed-in user takes the seat with a button; a visitor whose
    address has no account makes one here (the link proves the address); one that has an
    account is asked to sign in first."""
    try:
        juror = actions.confirmation.juror_of(token)
    except ValidationError as error:
        return render(
            request, "contests/jury_accept.html", {"error": error.messages[0]}, status=410
        )
    signed_in = request.user.is_authenticated
    form = None if signed_in else JoinJuryForm(request.POST or None, invitation=juror)
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            if signed_in:
                actions.accept_jury_invitation(request.user, token)
            else:
                _join(request, token, form.cleaned_data)
        except ValidationError as error:
            if form is not None:
                form.add_error(None, error)
            else:
                messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Вы в жюри конкурса «%(title)s».") % {"title": juror.contest.title}
            )
            return redirect("contests:jury_contest", juror.contest_id)
    return render(
        request,
        "contests/jury_accept.html",
        {"juror": juror, "form": form, "has_account": _has_account(juror.email)},
        status=400 if request.method == "POST" else 200,
    )


def _join(request: HttpRequest, token: str, data: dict) -> None:
    user = actions.join_jury(
        token,
        first_name=data["first_name"],
        last_name=data["last_name"],
        password=data["password1"],
    )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")


def _has_account(email: str) -> bool:
    from django.contrib.auth import get_user_model

    return (
        get_user_model().objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists()
    )
