"""The members' forms: a material with its files, an activity proposed for next year's plan,
and the corrections of either after staff asked for changes."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicplan import timeframes
from civicplan.accounts.rules import coordinator_organisation_id
from civicplan.common import dates
from civicplan.newsroom.actions import Draft
from civicplan.newsroom.attachments import IncomingFile, check_file
from civicplan.newsroom.models import MAX_PARTNERS, MAX_TEXT, Submission
from civicplan.plans.models import Activity, Plan

MAX_FILES = 10


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
        label=gettext_lazy("Текст"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        max_length=MAX_TEXT,
    )
    activity = ActivityField(label=gettext_lazy("Мероприятие плана, о котором материал"))
    files = FilesField(
        label=gettext_lazy("Файлы"),
        required=False,
        help_text=gettext_lazy("PDF, DOCX, XLSX, JPEG или PNG; можно выбрать несколько."),
    )

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = activity_choices(user, dates.today())

    def draft(self) -> Draft:
        data = self.cleaned_data
        return Draft(
            kind=data["kind"],
            title=data["title"],
            text=data["text"],
            activity=data["activity"],
            files=data["files"],
        )


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
        self.fields["activity"].choices = activity_choices(user, dates.today())
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
        year = self.instance.proposal_year or proposal_year(dates.today())
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
        label=gettext_lazy("Партнёры"),
        required=False,
        max_length=MAX_PARTNERS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    comment = forms.CharField(
        label=gettext_lazy("Комментарий"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        self.reading = ""

    def clean_when(self) -> str:
        text = self.cleaned_data["when"]
        self.reading = read_timeframe(text, self.year)
        return text

    def draft(self) -> Draft:
        data = self.cleaned_data
        return Draft(
            kind=Submission.Kind.PROPOSAL,
            title=data["title"],
            text=data["comment"],
            proposal_year=self.year,
            proposal_when=data["when"],
            proposal_place=data["place"],
            proposal_partners=data["partners"],
        )
