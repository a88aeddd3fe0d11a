from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "civicplan.accounts"
    verbose_name = _("Пользователи и роли")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from civicplan.accounts import throttle

        user_login_failed.connect(throttle.count_failure, dispatch_uid="civicplan-login-failure")
