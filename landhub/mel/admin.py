"""Django admin for repairs only: day-to-day MEL work goes through the pages and services."""

from django.contrib import admin

from .models import (
    DisaggregationOption,
    DisaggregationScheme,
    Framework,
    Indicator,
    IndicatorAssignment,
    Observation,
    ReportingPeriod,
    Target,
)


class OptionInline(admin.TabularInline):
    model = DisaggregationOption
    extra = 0


@admin.register(DisaggregationScheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    inlines = [OptionInline]


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["title", "landscape", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "measure", "aggregation", "cumulative_mode", "frequency"]
    list_filter = ["measure", "aggregation", "frequency"]
    search_fields = ["code", "name"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(IndicatorAssignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["indicator", "scope_kind", "landscape", "organization", "node"]
    list_filter = ["scope_kind"]
    autocomplete_fields = ["landscape", "organization"]
    inlines = [TargetInline]


@admin.register(ReportingPeriod)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "start", "end", "due", "locked_at"]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    """Read-only: values change through the services (history, reasons, roll-ups)."""

    list_display = ["assignment", "period", "status", "value", "updated_at"]
    list_filter = ["status", "period"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
