"""Every accepted letter, read-only: the rows are the intake's record of what it was given."""

from django.contrib import admin
from django.http import HttpRequest

from civicplan.mailintake.models import InboundMessage


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ("received", "mail_from", "subject", "status", "attempts", "submission")
    list_filter = ("status",)
    search_fields = ("mail_from", "subject", "message_id", "sha256")
    date_hierarchy = "received"
    list_select_related = ("submission",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
