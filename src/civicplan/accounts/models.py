"""Who may do what: the directorate's staff, members' coordinators, and addresses known to send
news for an organisation. Roles are described in civicplan.accounts.rules."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicplan.common.fields import AddressField
from civicplan.directory.models import Organisation


class Coordinator(models.Model):
    """A user who speaks for one member organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пользователь"),
        on_delete=models.CASCADE,
        related_name="coordinator",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("организация"),
        on_delete=models.PROTECT,
        related_name="coordinators",
    )
    created = models.DateTimeField(_("создан"), auto_now_add=True)

    class Meta:
        verbose_name = _("координатор")
        verbose_name_plural = _("координаторы")

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.email} ({self.organisation})"


class SenderAddress(models.Model):
    """An e-mail address whose letters to the news address are taken as from this organisation
    (a coordinator's own address is known without a row here)."""

    email = AddressField(_("адрес"), unique=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("организация"),
        on_delete=models.CASCADE,
        related_name="sender_addresses",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("добавил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("добавлен"), auto_now_add=True)

    class Meta:
        verbose_name = _("адрес отправителя")
        verbose_name_plural = _("адреса отправителей")
        ordering = ("email",)

    def __str__(self) -> str:
        return self.email


class Invitation(models.Model):
    """A one-time link sent by e-mail; only the token's hash is stored."""

    class Role(models.TextChoices):
        STAFF = "staff", _("сотрудник дирекции")
        HEAD = "head", _("руководитель дирекции (утверждает план)")
        COORDINATOR = "coordinator", _("координатор")

    email = models.EmailField(_("адрес"))
    role = models.CharField(_("роль"), max_length=12, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("организация"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Для координатора — организация, от имени которой он пишет."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пригласил"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("создано"), auto_now_add=True)
    expires = models.DateTimeField(_("действует до"))
    accepted = models.DateTimeField(_("принято"), null=True, blank=True)
    revoked = models.DateTimeField(_("отозвано"), null=True, blank=True)
    # The letter with the current link, kept in the outbox: whether it went out is its state
    # (the worker may send it later); staff read it there, and copy the link, when it did not.
    letter = models.ForeignKey(
        "outbox.OutgoingMessage",
        verbose_name=_("письмо"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пользователь"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("приглашение")
        verbose_name_plural = _("приглашения")
        ordering = ("-created",)

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @property
    def sent(self) -> datetime | None:
        """When the letter with the current link went out; None while it has not."""
        return self.letter.sent if self.letter is not None else None

    @staticmethod
    def new_token() -> tuple[str, str]:
        """A fresh token and its hash: the token goes into the e-mail, the hash into the row."""
        token = secrets.token_urlsafe(32)
        return token, Invitation.hash(token)

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_usable(self) -> bool:
        return self.accepted is None and self.revoked is None and self.expires > timezone.now()

    @property
    def state(self) -> str:
        """accepted, revoked, expired or pending: what the staff's list shows."""
        if self.accepted is not None:
            return "accepted"
        if self.revoked is not None:
            return "revoked"
        return "pending" if self.expires > timezone.now() else "expired"
