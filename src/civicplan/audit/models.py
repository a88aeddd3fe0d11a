"""Who did what, when: one row per state change made through an action."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    at = models.DateTimeField(_("когда"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Пусто — командная строка или система."),
    )
    action = models.CharField(_("действие"), max_length=64, db_index=True)
    subject = models.CharField(_("объект"), max_length=200)
    summary = models.TextField(_("что сделано"), blank=True)
    data = models.JSONField(_("подробности"), default=dict, blank=True)

    class Meta:
        verbose_name = _("событие")
        verbose_name_plural = _("журнал действий")
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject}"
