from django.contrib import admin

from civicplan.directory.models import Membership, Organisation, OrganisationAlias, Place


class AliasInline(admin.TabularInline):
    model = OrganisationAlias
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "aliases__text")
    inlines = [AliasInline]
    readonly_fields = ("key",)


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ("city", "region", "country", "venue")
    list_filter = ("country",)
    search_fields = ("city", "region", "venue")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("organisation", "city", "joined_on", "left_on")
    autocomplete_fields = ("organisation", "city")
