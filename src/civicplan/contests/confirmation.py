"""The one-time link that confirms a guest's e-mail address: the application's id and a secret
kept on it, signed (django.core.signing with the site's key) and dated. Using it clears the
secret, so a link works once; it expires after CONFIRM_MAX_AGE."""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civicplan.contests.models import Application

CONFIRM_MAX_AGE = timedelta(days=7)
SALT = "civicplan.contests.confirm"


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
