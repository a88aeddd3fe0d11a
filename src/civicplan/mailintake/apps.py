from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailIntakeConfig(AppConfig):
    name = "civicplan.mailintake"
    verbose_name = _("Приём почты")
