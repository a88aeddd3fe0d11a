"""Which scheduled messages have gone out already."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SentNotification(models.Model):
    """A scheduled message that has gone out. `key` names it (kind, subject, round, recipient),
    so a second run of the scheduler or a retried task finds it and sends nothing."""

    kind = models.CharField(_("вид"), max_length=32)
    key = models.CharField(_("ключ"), max_length=400, unique=True)
    recipient = models.EmailField(_("получатель"))
    activity = models.ForeignKey(
        "plans.Activity",
        verbose_name=_("мероприятие"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("за какой день"))
    sent_at = models.DateTimeField(_("отправлено"), auto_now_add=True)

    class Meta:
        verbose_name = _("отправленное уведомление")
        verbose_name_plural = _("отправленные уведомления")
        ordering = ("-sent_at", "-id")
        indexes = [models.Index(fields=("kind", "activity"), name="sentnotification_kind_act")]

    def __str__(self) -> str:
        return self.key
