"""What each address wants to receive: the mailings a reader may refuse, and their choice."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(24)


class MailPreference(models.Model):
    """One per e-mail address (not per user: members' mail also goes to addresses without an
    account). The token in every unsubscribe link finds the row without a login."""

    class Kind(models.TextChoices):
        REMINDERS = "reminders", _("напоминания о мероприятиях")
        POST_RELEASE_REQUESTS = "post_release_requests", _("просьбы прислать пост-релиз")
        DIGEST = "digest", _("еженедельный обзор")

    email = models.EmailField(_("адрес"), unique=True)
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

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @classmethod
    def for_address(cls, email: str) -> MailPreference:
        preference, _created = cls.objects.get_or_create(email=email.strip().lower())
        return preference

    def wants(self, kind: str) -> bool:
        return kind not in self.unsubscribed
