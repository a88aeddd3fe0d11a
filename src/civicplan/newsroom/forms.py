"""Forms of the moderation pages and the news list's filters."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from civicplan.directory.models import Organisation
from civicplan.newsroom.models import Submission
from civicplan.plans.models import Activity
from civicplan.text import fold

Kind = Submission.Kind
Status = Submission.Status
Source = Submission.Source


class QueueFilter(forms.Form):
    """The moderation queue's filters; they live in the URL, so a filtered queue is a link."""

    status = forms.ChoiceField(
        label=_("Состояние"), required=False, choices=[("", _("все")), *Status.choices]
    )
    kind = forms.ChoiceField(
        label=_("Вид"), required=False, choices=[("", _("все")), *Kind.choices]
    )
    organisation = forms.ModelChoiceField(
        label=_("Организация"),
        required=False,
        empty_label=_("все"),
        queryset=Organisation.objects.filter(submissions__isnull=False).distinct(),
    )
    source = forms.ChoiceField(
        label=_("Источник"), required=False, choices=[("", _("все")), *Source.choices]
    )
    q = forms.CharField(label=_("Слова в заголовке или тексте"), required=False, max_length=200)

    def apply(self, submissions: QuerySet[Submission]) -> QuerySet[Submission]:
        """Every filter but the state (the queue counts each state of this selection)."""
        data = self.cleaned_data
        if data.get("kind"):
            submissions = submissions.filter(kind=data["kind"])
        if data.get("organisation"):
            submissions = submissions.filter(organisation=data["organisation"])
        if data.get("source"):
            submissions = submissions.filter(source=data["source"])
        for word in fold(data.get("q") or "").split():
            submissions = submissions.filter(search_text__contains=word)
        return submissions


class NewsFilter(forms.Form):
    """The public news list's optional filters."""

    kind = forms.ChoiceField(
        label=_("Вид"),
        required=False,
        choices=[("", _("все")), *((k, label) for k, label in Kind.choices if k != Kind.PROPOSAL)],
    )
    organisation = forms.ModelChoiceField(
        label=_("Организация"),
        required=False,
        empty_label=_("все"),
        queryset=Organisation.objects.filter(submissions__status=Status.PUBLISHED).distinct(),
    )


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Activity) -> str:
        return f"{obj.plan.year} · {obj.position}. {obj.title[:100]}"


def activity_choices(submission: Submission) -> QuerySet[Activity]:
    """Activities a submission may be about: those of the plans of the year it came in, the
    years around it, and the ones already linked or guessed."""
    year = submission.created.year
    linked = [pk for pk in (submission.activity_id, submission.activity_guess_id) if pk]
    return (
        Activity.objects.filter(Q(plan__year__range=(year - 1, year + 1)) | Q(pk__in=linked))
        .select_related("plan")
        .order_by("-plan__year", "position")
    )


class EditForm(forms.ModelForm):
    """Staff's edit before publishing; the HTML is cleaned again when saved."""

    class Meta:
        model = Submission
        fields = ("title", "kind", "organisation", "activity", "text", "html")
        field_classes = {"activity": ActivityChoiceField}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 10}),
            "html": forms.Textarea(attrs={"rows": 10}),
        }
        help_texts = {"html": _("Разметка очищается при сохранении: скрипты и стили удаляются.")}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activity_choices(self.instance)
        self.fields["activity"].empty_label = _("не относится к мероприятию")
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["organisation"].empty_label = _("не указана")


class ActivityForm(forms.Form):
    """Confirm the guessed activity or choose another (or none)."""

    activity = ActivityChoiceField(
        label=_("Мероприятие"),
        required=False,
        empty_label=_("не относится к мероприятию"),
        queryset=Activity.objects.none(),
    )

    def __init__(self, *args: object, submission: Submission, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activity_choices(submission)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Напишите причину: её получит автор.")},
    )


class AcceptForm(forms.Form):
    """Accept a quarantined letter as from an organisation, optionally trusting its address."""

    organisation = forms.ModelChoiceField(
        label=_("Организация"), queryset=Organisation.objects.order_by("name")
    )
    remember = forms.BooleanField(
        label=_("Запомнить адрес: следующие письма с него — сразу на рассмотрение"),
        required=False,
    )
