from django.contrib import admin

from civicplan.notifications.models import SentNotification


@admin.register(SentNotification)
class SentNotificationAdmin(admin.ModelAdmin):
    list_display = ("sent_at", "kind", "recipient", "activity", "due_on")
    list_filter = ("kind",)
    search_fields = ("recipient", "key")
    readonly_fields = ("kind", "key", "recipient", "activity", "due_on", "sent_at")

    def has_add_permission(self, request) -> bool:  # written by the scheduled tasks only
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
