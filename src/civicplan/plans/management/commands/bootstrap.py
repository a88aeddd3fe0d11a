"""`civicplan bootstrap`: what `make run` needs on a fresh machine, and nothing twice.

Imports the example plan as approved when there is no plan yet, and creates the staff account
`admin` when it is missing (password from CIVICPLAN_ADMIN_PASSWORD, or generated and printed
once).
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
