"""Vega-Lite specifications of the MEL charts, built on the server from the same records as
the tables beside them.

The page embeds each specification with ``json_script`` and ``static/landhub/charts.js``
draws it (under our Content-Security-Policy, through the vendored expression interpreter) and
offers the SVG for download. Titles and labels are translated here, so the chart speaks the
reader's language without a second request. A chart is decoration over its table: screen
readers and print get the table.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
ACTUAL_COLOUR, TARGET_COLOUR, BASELINE_COLOUR = "#1f6f43", "#b35c00", "#6c757d"


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def actual_against_target(series) -> dict:
    """Actual (line) and target (points) over the periods, with the baseline as a rule."""
    actual_label, target_label = _("Actual"), _("Target")
    records = []
    for point in series.points:
        records.append({"period": point.period.label, "series": actual_label,
                        "value": _number(point.judgement.actual)})  # fmt: skip
        target = point.plan.target if point.plan else None
        records.append({"period": point.period.label, "series": target_label,
                        "value": _number(target)})  # fmt: skip
    periods = [p.period.label for p in series.points]
    unit = series.indicator.unit or ""
    layers: list[dict] = [{
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "period", "type": "ordinal", "sort": periods, "title": _("Period")},
            "y": {"field": "value", "type": "quantitative", "title": unit or _("Value")},
            "color": {"field": "series", "type": "nominal", "title": None,
                      "scale": {"domain": [actual_label, target_label],
                                "range": [ACTUAL_COLOUR, TARGET_COLOUR]}},
            "strokeDash": {"field": "series", "type": "nominal", "legend": None,
                           "scale": {"domain": [actual_label, target_label],
                                     "range": [[1, 0], [4, 3]]}},
            "tooltip": [{"field": "period", "title": _("Period")},
                        {"field": "series", "title": _("Figure")},
                        {"field": "value", "title": unit or _("Value"), "format": ",.6~f"}],
        },
    }]  # fmt: skip
    if series.baseline is not None:
        layers.append({
            "data": {"values": [{"baseline": _number(series.baseline)}]},
            "mark": {"type": "rule", "strokeDash": [2, 2], "color": BASELINE_COLOUR},
            "encoding": {"y": {"field": "baseline", "type": "quantitative"},
                         "tooltip": [{"field": "baseline", "title": _("Baseline")}]},
        })  # fmt: skip
    return {"$schema": SCHEMA, "data": {"values": records}, "width": "container", "height": 260,
            "layer": layers, "config": {"view": {"stroke": None}}}  # fmt: skip


def regions(rows, unit: str) -> dict:
    """One bar per region (the actual) and a tick for its target."""
    records = [{"region": row.region, "actual": _number(row.judgement.actual),
                "target": _number(row.judgement.target)} for row in rows]  # fmt: skip
    tooltip = [{"field": "region", "title": _("Region")},
               {"field": "actual", "title": _("Actual"), "format": ",.6~f"},
               {"field": "target", "title": _("Target"), "format": ",.6~f"}]  # fmt: skip
    return {
        "$schema": SCHEMA, "data": {"values": records}, "width": "container",
        "height": max(120, 32 * len(records)),
        "encoding": {"y": {"field": "region", "type": "nominal", "title": None, "sort": None}},
        "layer": [
            {"mark": {"type": "bar", "color": ACTUAL_COLOUR},
             "encoding": {"x": {"field": "actual", "type": "quantitative",
                                "title": unit or _("Value")}, "tooltip": tooltip}},
            {"mark": {"type": "tick", "color": TARGET_COLOUR, "thickness": 3},
             "encoding": {"x": {"field": "target", "type": "quantitative"},
                          "tooltip": tooltip}},
        ],
        "config": {"view": {"stroke": None}},
    }  # fmt: skip


def progress_bars(series_list) -> dict:
    """Progress toward target (percent of the way from the baseline) per indicator, with the
    100 % line; the colour says on track or behind."""
    records = []
    for series in series_list:
        latest = series.latest
        if latest is None or latest.judgement.progress is None:
            continue
        judgement = latest.judgement
        records.append({
            "indicator": f"{series.indicator.code} {series.indicator.name}"[:60],
            "progress": _number(min(judgement.progress, Decimal(150))),
            "status": judgement.status_label, "period": latest.period.label,
        })  # fmt: skip
    return {
        "$schema": SCHEMA, "data": {"values": records}, "width": "container",
        "height": max(80, 26 * len(records)),
        "layer": [
            {"mark": "bar",
             "encoding": {
                 "y": {"field": "indicator", "type": "nominal", "title": None, "sort": None},
                 "x": {"field": "progress", "type": "quantitative",
                       "title": _("Percent of the way from baseline to target")},
                 "color": {"field": "status", "type": "nominal", "title": _("Status")},
                 "tooltip": [{"field": "indicator", "title": _("Indicator")},
                             {"field": "period", "title": _("Period")},
                             {"field": "progress", "title": "%", "format": ".1f"},
                             {"field": "status", "title": _("Status")}],
             }},
            {"data": {"values": [{"x": 100}]}, "mark": {"type": "rule", "strokeDash": [4, 3]},
             "encoding": {"x": {"field": "x", "type": "quantitative"}}},
        ],
        "config": {"view": {"stroke": None}, "axis": {"labelLimit": 320}},
    }  # fmt: skip
