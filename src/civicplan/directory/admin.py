from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from civicplan.directory import actions
from civicplan.directory.models import Membership, Organisation, OrganisationAlias, Place
from civicplan.plandoc.organisations import organisation_key


class AliasInline(admin.TabularInline):
    """Spellings are recorded by the import and the directory's actions, and shown here."""

    model = OrganisationAlias
    extra = 0
    fields = ("text",)
    readonly_fields = ("text",)
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ("name", "kind")

    def clean_name(self) -> str:
        """A new organisation whose name an existing one already has (by key) is refused."""
        name = " ".join(self.cleaned_data["name"].split())
        taken = Organisation.objects.filter(key=organisation_key(name)).exclude(pk=self.instance.pk)
        if self.instance.pk is None and taken.exists():
            raise forms.ValidationError(_("Такая организация уже есть в справочнике."))
        return name


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    list_display = ("name", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "aliases__text")
    inlines = [AliasInline]
    readonly_fields = ("key",)

    def save_model(self, request, obj: Organisation, form, change: bool) -> None:
        """A new organisation is made by the directory's action (its key and first spelling)."""
        if change:
            super().save_model(request, obj, form, change)
            return
        created = actions.create_organisation(request.user, obj.name, obj.kind)
        obj.pk, obj.key = created.pk, created.key


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("city", "region", "country", "venue")
    list_filter = ("country",)
    search_fields = ("city", "region", "venue")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("organisation", "city", "joined_on", "left_on")
    autocomplete_fields = ("organisation", "city")
