"""The forms of what was done: a closing report with its materials, a progress entry. Each gives
what its action takes (reports.actions); the action checks the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicplan.directory.models import Membership
from civicplan.plans.models import Activity
from civicplan.plans.queries import Spellings
from civicplan.reports.actions import NewMaterial, ReportData
from civicplan.reports.models import ClosingReport, ProgressEntry, ReportMaterial

MATERIAL_SLOTS = 3  # new materials a save of the form takes
MAX_PARTICIPANTS = 10_000_000
MAX_PARTNERS = 50


class ReportForm(forms.Form):
    held_text = forms.CharField(
        label=gettext_lazy("Даты проведения"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Как в плане: «12–13 мая». Пусто — как запланировано."),
    )
    venue = forms.CharField(label=gettext_lazy("Место проведения"), required=False, max_length=500)
    format = forms.ChoiceField(
        label=gettext_lazy("Формат"),
        required=False,
        choices=[("", "—"), *Activity.Format.choices],
    )
    participants = forms.IntegerField(
        label=gettext_lazy("Число участников"),
        required=False,
        min_value=0,
        max_value=MAX_PARTICIPANTS,
    )
    members = forms.MultipleChoiceField(
        label=gettext_lazy("Участвовали члены Ассоциации"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partners = forms.CharField(
        label=gettext_lazy("Участвовали партнёры"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Названия из справочника организаций, по одному в строке."),
    )
    outcomes = forms.CharField(
        label=gettext_lazy("Итоги"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Несколько предложений: что сделано, что решено, что дальше."),
    )
    remove = forms.MultipleChoiceField(
        label=gettext_lazy("Убрать материалы"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, report: ClosingReport | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = Membership.objects.select_related("organisation").order_by("organisation__name")
        self.fields["members"].choices = [
            (str(m.organisation_id), m.organisation.name) for m in members if m.is_active
        ]
        self.materials = list(report.materials.all()) if report else []
        self.fields["remove"].choices = [(str(m.pk), str(m)) for m in self.materials]
        self.spellings: Spellings | None = None

    def clean_partners(self) -> list[int]:
        names = [" ".join(line.split()) for line in self.cleaned_data["partners"].splitlines()]
        names = [name for name in names if name]
        if len(names) > MAX_PARTNERS:
            raise forms.ValidationError(
                _("Не больше %(count)d партнёров.") % {"count": MAX_PARTNERS}
            )
        self.spellings = self.spellings or Spellings()
        found, unknown = [], []
        for name in names:
            pk = self.spellings.find(name)
            if pk is None:
                similar = self.spellings.similar(name)
                unknown.append(
                    _("«%(name)s» (возможно: %(similar)s)")
                    % {"name": name, "similar": "; ".join(similar)}
                    if similar
                    else f"«{name}»"
                )
            elif pk not in found:
                found.append(pk)
        if unknown:
            raise forms.ValidationError(
                _("Нет в справочнике организаций: %(names)s.") % {"names": ", ".join(unknown)}
            )
        return found

    def report_data(self, materials: list[NewMaterial]) -> ReportData:
        data = self.cleaned_data
        return ReportData(
            held_text=data["held_text"],
            venue=data["venue"],
            format=data["format"],
            participants=data["participants"],
            member_ids=[int(pk) for pk in data["members"]],
            partner_ids=data["partners"],
            outcomes=data["outcomes"],
            new_materials=materials,
            removed_materials=[int(pk) for pk in data["remove"]],
        )

    @staticmethod
    def initial_of(report: ClosingReport | None, activity: Activity) -> dict[str, Any]:
        """The form as the saved report fills it, or as the plan does before the first save."""
        if report is None:
            return {"venue": activity.place_text, "format": activity.format}
        return {
            "held_text": report.held_text,
            "venue": report.venue,
            "format": report.format,
            "participants": report.participants,
            "members": [str(pk) for pk in report.members.values_list("pk", flat=True)],
            "partners": "\n".join(report.partners.values_list("name", flat=True)),
            "outcomes": report.outcomes,
        }


class MaterialForm(forms.Form):
    """One new material: a file or a link, with what it is."""

    kind = forms.ChoiceField(label=gettext_lazy("Вид"), choices=ReportMaterial.Kind.choices)
    title = forms.CharField(label=gettext_lazy("Подпись"), required=False, max_length=300)
    file = forms.FileField(label=gettext_lazy("Файл"), required=False)
    url = forms.URLField(
        label=gettext_lazy("или ссылка"),
        required=False,
        max_length=1000,
        assume_scheme="https",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("file") and data.get("url"):
            raise forms.ValidationError(_("Укажите файл или ссылку, не то и другое."))
        return data

    def material(self) -> NewMaterial | None:
        """The material the slot holds, or None for an empty slot."""
        data = self.cleaned_data
        upload = data.get("file")
        if upload:
            limit = settings.CIVICPLAN_ATTACHMENT_MAX_BYTES
            content = upload.read(limit + 1)  # the action refuses what is over the limit
            return NewMaterial(data["kind"], data["title"], name=upload.name, content=content)
        if data.get("url"):
            return NewMaterial(data["kind"], data["title"], url=data["url"])
        return None


MaterialFormSet = forms.formset_factory(
    MaterialForm, extra=MATERIAL_SLOTS, max_num=MATERIAL_SLOTS, absolute_max=MATERIAL_SLOTS
)


class ProgressForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Дата"), widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(
        label=gettext_lazy("Состояние"), choices=ProgressEntry.Status.choices
    )
    percent = forms.IntegerField(label=gettext_lazy("Выполнено, %"), min_value=0, max_value=100)
    text = forms.CharField(
        label=gettext_lazy("Что сделано"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
