"""The one-time links: the one that confirms a guest's e-mail address (the application's id and
a secret kept on it), and the invitation to a contest's jury (the seat's id and its secret);
each signed (django.core.signing with the site's key) and dated. Using one clears the secret,
so a link works once; it expires after CONFIRM_MAX_AGE or INVITATION_MAX_AGE."""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civicplan.contests.models import Application, Juror

CONFIRM_MAX_AGE = timedelta(days=7)
SALT = "civicplan.contests.confirm"
INVITATION_MAX_AGE = timedelta(days=14)
JURY_SALT = "civicplan.contests.jury"


def token(application: Application) -> str:
    return signing.dumps([application.pk, application.confirm_nonce], salt=SALT)


def application_of(value: str) -> Application:
    """The application a link names; ValidationError when it is made up, too old, or spent."""
    try:
        pk, nonce = signing.loads(value, salt=SALT, max_age=CONFIRM_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise ValidationError(_("Ссылка неверна или устарела.")) from error
    application = Application.objects.select_related("contest").filter(pk=pk).first()
    if application is None or not nonce or application.confirm_nonce != nonce:
        raise ValidationError(_("Ссылка уже использована или устарела."))
    return application


def juror_token(juror: Juror) -> str:
    return signing.dumps([juror.pk, juror.invite_nonce], salt=JURY_SALT)


def juror_of(value: str) -> Juror:
    """The jury seat an invitation names; ValidationError when it is made up, too old, spent
    or withdrawn."""
    try:
        pk, nonce = signing.loads(value, salt=JURY_SALT, max_age=INVITATION_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise ValidationError(_("Ссылка неверна или устарела.")) from error
    juror = Juror.objects.select_related("contest").filter(pk=pk).first()
    if juror is None or not nonce or juror.invite_nonce != nonce or juror.removed is not None:
        raise ValidationError(_("Приглашение уже принято, отозвано или устарело."))
    return juror
