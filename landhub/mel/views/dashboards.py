"""Dashboards and the indicator performance tracking table: read from the roll-ups only
(``selectors/dashboards.py``), each chart beside the table that holds its figures, every table
downloadable."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext as _

from landhub.core.lists import csv_response, paginate, xlsx_response

from .. import charts
from ..models import Indicator, PeriodKind, ReportingPeriod, RollupLevel
from ..selectors import dashboards as boards

PLACE_LEVELS = (RollupLevel.INITIATIVE, RollupLevel.REGION, RollupLevel.COUNTRY)
ROWS_PER_PAGE = 25  # indicators per page of the tracking table and a landscape's dashboard


def _margin(request) -> Decimal:
    """The margin from ``?margin=`` (0–100 percentage points), else the default."""
    raw = request.GET.get("margin", "").strip()
    try:
        margin = Decimal(raw) if raw else boards.default_margin()
    except InvalidOperation:
        return boards.default_margin()
    return margin if margin.is_finite() and 0 <= margin <= 100 else boards.default_margin()


def _place(request) -> boards.Place:
    """``?place=`` is empty (the initiative), ``region:<name>`` or ``country:<code>``."""
    level, _sep, key = (request.GET.get("place") or RollupLevel.INITIATIVE).partition(":")
    if level not in PLACE_LEVELS:
        raise Http404
    return boards.place_for(user=request.user, level=level, key=key)


@login_required
def dashboard_home(request):
    """The initiative's progress: landscapes and people toward the goals, headline indicators.
    ``?indicator=CODE`` (the page's "dashboard of an indicator" form) goes to that dashboard."""
    if code := request.GET.get("indicator", "").strip():
        return redirect("mel:indicator_dashboard", get_object_or_404(Indicator, code=code).code)
    headline = boards.headline_series(user=request.user, margin=_margin(request))
    stamps = [s.computed_at for s in headline if s.computed_at]
    context = {
        "engagement": boards.engagement(),
        "people_method": boards.PEOPLE_METHOD,
        "headline": headline,
        "headline_chart": charts.progress_bars(headline),
        "computed_at": max(stamps) if stamps else None,
        "margin": _margin(request),
        "places": boards.place_choices(),
        "indicators": Indicator.objects.filter(archived_at__isnull=True).order_by("code")
        .only("code", "name"),
    }  # fmt: skip
    return render(request, "mel/dashboard_home.html", context)


def _indicator_context(request, code: str) -> dict:
    indicator = get_object_or_404(Indicator, code=code)
    place = _place(request)
    margin = _margin(request)
    series = boards.indicator_series(user=request.user, indicator=indicator, place=place,
                                     margin=margin)  # fmt: skip
    reported = [p.period for p in series.points]
    period = None
    if label := request.GET.get("period"):
        period = next((p for p in reported if p.label == label), None)
        if period is None:
            period = get_object_or_404(ReportingPeriod, label=label)
    elif series.latest is not None:
        period = series.latest.period
    regions = boards.by_region(indicator=indicator, period=period, margin=margin) if period else []
    options = boards.by_option(indicator=indicator, place=place, period=period) if period else []
    return {
        "indicator": indicator, "place": place, "series": series, "period": period,
        "periods": reported, "regions": regions, "options": options, "margin": margin,
    }  # fmt: skip


@login_required
def indicator_dashboard(request, code):
    context = _indicator_context(request, code)
    context["series_chart"] = charts.actual_against_target(context["series"])
    context["regions_chart"] = charts.regions(context["regions"], context["indicator"].unit)
    context["places"] = boards.place_choices()
    return render(request, "mel/dashboard_indicator.html", context)


def _figure(value) -> str:
    return "" if value is None else f"{value.normalize():f}"


@login_required
def indicator_dashboard_csv(request, code):
    """The dashboard's figures: the series at the place, then each region for the period."""
    context = _indicator_context(request, code)
    indicator, place = context["indicator"], context["place"]
    header = [_("Indicator"), _("Place"), _("Period"), _("Baseline"), _("Target"), _("Actual"),
              _("Percent of target"), _("Status")]  # fmt: skip
    rows = [[indicator.code, place.label, p.period.label, _figure(context["series"].baseline),
             _figure(p.judgement.target), _figure(p.judgement.actual),
             _figure(p.judgement.progress), p.judgement.status_label]
            for p in context["series"].points]  # fmt: skip
    if context["period"] is not None:
        rows += [[indicator.code, r.region, context["period"].label, "",
                  _figure(r.judgement.target), _figure(r.judgement.actual),
                  _figure(r.judgement.progress), r.judgement.status_label]
                 for r in context["regions"]]  # fmt: skip
    return csv_response(f"{indicator.code}-{slugify(place.label)}.csv", header, rows)


@login_required
def landscape_dashboard(request, slug):
    from landhub.directory.models import Landscape

    place = boards.place_for(user=request.user, level=RollupLevel.LANDSCAPE, key=slug)
    landscape = Landscape.objects.get(pk=place.key)
    page = paginate(request, boards.landscape_indicators(landscape=landscape), ROWS_PER_PAGE)
    series = boards.landscape_series(
        user=request.user,
        landscape=landscape,
        indicators=page.object_list,
        margin=_margin(request),
    )
    stamps = [s.computed_at for s in series if s.computed_at]
    return render(request, "mel/dashboard_landscape.html", {
        "landscape": landscape, "series_list": series, "chart": charts.progress_bars(series),
        "computed_at": max(stamps) if stamps else None, "margin": _margin(request),
        "page": page,
    })  # fmt: skip


def _kind(request) -> str:
    kind = request.GET.get("kind") or PeriodKind.YEAR
    if kind not in PeriodKind.values:
        raise Http404
    return kind


@login_required
def tracking_table_view(request):
    """A page of indicators at a time (``ROWS_PER_PAGE``): 300 indicators × 7 periods on one
    page is more than anyone reads on a phone, and more than the 50 ms budget; the exports
    hold the whole table."""
    kind = _kind(request)
    page = paginate(request, boards.tracking_indicators(kind=kind), ROWS_PER_PAGE)
    table = boards.tracking_table(user=request.user, place=_place(request), kind=kind,
                                  margin=_margin(request), indicators=page.object_list)  # fmt: skip
    return render(request, "mel/tracking_table.html", {
        "table": table, "page": page, "places": boards.place_choices(),
        "kinds": PeriodKind.choices, "query": request.GET.urlencode(),
    })  # fmt: skip


def _tracking_rows(table: boards.TrackingTable):
    """Header and rows of the export: one row per indicator and period."""
    header = [_("Code"), _("Indicator"), _("Unit"), _("Place"), _("Baseline"),
              _("Life-of-initiative target"), _("Period"), _("Target"), _("Actual"),
              _("Percent of target"), _("Expected percent"), _("Status")]  # fmt: skip
    rows = []
    for series in table.rows:
        first = [series.indicator.code, series.indicator.name, series.indicator.unit,
                 table.place.label, series.baseline, series.life_target]  # fmt: skip
        if not series.points:
            rows.append([*first, "", None, None, None, None, boards.STATUS_LABELS["no_data"]])
        for point in series.points:
            j = point.judgement
            rows.append([*first, point.period.label, j.target, j.actual, j.progress,
                         j.expected, j.status_label])  # fmt: skip
    return header, rows


@login_required
def tracking_table_export(request, fmt):
    table = boards.tracking_table(user=request.user, place=_place(request), kind=_kind(request),
                                  margin=_margin(request))  # fmt: skip
    header, rows = _tracking_rows(table)
    name = f"tracking-{slugify(table.place.label)}-{table.kind}"
    if fmt == "csv":
        return csv_response(f"{name}.csv", header,
                            ([_figure(c) if isinstance(c, Decimal) else c for c in row]
                             for row in rows))  # fmt: skip
    if fmt != "xlsx":
        raise Http404
    notes = [
        [str(_(
            "On track: at least 100 % minus the margin of the way from the baseline to the "
            "period's target; against the life-of-initiative target, at least the share of the "
            "initiative's life elapsed, minus the margin."
        ))],
        [str(_("Margin (percentage points)")), float(table.margin)],
    ]  # fmt: skip
    return xlsx_response(name, _("Tracking table"), header, rows, notes=notes,
                         notes_title=_("How to read it"))  # fmt: skip


urlpatterns = [
    path("mel/dashboards/", dashboard_home, name="dashboard_home"),
    path("mel/dashboards/indicators/<str:code>/", indicator_dashboard,
         name="indicator_dashboard"),
    path("mel/dashboards/indicators/<str:code>/export.csv", indicator_dashboard_csv,
         name="indicator_dashboard_csv"),
    path("mel/dashboards/landscapes/<slug:slug>/", landscape_dashboard,
         name="landscape_dashboard"),
    path("mel/dashboards/tracking/", tracking_table_view, name="tracking_table"),
    path("mel/dashboards/tracking/export.<str:fmt>", tracking_table_export,
         name="tracking_table_export"),
]  # fmt: skip
