"""Accounts: the staff's invitations and accepting an invitation. Thin views: every change is
an action."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civicplan.accounts import actions, throttle
from civicplan.accounts.forms import (
    AcceptInvitationForm,
    InvitationForm,
    LoginForm,
)
from civicplan.accounts.models import Invitation
from civicplan.common.views import attempt, requires


class LoginView(auth.LoginView):
    """Django's login, closed to an address that has failed too often whatever the names it
    tried (civicplan.accounts.throttle): the lockout page, 429, before any password is read."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if throttle.is_blocked(request):
            return render(
                request,
                "accounts/locked_out.html",
                {"by_address": True, "cooloff_timedelta": settings.AXES_COOLOFF_TIME},
                status=429,
            )
        return super().post(request, *args, **kwargs)


@requires("accounts.invite")
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
    every = Invitation.objects.select_related("organisation", "invited_by", "user", "letter").defer(
        "letter__raw", "letter__text"
    )
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


@requires("accounts.invite")
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    resent = attempt(request, actions.resend_invitation, get_object_or_404(Invitation, pk=pk))
    if resent is not None:
        _report_sending(request, resent)
    return redirect("accounts:invitations")


@requires("accounts.invite")
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    revoked = attempt(request, actions.revoke_invitation, get_object_or_404(Invitation, pk=pk))
    if revoked is not None:
        messages.success(
            request,
            _("Приглашение для %(email)s отозвано: ссылка больше не действует.")
            % {"email": revoked.email},
        )
    return redirect("accounts:invitations")


def _report_sending(request: HttpRequest, invitation: Invitation) -> None:
    """Whether the letter went out (it is sent on commit, so by now we know); when it did not,
    where staff can read it and copy the link."""
    invitation.refresh_from_db(fields=["letter"])
    if invitation.sent is not None:
        messages.success(
            request, _("Приглашение отправлено на %(email)s.") % {"email": invitation.email}
        )
        return
    where = ""
    if invitation.letter_id is not None:
        letter = reverse("outbox:letter", args=[invitation.letter_id])
        where = " " + _("Письмо со ссылкой — в исходящих: %(letter)s.") % {
            "letter": request.build_absolute_uri(letter)
        }
    messages.warning(
        request,
        _(
            "Приглашение для %(email)s сохранено, но письмо не отправилось. "
            "Попробуйте отправить его ещё раз позже."
        )
        % {"email": invitation.email}
        + where,
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
            return redirect("web:account")
    return render(
        request,
        "accounts/accept_invitation.html",
        {"form": form, "invitation": invitation},
        status=400 if form.is_bound else 200,
    )


def _gone(request: HttpRequest, state: str, status: int) -> HttpResponse:
    return render(request, "accounts/invitation_gone.html", {"state": state}, status=status)
