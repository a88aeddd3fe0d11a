from django.apps import AppConfig
from django.utils.translation import gettext, gettext_lazy

from civicplan.i18n import set_translator


class PlansConfig(AppConfig):
    name = "civicplan.plans"
    verbose_name = gettext_lazy("Планы деятельности")

    def ready(self) -> None:
        # The pure libraries (timeframes, plandoc) speak Russian on their own; in the project
        # their messages go through Django's gettext and so follow the active language.
        set_translator(gettext)
