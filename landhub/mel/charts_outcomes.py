"""Vega-Lite specifications of the outcomes dashboard, from the same rows as its tables.

Drawn by ``static/landhub/charts.js`` like the quantitative dashboards' charts (``charts.py``);
each chart sits beside the table that holds its figures, which is what screen readers and print
get.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .charts import ACTUAL_COLOUR, SCHEMA


def bars(rows, *, title: str) -> dict:
    """One horizontal bar per row (key, label, count), in the table's order."""
    records = [{"label": label, "count": count} for _key, label, count in rows]
    return {
        "$schema": SCHEMA, "data": {"values": records}, "width": "container",
        "height": max(80, 28 * len(records)),
        "mark": {"type": "bar", "color": ACTUAL_COLOUR},
        "encoding": {
            "y": {"field": "label", "type": "nominal", "title": None, "sort": None},
            "x": {"field": "count", "type": "quantitative", "title": _("Outcome statements"),
                  "axis": {"tickMinStep": 1, "format": "d"}},
            "tooltip": [{"field": "label", "title": title},
                        {"field": "count", "title": _("Outcome statements")}],
        },
        "config": {"view": {"stroke": None}, "axis": {"labelLimit": 260}},
    }  # fmt: skip


def over_time(rows) -> dict:
    """Statements per year or quarter, as columns in time order."""
    records = [{"period": label, "count": count} for _key, label, count in rows]
    return {
        "$schema": SCHEMA, "data": {"values": records}, "width": "container", "height": 220,
        "mark": {"type": "bar", "color": ACTUAL_COLOUR},
        "encoding": {
            "x": {"field": "period", "type": "ordinal", "title": _("Period"),
                  "sort": [r["period"] for r in records]},
            "y": {"field": "count", "type": "quantitative", "title": _("Outcome statements"),
                  "axis": {"tickMinStep": 1, "format": "d"}},
            "tooltip": [{"field": "period", "title": _("Period")},
                        {"field": "count", "title": _("Outcome statements")}],
        },
        "config": {"view": {"stroke": None}},
    }  # fmt: skip
