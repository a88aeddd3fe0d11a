"""Every letter the intake server accepted, kept as it came (the .eml under CIVICPLAN_MAIL_DIR)
with what became of it. A row exists for every 250 the server ever answered."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicplan.newsroom.models import Submission


class InboundMessage(models.Model):
    class Status(models.TextChoices):
        STORED = "stored", _("сохранено, ждёт разбора")
        PROCESSED = "processed", _("разобрано")
        QUARANTINED = "quarantined", _("в карантине")
        FAILED = "failed", _("ошибка разбора")

    received = models.DateTimeField(_("получено"), db_index=True)
    peer = models.CharField(_("откуда соединение"), max_length=100, blank=True)
    mail_from = models.CharField(_("отправитель (MAIL FROM)"), max_length=320, blank=True)
    rcpt_tos = models.JSONField(_("получатели (RCPT TO)"), default=list)
    size = models.PositiveIntegerField(_("размер, байт"))
    sha256 = models.CharField(max_length=64, db_index=True)
    raw_path = models.CharField(
        _("файл письма"),
        max_length=200,
        unique=True,
        help_text=_("Путь к .eml относительно CIVICPLAN_MAIL_DIR."),
    )
    message_id = models.CharField("Message-ID", max_length=500, blank=True)
    subject = models.CharField(_("тема"), max_length=500, blank=True)
    status = models.CharField(
        _("состояние"), max_length=12, choices=Status.choices, default=Status.STORED
    )
    error = models.TextField(_("ошибка"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("попыток разбора"), default=0)
    processed = models.DateTimeField(_("разобрано"), null=True, blank=True)
    submission = models.OneToOneField(
        Submission,
        verbose_name=_("материал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_message",
    )
    # Attachments that were not kept: [{"name": …, "reason": …}], for the acknowledgement and
    # for staff.
    refused_attachments = models.JSONField(_("отклонённые вложения"), default=list, blank=True)

    class Meta:
        verbose_name = _("входящее письмо")
        verbose_name_plural = _("входящие письма")
        ordering = ("-received", "-id")
        indexes = [models.Index(fields=("status", "received"), name="inbound_status_received")]

    def __str__(self) -> str:
        return self.subject or self.message_id or self.raw_path

    @property
    def path(self) -> Path:
        """Where the raw message is on this machine."""
        return Path(settings.CIVICPLAN_MAIL_DIR) / self.raw_path

    def read_raw(self) -> bytes:
        return self.path.read_bytes()
