from django.contrib import admin

from .models import Offering, OfferingLink, OfferingProvider


class ProviderInline(admin.TabularInline):
    model = OfferingProvider
    extra = 0
    autocomplete_fields = ["organization"]


class LinkInline(admin.TabularInline):
    model = OfferingLink
    extra = 0


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    """For repairs only: day-to-day work goes through the catalog pages and their services."""

    list_display = ["title", "type", "status", "visibility", "updated_at"]
    list_filter = ["status", "type", "visibility"]
    search_fields = ["title", "summary"]
    inlines = [ProviderInline, LinkInline]
    readonly_fields = ["version", "submitted_at", "published_at", "retired_at"]
