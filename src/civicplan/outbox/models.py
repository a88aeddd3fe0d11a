"""What each address wants to receive: the mailings a reader may refuse, and their choice."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from civicplan.common.fields import AddressField


def new_token() -> str:
    return secrets.token_urlsafe(24)


class MailPreference(models.Model):
    """One per e-mail address (not per user: members' mail also goes to addresses without an
    account). The token in every unsubscribe link finds the row without a login."""

    class Kind(models.TextChoices):
        REMINDERS = "reminders", _("напоминания о мероприятиях")
        POST_RELEASE_REQUESTS = "post_release_requests", _("просьбы прислать пост-релиз")
        REPORT_REQUESTS = "report_requests", _("просьбы заполнить отчёт о мероприятии")
        DIGEST = "digest", _("еженедельный обзор")
        STATUS_NOTICES = "status_notices", _("переносы и отмены мероприятий")

    email = AddressField(_("адрес"), unique=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    unsubscribed = models.JSONField(
        _("отписан от"), default=list, blank=True, help_text=_("Виды рассылок (Kind).")
    )
    created = models.DateTimeField(_("создано"), auto_now_add=True)
    modified = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        verbose_name = _("настройка рассылок")
        verbose_name_plural = _("настройки рассылок")
        ordering = ("email",)

    def __str__(self) -> str:
        return self.email

    @classmethod
    def for_address(cls, email: str) -> MailPreference:
        preference, _created = cls.objects.get_or_create(email=email)
        return preference

    def wants(self, kind: str) -> bool:
        return kind not in self.unsubscribed


class OutgoingMessage(models.Model):
    """One letter CivicPlan sends, kept whether or not it could be sent: staff read every
    letter at /staff/outbox/, see why one failed, and send it again. `raw` is the letter
    exactly as it goes out (MIME), so a later attempt sends the same bytes."""

    class Status(models.TextChoices):
        HELD = "held", _("не отправлено: почта не настроена")
        QUEUED = "queued", _("в очереди")
        SENDING = "sending", _("отправляется")
        SENT = "sent", _("отправлено")
        FAILED = "failed", _("не отправлено: ошибка")

    # What makes a letter unique where it must go out once: "task:<id>:<n>" for the letters
    # a background task writes (a task run again after a crash writes none twice).
    key = models.CharField(_("ключ"), max_length=200, unique=True, null=True, blank=True)
    kind = models.CharField(_("вид"), max_length=100, blank=True)
    subject = models.CharField(_("тема"), max_length=500)
    from_email = models.CharField(_("от"), max_length=300)
    recipients = models.JSONField(_("кому"), default=list)
    text = models.TextField(_("текст"), blank=True)
    raw = models.BinaryField(_("письмо (MIME)"))
    # A password-reset letter carries a link to take over the account: staff do not read it.
    private = models.BooleanField(_("содержание скрыто"), default=False)
    status = models.CharField(
        _("состояние"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("попыток"), default=0)
    error = models.TextField(_("ошибка"), blank=True)
    next_attempt = models.DateTimeField(_("следующая попытка"), null=True, blank=True)
    lease_until = models.DateTimeField(_("занято до"), null=True, blank=True)
    created = models.DateTimeField(_("создано"), auto_now_add=True, db_index=True)
    sent = models.DateTimeField(_("отправлено"), null=True, blank=True)

    class Meta:
        verbose_name = _("исходящее письмо")
        verbose_name_plural = _("исходящие письма")
        ordering = ("-created", "-id")
        indexes = [models.Index(fields=("status", "next_attempt"), name="outbox_due")]

    def __str__(self) -> str:
        return self.subject
