from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


@admin.register(models.Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ["name_en", "vocabulary", "slug", "is_active"]
    list_filter = ["vocabulary", "is_active"]
    search_fields = ["name_en", "name_es", "name_fr", "name_pt", "slug"]


@admin.register(models.Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "subregion"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


class CapabilityInline(admin.TabularInline):
    model = models.OrganizationCapability
    extra = 0


@admin.register(models.Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "country", "visibility", "archived_at"]
    list_filter = ["kind", "visibility"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CapabilityInline]


@admin.register(models.Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["name", "email", "user", "visibility"]
    search_fields = ["name", "email"]


@admin.register(models.Landscape)
class LandscapeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "region", "initiative_status", "area_km2", "is_demo"]
    list_filter = ["region", "initiative_status", "is_demo"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


admin.site.register(models.OrganizationMembership, SimpleHistoryAdmin)
admin.site.register(models.LandscapeMembership, SimpleHistoryAdmin)
admin.site.register(models.LandscapeNeed, SimpleHistoryAdmin)
admin.site.register(models.Invitation)
admin.site.register(models.JoinRequest)
