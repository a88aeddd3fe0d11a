from django.contrib import admin

from civicplan.plans.actions import save_activity
from civicplan.plans.models import Activity, ActivityPlace, Plan, Responsibility, Section


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("year", "title", "status", "imported_at", "imported_by")
    list_filter = ("status",)
    search_fields = ("title",)
    inlines = [SectionInline]
    readonly_fields = ("imported_at", "imported_by")


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

    def save_model(self, request, obj, form, change) -> None:
        save_activity(obj, request.user, form.changed_data if change else ())
