from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    new_spelling = forms.CharField(
        label=gettext_lazy("Добавить написание"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Ещё одно написание, по которому импорт узнаёт организацию."),
    )

    class Meta:
        model = Organisation
        fields = ("name", "kind", "collective")

    def clean_name(self) -> str:
        """A name another organisation already has (by key) is refused."""
        name = " ".join(self.cleaned_data["name"].split())
        taken = Organisation.objects.filter(key=organisation_key(name)).exclude(pk=self.instance.pk)
        if taken.exists():
            if self.instance.pk is None:
                raise forms.ValidationError(_("Такая организация уже есть в справочнике."))
            raise forms.ValidationError(_("Организация с таким названием уже есть: объедините их."))
        return name

    def clean_new_spelling(self) -> str:
        text = " ".join(self.cleaned_data["new_spelling"].split())
        owner = OrganisationAlias.objects.filter(text=text).exclude(organisation=self.instance.pk)
        if text and owner.exists():
            raise forms.ValidationError(
                _("Это написание уже относится к организации «%(other)s».")
                % {"other": owner.get().organisation}
            )
        return text


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        label=gettext_lazy("Оставить"), queryset=Organisation.objects.none(), empty_label=None
    )

    def __init__(self, *args, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = organisations


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Every change goes through the directory's actions (civicplan.directory.actions)."""

    form = OrganisationForm
    list_display = ("name", "kind", "collective")
    list_filter = ("kind", "collective")
    search_fields = ("name", "aliases__text")
    inlines = [AliasInline]
    readonly_fields = ("key",)
    actions = ["merge"]

    def save_model(self, request, obj: Organisation, form, change: bool) -> None:
        if change:
            actions.change_organisation(request.user, obj, obj.name, obj.kind)
        else:
            created = actions.create_organisation(request.user, obj.name, obj.kind)
            obj.pk, obj.key = created.pk, created.key
        if "collective" in form.changed_data:
            actions.set_collective(request.user, obj, obj.collective)
        if form.cleaned_data.get("new_spelling"):
            actions.add_alias(request.user, obj, form.cleaned_data["new_spelling"])

    @admin.action(
        description=gettext_lazy("Объединить выбранные организации"),
        permissions=["change"],
    )
    def merge(self, request, queryset):
        """The duplicates' links and spellings move to the one kept (a page asks which)."""
        if queryset.count() < 2:
            self.message_user(
                request, _("Выберите хотя бы две организации."), level=messages.WARNING
            )
            return None
        form = MergeForm(request.POST if "keep" in request.POST else None, organisations=queryset)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            for duplicate in queryset.exclude(pk=keep.pk):
                actions.merge_organisations(request.user, keep, duplicate)
            self.message_user(
                request, _("Объединено в «%(name)s».") % {"name": keep.name}, messages.SUCCESS
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Объединить организации"),
            "form": form,
            "organisations": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/directory/merge.html", context)


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("city", "region", "country", "venue")
    list_filter = ("country",)
    search_fields = ("city", "region", "venue")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("organisation", "city", "region", "status", "joined_on", "left_on")
    list_filter = ("status",)
    autocomplete_fields = ("organisation", "city")
