from django.contrib import admin

from civicplan.outbox.models import MailPreference


@admin.register(MailPreference)
class MailPreferenceAdmin(admin.ModelAdmin):
    """Staff may look up an address; its subscriptions change through its own link only."""

    list_display = ("email", "unsubscribed", "modified")
    search_fields = ("email",)
    readonly_fields = ("email", "unsubscribed", "created", "modified")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
