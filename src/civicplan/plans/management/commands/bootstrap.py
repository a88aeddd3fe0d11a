"""`civicplan bootstrap`: what `make run` needs on a fresh machine, and nothing twice.

Imports the example plan as approved when there is no plan yet, creates the staff account
`admin` when it is missing (password from CIVICPLAN_ADMIN_PASSWORD, or generated and printed
once), and says where everything is: the site, the account, where members' mail comes in and
where outgoing mail goes.
"""

from __future__ import annotations

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from civicplan.plans.importing import import_plan
from civicplan.plans.models import Plan

EXAMPLE_PLAN = settings.PROJECT_DIR / "examples" / "plan-2024.txt"


class Command(BaseCommand):
    help = _("Готовит пустую базу: пример плана и учётная запись admin.")

    def handle(self, *args: object, **options: object) -> None:
        if not Plan.objects.exists():
            summary = import_plan(
                EXAMPLE_PLAN.read_bytes(), EXAMPLE_PLAN.name, status=Plan.Status.APPROVED
            )
            self.stdout.write(
                _("Загружен план на %(year)s год, мероприятий: %(count)s.")
                % {"year": summary.year, "count": summary.activities}
            )
        self._admin()
        self._addresses()

    def _admin(self) -> None:
        users = get_user_model()
        if not users.objects.filter(username="admin").exists():
            password = os.environ.get("CIVICPLAN_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
            users.objects.create_superuser("admin", "", password)
            if "CIVICPLAN_ADMIN_PASSWORD" in os.environ:
                self.stdout.write(_("Создана учётная запись admin (пароль из окружения)."))
            else:
                self.stdout.write(
                    _("Создана учётная запись admin, пароль: %(password)s (показан один раз)")
                    % {"password": password}
                )

    def _addresses(self) -> None:
        """Where to go: printed at every start, so a new user finds the site, the account and
        the mail whatever they did before."""
        site = settings.CIVICPLAN_SITE_URL
        port = os.environ.get("CIVICPLAN_MAIL_PORT", "2525")
        if settings.EMAIL_HOST:
            outgoing = _("по SMTP через %(host)s:%(port)s; копия каждого письма — %(outbox)s") % {
                "host": settings.EMAIL_HOST,
                "port": settings.EMAIL_PORT,
                "outbox": f"{site}/staff/outbox/",
            }
        else:
            outgoing = _(
                "не отправляется (CIVICPLAN_SMTP_HOST не задан): письма, приглашения и ссылки "
                "для сброса пароля хранятся в исходящих — %(outbox)s"
            ) % {"outbox": f"{site}/staff/outbox/"}
        lines = [
            _("Сайт: %(site)s/") % {"site": site},
            _("Вход: %(site)s/account/login/ — учётная запись admin") % {"site": site},
            _("Письма для новостей: SMTP 127.0.0.1:%(port)s, адреса: %(addresses)s")
            % {"port": port, "addresses": ", ".join(settings.CIVICPLAN_NEWS_ADDRESSES)},
            _("Исходящая почта: %(outgoing)s") % {"outgoing": outgoing},
        ]
        self.stdout.write("\n".join(lines))
