"""The members' area forms: login, password reset, invitations, submissions and proposals."""

from __future__ import annotations

import logging
import smtplib
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Max, Value, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicplan import timeframes
from civicplan.accounts.models import Invitation
from civicplan.accounts.rules import coordinator_organisation_id
from civicplan.directory.models import Organisation
from civicplan.newsroom.attachments import IncomingFile, check_file
from civicplan.newsroom.models import Submission
from civicplan.notifications.mail import absolute, send_templated
from civicplan.plans.models import Activity, Plan

logger = logging.getLogger(__name__)

MAX_FILES = 10


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
    """Django's reset form, its letter sent through civicplan.notifications.mail in Russian
    with a link to the site's address (CIVICPLAN_SITE_URL), not the request's Host."""

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
        try:
            send_templated(
                to_email,
                "accounts/mail/password_reset",
                {
                    "user": context["user"],
                    "link": absolute(path),
                    "valid_until": timezone.now()
                    + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
                },
            )
        except (OSError, smtplib.SMTPException):
            # The page says the same whether or not the address is known; so does a failure.
            logger.exception("password reset: the letter to %s failed", to_email)


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


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files from one `<input type=file multiple>`, each read and checked by content
    (civicplan.newsroom.attachments.check_file); the error names the file."""

    widget = MultipleFileInput

    def clean(self, data, initial=None) -> list[IncomingFile]:
        uploads = [
            upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload
        ]
        if self.required and not uploads:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(uploads) > MAX_FILES:
            raise ValidationError(_("Не больше %(count)d файлов за раз.") % {"count": MAX_FILES})
        files, errors = [], []
        for upload in uploads:
            super().clean(upload, initial)
            incoming = IncomingFile(name=upload.name, content=upload.read())
            try:
                check_file(incoming)
            except ValidationError as error:
                errors.extend(error.messages)
            files.append(incoming)
        if errors:
            raise ValidationError(errors)
        return files

    def has_changed(self, initial, data) -> bool:
        return bool(data)


def activity_choices(user: AbstractBaseUser, today: date) -> list:
    """Activities of the approved plans since last year (or of the latest approved plan, when
    it is older), grouped: the user's organisation's first (those it is responsible for), then
    the rest, each by date."""
    latest = Plan.objects.filter(status=Plan.Status.APPROVED, year__lte=today.year).aggregate(
        year=Max("year")
    )["year"]
    since = min(today.year - 1, latest or today.year)
    activities = list(
        Activity.objects.filter(plan__status=Plan.Status.APPROVED, plan__year__gte=since)
        .select_related("plan")
        .order_by("plan__year", "start", "position")
    )
    organisation_id = coordinator_organisation_id(user)
    own_ids = set()
    if organisation_id is not None:
        own_ids = set(
            Activity.objects.filter(
                pk__in=[a.pk for a in activities], responsibilities__organisation_id=organisation_id
            ).values_list("pk", flat=True)
        )
    own = [(a.pk, _activity_label(a)) for a in activities if a.pk in own_ids]
    rest = [(a.pk, _activity_label(a)) for a in activities if a.pk not in own_ids]
    choices: list = [("", _("— не относится к мероприятию плана —"))]
    if own:
        choices.append((_("Мероприятия вашей организации"), own))
    if rest:
        choices.append((_("Другие мероприятия плана") if own else _("Мероприятия плана"), rest))
    return choices


def _activity_label(activity: Activity) -> str:
    when = timeframes.format(activity.timeframe)
    if activity.start is None:
        when = f"{activity.when_text or when}, {activity.plan.year}"
    return f"{when} — {Truncator(activity.title).chars(110)}"


class ActivityField(forms.TypedChoiceField):
    """One activity of the plan, chosen from grouped choices (see activity_choices)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(coerce=int, empty_value=None, required=False, **kwargs)

    def clean(self, value) -> Activity | None:
        pk = super().clean(value)
        return Activity.objects.filter(pk=pk).first() if pk else None


SUBMITTED_KINDS = [
    (value, label) for value, label in Submission.Kind.choices if value != Submission.Kind.PROPOSAL
]


class SubmissionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Что вы отправляете"), choices=SUBMITTED_KINDS)
    title = forms.CharField(label=gettext_lazy("Заголовок"), max_length=300)
    text = forms.CharField(
        label=gettext_lazy("Текст"), widget=forms.Textarea(attrs={"rows": 12}), required=False
    )
    activity = ActivityField(label=gettext_lazy("Мероприятие плана, о котором материал"))
    files = FilesField(
        label=gettext_lazy("Файлы"),
        required=False,
        help_text=gettext_lazy("PDF, DOCX, XLSX, JPEG или PNG; можно выбрать несколько."),
    )

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = activity_choices(user, timezone.localdate())


class ResubmitForm(forms.ModelForm):
    """The author's corrections after staff asked for changes; new files are added."""

    activity = ActivityField(label=gettext_lazy("Мероприятие плана, о котором материал"))
    files = FilesField(
        label=gettext_lazy("Добавить файлы"),
        required=False,
        help_text=gettext_lazy("PDF, DOCX, XLSX, JPEG или PNG; можно выбрать несколько."),
    )

    class Meta:
        model = Submission
        fields = ("title", "text", "activity")
        widgets = {"text": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = activity_choices(user, timezone.localdate())
        if self.instance.html:
            self.fields["text"].help_text = _(
                "Материал пришёл письмом с оформлением; исправленный текст заменит его."
            )

    def _post_clean(self) -> None:
        super()._post_clean()
        if "text" in self.changed_data:
            # The corrected plain text is what is shown from now on (display prefers HTML).
            self.instance.html = ""


class ResubmitProposalForm(forms.ModelForm):
    """A proposal corrected after staff asked for changes; its time frame read again."""

    class Meta:
        model = Submission
        fields = ("proposal_when", "title", "proposal_place", "proposal_partners", "text")
        labels = {"title": gettext_lazy("Мероприятие"), "text": gettext_lazy("Комментарий")}
        widgets = {
            "title": forms.Textarea(attrs={"rows": 3}),
            "proposal_partners": forms.Textarea(attrs={"rows": 3}),
            "text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposal_when"].required = True
        self.reading = ""

    def clean_proposal_when(self) -> str:
        text = self.cleaned_data["proposal_when"]
        year = self.instance.proposal_year or proposal_year(timezone.localdate())
        self.reading = read_timeframe(text, year)
        return text


def proposal_year(today: date) -> int:
    """The plan proposals are for: the year after the latest approved plan, and never this
    year or earlier."""
    latest = (
        Plan.objects.filter(status=Plan.Status.APPROVED)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return max(latest or today.year, today.year) + 1


def read_timeframe(text: str, year: int) -> str:
    """The time frame as CivicPlan reads it ("1-30 сентября 2025 г."), or ValidationError when
    it is not a time frame or falls outside `year`."""
    tf = timeframes.parse(text, default_year=year)
    if tf.start is None and tf.warning:
        raise ValidationError(
            _(
                "Не удалось прочитать сроки «%(text)s». Напишите, например, «сентябрь», "
                "«с 1 по 30 сентября» или «II квартал»."
            )
            % {"text": text.strip()}
        )
    if tf.start is not None and not tf.start.year <= year <= tf.end.year:
        raise ValidationError(
            _("Сроки «%(reading)s» не в %(year)s году, а предложение — в план на %(year)s год.")
            % {"reading": timeframes.format(tf), "year": year}
        )
    return timeframes.format(tf)


class ProposalForm(forms.Form):
    when = forms.CharField(
        label=gettext_lazy("Сроки"),
        max_length=300,
        help_text=gettext_lazy(
            "Словами, как в плане: «сентябрь», «с 1 по 30 сентября», «II квартал»."
        ),
    )
    title = forms.CharField(
        label=gettext_lazy("Мероприятие"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    place = forms.CharField(label=gettext_lazy("Место проведения"), max_length=500, required=False)
    partners = forms.CharField(
        label=gettext_lazy("Партнёры"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    comment = forms.CharField(
        label=gettext_lazy("Комментарий"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        self.reading = ""

    def clean_when(self) -> str:
        text = self.cleaned_data["when"]
        self.reading = read_timeframe(text, self.year)
        return text
