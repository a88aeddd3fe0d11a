from django.contrib import admin

from civicplan.audit.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "subject")
    list_filter = ("action",)
    search_fields = ("subject", "summary")
    readonly_fields = ("at", "actor", "action", "subject", "summary", "data")

    def has_add_permission(self, request) -> bool:  # the log is written by actions only
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
