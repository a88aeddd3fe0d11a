from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext as _

from civicplan.plans.actions import record_amendment, save_activity
from civicplan.plans.models import (
    Activity,
    ActivityPlace,
    Amendment,
    Plan,
    PlanVersion,
    Responsibility,
    Section,
)


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("year", "title", "status", "imported_at", "imported_by")
    list_filter = ("status",)
    search_fields = ("title",)
    inlines = [SectionInline]
    # A plan is approved, and its amendments published, in the staff workspace: with a decision
    # and a version, not by a change of this field.
    readonly_fields = ("status", "imported_at", "imported_by")


class ReadOnlyAdmin(admin.ModelAdmin):
    """The record of what was decided: listed, never changed here."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ("plan", "number", "published", "published_by", "decision_number")
    exclude = ("document",)


@admin.register(Amendment)
class AmendmentAdmin(ReadOnlyAdmin):
    list_display = ("plan", "kind", "title", "reason", "created", "created_by", "version")
    list_filter = ("plan", "kind")


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0
    autocomplete_fields = ("organisation",)


class ActivityPlaceInline(admin.TabularInline):
    model = ActivityPlace
    extra = 0
    autocomplete_fields = ("place",)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("position", "when_text", "title", "kind", "involvement", "status", "plan")
    list_display_links = ("title",)
    list_filter = ("plan", "kind", "involvement", "format", "status", "precision")
    search_fields = ("title", "place_text", "responsible_text")
    inlines = [ActivityPlaceInline, ResponsibilityInline]
    list_select_related = ("plan",)
    readonly_fields = ("uid", "sequence", "created", "modified")
    raw_id_fields = ("parent",)

    def save_model(self, request, obj, form, change) -> None:
        """Through the action; in an approved plan the change is an amendment like any other."""
        with transaction.atomic():
            if change and form.changed_data:
                record_amendment(
                    request.user,
                    obj,
                    Amendment.Kind.CHANGED,
                    _("Изменено в администрировании сайта."),
                    ", ".join(form.changed_data),
                )
            save_activity(obj, request.user, form.changed_data if change else ())
