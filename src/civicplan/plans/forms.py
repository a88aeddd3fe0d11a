"""The staff's plan workspace forms: a row as staff edit it (with its responsible parties picked
from the directory), a row's status, sections, notes, and the decisions that approve a plan and
publish its amendments. Each form gives what its action takes; the action checks the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicplan.common.files import file_type
from civicplan.plans.actions import (
    DECISION_SCAN_TYPES,
    NO_PARENT,
    NO_SECTION,
    CarriedRow,
    Decision,
    Party,
    RowEdit,
)
from civicplan.plans.models import Activity, Plan, Responsibility, Section
from civicplan.plans.queries import Spellings

REASON_LABEL = gettext_lazy("Основание изменения")
REASON_HELP = gettext_lazy("План утверждён: изменение войдёт в следующую версию с этим основанием.")


def _reason_field(required: bool) -> forms.CharField:
    return forms.CharField(
        label=REASON_LABEL,
        required=required,
        help_text=REASON_HELP if required else "",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AmendingForm(forms.Form):
    """A change of a row: in an approved plan it needs its reason (the action refuses
    without one; the form says so first)."""

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        if plan.status == Plan.Status.APPROVED:
            self.fields["reason"] = _reason_field(required=True)

    def reason_text(self) -> str:
        return self.cleaned_data.get("reason", "")


class RowForm(AmendingForm):
    """A row's own columns. The time frame is typed as the plan writes it and read back."""

    when_text = forms.CharField(
        label=gettext_lazy("Сроки"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Как в плане: «4–5 апреля», «II квартал», «в течение года»."),
    )
    title = forms.CharField(
        label=gettext_lazy("Мероприятие"), widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(label=gettext_lazy("Вид"), choices=Activity.Kind.choices)
    involvement = forms.ChoiceField(
        label=gettext_lazy("Участие Ассоциации"), choices=Activity.Involvement.choices
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Формат"),
        required=False,
        choices=[("", gettext_lazy("не указан")), *Activity.Format.choices],
    )
    place_text = forms.CharField(
        label=gettext_lazy("Место проведения"),
        required=False,
        widget=forms.TextInput(attrs={"list": "known-cities", "autocomplete": "off"}),
        help_text=gettext_lazy("Город и площадка, как в плане: «г. Пермь, Дом молодёжи»."),
    )
    section = forms.TypedChoiceField(label=gettext_lazy("Раздел"), coerce=int, required=False)
    parent = forms.IntegerField(
        label=gettext_lazy("Входит в строку №"),
        required=False,
        min_value=1,
        help_text=gettext_lazy(
            "Для части программы или этапа проекта: номер строки, ход которой складывается из "
            "её частей. Пусто — самостоятельная строка."
        ),
    )

    field_order = ("when_text", "title", "kind", "involvement", "format", "place_text")

    def __init__(self, *args: Any, plan: Plan, sections: list[Section], **kwargs: Any) -> None:
        super().__init__(*args, plan=plan, **kwargs)
        self.fields["section"].choices = [("", _("без раздела"))] + [
            (section.pk, str(section) or _("Раздел %(n)s") % {"n": section.position})
            for section in sections
        ]
        self.fields["when_text"].widget.attrs["data-timeframe"] = "1"

    def edit(self, parties: list[Party] | None) -> RowEdit:
        data = self.cleaned_data
        return RowEdit(
            when_text=data["when_text"],
            title=data["title"],
            kind=data["kind"],
            involvement=data["involvement"],
            format=data["format"],
            place_text=data["place_text"],
            responsible=parties,
            section_id=data["section"] if data["section"] != "" else NO_SECTION,
            parent_position=data["parent"] or NO_PARENT,
        )


def row_initial(activity: Activity) -> dict[str, Any]:
    return {
        "when_text": activity.when_text,
        "title": activity.title,
        "kind": activity.kind,
        "involvement": activity.involvement,
        "format": activity.format,
        "place_text": activity.place_text,
        "section": activity.section_id or "",
        "parent": activity.parent.position if activity.parent else None,
    }


class PartyForm(forms.Form):
    """One responsible party: a name or spelling the directory knows (suggested as typed), or
    a new name, which is checked against the directory's spellings first."""

    name = forms.CharField(
        label=gettext_lazy("Организация"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"list": "known-organisations", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Роль"),
        choices=Responsibility.Role.choices,
        initial=Responsibility.Role.RESPONSIBLE,
    )
    contact = forms.CharField(label=gettext_lazy("Контактное лицо"), required=False, max_length=200)
    remark = forms.CharField(
        label=gettext_lazy("Оговорка"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("по согласованию")}),
    )
    organisation = forms.IntegerField(required=False, widget=forms.HiddenInput)
    new = forms.BooleanField(label=gettext_lazy("Да, это новая организация"), required=False)

    def __init__(self, *args: Any, spellings: Spellings, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spellings = spellings
        self.suggested: list[str] = []
        self.found_name = ""

    def directory_name(self) -> str:
        """The directory's name of the organisation this party is (shown beside a spelling)."""
        if self.found_name:
            return self.found_name
        return self.spellings.names.get(self.initial.get("organisation"), "")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        name = " ".join((data.get("name") or "").split())
        if not name:
            return data
        kept = data.get("organisation")
        unchanged = kept is not None and name == (self.initial.get("name") or "")
        found = kept if unchanged else self.spellings.find(name)
        data["organisation"] = found
        if found is not None:
            self.found_name = self.spellings.names.get(found, "")
            return data
        self.suggested = self.spellings.similar(name)
        if self.suggested and not data.get("new"):
            raise forms.ValidationError(
                _(
                    "Возможно, вы имели в виду: %(names)s. Выберите её из списка или отметьте, "
                    "что это новая организация."
                )
                % {"names": "; ".join(f"«{n}»" for n in self.suggested)},
                code="similar",
            )
        return data

    def party(self) -> Party | None:
        data = self.cleaned_data
        name = " ".join((data.get("name") or "").split())
        if not name:
            return None
        return Party(
            role=data["role"],
            organisation_id=data.get("organisation"),
            name=name,
            contact=data.get("contact", ""),
            remark=data.get("remark", ""),
        )


class BasePartyFormSet(forms.BaseFormSet):
    def parties(self) -> list[Party]:
        return [p for form in self.forms if (p := form.party()) is not None]


PartyFormSet = forms.formset_factory(
    PartyForm, formset=BasePartyFormSet, extra=2, max_num=30, validate_max=True
)


def party_initial(activity: Activity) -> list[dict[str, Any]]:
    return [
        {
            "name": link.written_as,
            "role": link.role,
            "contact": link.contact,
            "remark": link.remark,
            "organisation": link.organisation_id,
        }
        for link in activity.responsibilities.order_by("position")
    ]


class MoveForm(AmendingForm):
    position = forms.IntegerField(label=gettext_lazy("На место №"), min_value=1)


class PostponeForm(forms.Form):
    when_text = forms.CharField(
        label=gettext_lazy("Новые сроки"), max_length=300, help_text=gettext_lazy("Как в плане.")
    )
    reason = forms.CharField(
        label=gettext_lazy("Причина переноса"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["when_text"].widget.attrs["data-timeframe"] = "1"


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Причина отмены"), widget=forms.Textarea(attrs={"rows": 2})
    )


class HeldForm(forms.Form):
    held_text = forms.CharField(
        label=gettext_lazy("Когда проведено"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Пусто — в запланированные сроки."),
    )


class SectionForm(forms.Form):
    heading = forms.CharField(
        label=gettext_lazy("Раздел"), widget=forms.Textarea(attrs={"rows": 2})
    )
    subheading = forms.CharField(label=gettext_lazy("Подраздел"), required=False, max_length=200)


class NotesForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Примечания в конце плана"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Каждый абзац отделяйте пустой строкой."),
    )

    def texts(self) -> list[str]:
        text = self.cleaned_data["text"].replace("\r\n", "\n")
        return [" ".join(part.split()) for part in text.split("\n\n") if part.strip()]


class DecisionForm(forms.Form):
    """The decision that approves a plan or publishes its amendments, with an optional scan."""

    body = forms.CharField(
        label=gettext_lazy("Кем принято решение"),
        max_length=300,
        initial=gettext_lazy("Общее собрание Ассоциации"),
    )
    date = forms.DateField(
        label=gettext_lazy("Дата решения"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    number = forms.CharField(label=gettext_lazy("Номер решения"), max_length=100, required=False)
    scan = forms.FileField(
        label=gettext_lazy("Скан решения"),
        required=False,
        help_text=gettext_lazy("PDF, JPEG или PNG, необязательно."),
    )

    def clean_scan(self) -> Any:
        scan = self.cleaned_data.get("scan")
        if scan is None:
            return None
        limit = settings.CIVICPLAN_ATTACHMENT_MAX_BYTES
        if scan.size > limit:
            raise forms.ValidationError(
                _("Файл больше %(mb)s МБ.") % {"mb": limit // (1024 * 1024)}
            )
        content = scan.read()
        if file_type(content) not in DECISION_SCAN_TYPES:
            raise forms.ValidationError(_("Скан должен быть файлом PDF, JPEG или PNG."))
        scan.content = content
        return scan

    def decision(self) -> Decision:
        data = self.cleaned_data
        scan = data.get("scan")
        return Decision(
            body=data["body"],
            date=data.get("date"),
            number=data.get("number", ""),
            scan_name=scan.name if scan else "",
            scan=scan.content if scan else b"",
        )


class PublishForm(DecisionForm):
    reason = forms.CharField(
        label=gettext_lazy("Основание изменений"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Пусто — основания внесённых изменений через точку с запятой."),
    )
    field_order = ("reason", "body", "date", "number", "scan")


class NextYearForm(forms.Form):
    """The one-off rows staff carry into next year's draft (recurring ones go by themselves)."""

    one_off = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args: Any, one_off: list[CarriedRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["one_off"].choices = [(row.pk, row.pk) for row in one_off]
