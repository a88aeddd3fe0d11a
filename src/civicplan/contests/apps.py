from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "civicplan.contests"
    verbose_name = _("Конкурсы")
