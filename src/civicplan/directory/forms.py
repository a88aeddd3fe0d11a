"""The staff's forms of the directory: each hands its cleaned values to one action."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civicplan.directory.models import Membership, Organisation

_ANY = [("", _("все"))]


class OrganisationFilter(forms.Form):
    """The staff's list: a name or spelling, a kind, groups or single organisations."""

    q = forms.CharField(label=_("Название или написание"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Вид"), required=False, choices=[*_ANY, *Organisation.Kind.choices]
    )
    collective = forms.ChoiceField(
        label=_("Группа организаций"),
        required=False,
        choices=[*_ANY, ("yes", _("только группы")), ("no", _("только организации"))],
    )

    def collective_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("collective") or "")


class RenameForm(forms.Form):
    name = forms.CharField(label=_("Название"), max_length=500)
    kind = forms.ChoiceField(label=_("Вид"), choices=Organisation.Kind.choices)


class AliasForm(forms.Form):
    text = forms.CharField(
        label=_("Ещё одно написание"),
        max_length=500,
        help_text=_("Так организация может быть написана в плане: импорт узнает её."),
    )


class CollectiveForm(forms.Form):
    collective = forms.BooleanField(label=_("Группа организаций, а не одна"), required=False)


class MergeForm(forms.Form):
    duplicate = forms.IntegerField(widget=forms.HiddenInput)


class MembershipForm(forms.Form):
    """The registry's fields; the city by name, as plans write it."""

    status = forms.ChoiceField(label=_("Состояние"), choices=Membership.Status.choices)
    joined_on = forms.DateField(
        label=_("Дата вступления"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    left_on = forms.DateField(
        label=_("Дата выхода"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    city = forms.CharField(label=_("Город"), required=False, max_length=200)
    region = forms.CharField(
        label=_("Регион"),
        required=False,
        max_length=200,
        help_text=_("Пусто — регион города из справочника мест."),
    )
    population = forms.IntegerField(label=_("Население"), required=False, min_value=1)
    coordinator = forms.CharField(
        label=_("Координатор (контактное лицо)"),
        required=False,
        max_length=200,
        help_text=_("Имя и должность. На сайте не показывается."),
    )
    notes = forms.CharField(label=_("Примечания"), required=False, widget=forms.Textarea)

    @classmethod
    def of(cls, membership: Membership | None) -> MembershipForm:
        """The form filled with a membership's values (or empty for a new member)."""
        if membership is None:
            return cls(initial={"status": Membership.Status.ACTIVE})
        return cls(
            initial={
                "status": membership.status,
                "joined_on": membership.joined_on,
                "left_on": membership.left_on,
                "city": membership.city.city if membership.city else "",
                "region": membership.region,
                "population": membership.population,
                "coordinator": membership.coordinator,
                "notes": membership.notes,
            }
        )
