"""Every change of accounts: inviting, re-sending and revoking an invitation, accepting it.

Each checks permission, writes in one transaction with an audit event. The invitation's token
exists only in the letter: the row keeps its hash, and the letter, kept in the outbox where
staff can read it, is sent right after the commit.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicplan.accounts.models import Coordinator, Invitation
from civicplan.accounts.rules import HEAD_GROUP
from civicplan.audit.actions import Actor, record, require
from civicplan.directory.models import Organisation
from civicplan.outbox.mail import absolute, send_templated

INVITATION_DAYS = 7


class InvitationGone(Exception):
    """The link was used, has expired or was revoked (HTTP 410, not 404: it did exist)."""

    def __init__(self, invitation: Invitation) -> None:
        super().__init__(invitation.state)
        self.invitation = invitation


def _has_account(email: str) -> bool:
    return (
        get_user_model().objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists()
    )


# The roles of the directorate: both are staff; the head also approves plans (rules.HEAD_GROUP).
STAFF_ROLES = (Invitation.Role.STAFF, Invitation.Role.HEAD)


def invite(
    actor: Actor, email: str, role: str, organisation: Organisation | None = None
) -> Invitation:
    """Invite a member of staff, or a coordinator of `organisation`, by a one-time link valid
    for seven days. The letter goes out once the invitation is committed."""
    require(actor, "accounts.invite")
    email = email.strip().lower()
    if role not in Invitation.Role.values:
        raise ValidationError(_("Неизвестная роль."))
    if role == Invitation.Role.COORDINATOR and organisation is None:
        raise ValidationError(_("Координатору нужна организация."))
    if role == Invitation.Role.HEAD:
        require(actor, "accounts.invite_head", _("Руководителя приглашает только руководство."))
    if role in STAFF_ROLES:
        organisation = None
    if _has_account(email):
        raise ValidationError(_("У адреса %(email)s уже есть учётная запись.") % {"email": email})
    token, token_hash = Invitation.new_token()
    with transaction.atomic():
        pending = Invitation.objects.filter(
            email=email, accepted__isnull=True, revoked__isnull=True, expires__gt=timezone.now()
        )
        if pending.exists():
            raise ValidationError(
                _("На адрес %(email)s уже есть действующее приглашение; отправьте его ещё раз.")
                % {"email": email}
            )
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            organisation=organisation,
            token_hash=token_hash,
            invited_by=_user(actor),
            expires=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        record(
            actor,
            "invitation.create",
            email,
            str(invitation.get_role_display()),
            {"invitation": invitation.pk, "role": role, "organisation": _pk(organisation)},
        )
        transaction.on_commit(lambda: _send(invitation, token))
    return invitation


def resend_invitation(actor: Actor, invitation: Invitation) -> Invitation:
    """A new link (the old one stops working) valid for seven more days; also brings back a
    revoked invitation."""
    require(actor, "accounts.invite")
    token, token_hash = Invitation.new_token()
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted is not None:
            raise ValidationError(_("Приглашение уже принято."))
        invitation.token_hash = token_hash
        invitation.expires = timezone.now() + timedelta(days=INVITATION_DAYS)
        invitation.revoked = None
        invitation.letter = None  # the letter with the old link
        invitation.save()
        record(actor, "invitation.resend", invitation.email, "", {"invitation": invitation.pk})
        transaction.on_commit(lambda: _send(invitation, token))
    return invitation


def revoke_invitation(actor: Actor, invitation: Invitation) -> Invitation:
    """The link stops working at once."""
    require(actor, "accounts.invite")
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted is not None:
            raise ValidationError(_("Приглашение уже принято."))
        if invitation.revoked is None:
            invitation.revoked = timezone.now()
            invitation.save(update_fields=["revoked"])
            record(actor, "invitation.revoke", invitation.email, "", {"invitation": invitation.pk})
    return invitation


def find_invitation(token: str) -> Invitation:
    """The invitation a link names: Invitation.DoesNotExist for a token never issued,
    InvitationGone for one used, expired or revoked."""
    invitation = Invitation.objects.select_related("organisation").get(
        token_hash=Invitation.hash(token)
    )
    if not invitation.is_usable:
        raise InvitationGone(invitation)
    return invitation


def accept_invitation(token: str, *, first_name: str, last_name: str, password: str):
    """Create the invited user (user name = e-mail; staff, or coordinator of the invitation's
    organisation) and use up the link. The password must pass AUTH_PASSWORD_VALIDATORS."""
    User = get_user_model()
    with transaction.atomic():
        # Locked, so that two submissions of the same link make one user.
        invitation = Invitation.objects.select_for_update().get(pk=find_invitation(token).pk)
        if not invitation.is_usable:
            raise InvitationGone(invitation)
        if _has_account(invitation.email):
            raise ValidationError(
                _("У адреса %(email)s уже есть учётная запись.") % {"email": invitation.email}
            )
        user = User(
            username=invitation.email,
            email=invitation.email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            is_staff=invitation.role in STAFF_ROLES,
        )
        password_validation.validate_password(password, user)
        user.set_password(password)
        user.save()
        if invitation.role == Invitation.Role.COORDINATOR:
            Coordinator.objects.create(user=user, organisation=invitation.organisation)
        if invitation.role == Invitation.Role.HEAD:
            user.groups.add(Group.objects.get_or_create(name=HEAD_GROUP)[0])
        invitation.accepted = timezone.now()
        invitation.user = user
        invitation.save(update_fields=["accepted", "user"])
        record(
            user,
            "invitation.accept",
            invitation.email,
            str(invitation.get_role_display()),
            {"invitation": invitation.pk, "organisation": invitation.organisation_id},
        )
    return user


def _send(invitation: Invitation, token: str) -> None:
    """The letter with the link, in Russian, through the outbox (it is sent at once: this runs
    after the commit, so the staff member waiting learns how it went). The invitation keeps the
    letter: when it did not go out, staff see why on its page in the outbox, and can copy the
    link from it."""
    with translation.override("ru"):
        link = absolute(reverse("accounts:accept_invitation", args=[token]))
    [letter] = send_templated(
        invitation.email,
        "accounts/mail/invitation",
        {
            "invitation": invitation,
            "link": link,
            "role": invitation.get_role_display(),
            "inviter": _name(invitation.invited_by),
            "valid_until": invitation.expires,
        },
    )
    Invitation.objects.filter(pk=invitation.pk).update(letter=letter)


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email or user.get_username()


def _user(actor: Actor):
    return actor if actor is not None and actor.is_authenticated else None


def _pk(obj) -> int | None:
    return obj.pk if obj is not None else None
