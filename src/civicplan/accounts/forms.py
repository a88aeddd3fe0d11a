"""The accounts' forms: login, password reset, invitations."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicplan.accounts.models import Invitation
from civicplan.directory.models import Organisation
from civicplan.outbox.mail import absolute, send_templated


class LoginForm(AuthenticationForm):
    """Django's login form; an e-mail as user name is matched in any letter case."""

    username = forms.CharField(
        label=gettext_lazy("Электронная почта или имя пользователя"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        return username.lower() if "@" in username else username


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's reset form, its letter sent through civicplan.outbox.mail in Russian
    with a link to the site's address (CIVICPLAN_SITE_URL), not the request's Host. The letter
    is private: staff reading the outbox do not see the link."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict,
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        with translation.override("ru"):
            path = reverse(
                "accounts:password_reset_confirm",
                kwargs={"uidb64": context["uid"], "token": context["token"]},
            )
        send_templated(
            to_email,
            "accounts/mail/password_reset",
            {
                "user": context["user"],
                "link": absolute(path),
                "valid_until": timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
            },
            private=True,
        )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Адрес электронной почты"))
    role = forms.ChoiceField(label=gettext_lazy("Роль"), choices=Invitation.Role.choices)
    organisation = forms.TypedChoiceField(
        label=gettext_lazy("Организация (для координатора)"),
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.annotate(
            member=Case(
                When(membership__isnull=False, membership__left_on__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("member", "name")
        members: list[tuple[int, str]] = []
        others: list[tuple[int, str]] = []
        for pk, name, member in organisations.values_list("pk", "name", "member"):
            (members if member == 0 else others).append((pk, Truncator(name).chars(120)))
        self.fields["organisation"].choices = [
            ("", "—"),
            (_("Члены Ассоциации"), members),
            (_("Другие организации"), others),
        ]

    def clean(self) -> dict:
        data = super().clean()
        pk = data.get("organisation")
        data["organisation"] = Organisation.objects.get(pk=pk) if pk else None
        if data.get("role") == Invitation.Role.COORDINATOR and data["organisation"] is None:
            self.add_error("organisation", _("Выберите организацию координатора."))
        return data


class AcceptInvitationForm(forms.Form):
    """The invited person's name and password (checked by AUTH_PASSWORD_VALIDATORS)."""

    first_name = forms.CharField(
        label=gettext_lazy("Имя и отчество"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=gettext_lazy("Фамилия"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password1 = forms.CharField(
        label=gettext_lazy("Пароль"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Пароль ещё раз"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation: Invitation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self) -> dict:
        data = super().clean()
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Пароли не совпадают."))
        elif password1:
            # The same check as the action's, so that the reasons show at the field.
            user = get_user_model()(
                username=self.invitation.email,
                email=self.invitation.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, user)
            except ValidationError as error:
                self.add_error("password1", error)
        return data
