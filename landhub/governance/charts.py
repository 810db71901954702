"""Vega-Lite specification of a plan's timeline, built on the server from the same rows as the
table beside it (the MEL charts' way, ``mel.charts``; drawn by ``static/landhub/charts.js``).

Objectives and milestones with a target date, one row each: a bar from the start (where one
is given) to the target date, a point at the target, coloured by status. The table that
follows the chart carries the same facts for screen readers and print.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import ItemStatus

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
STATUS_COLOURS = {
    ItemStatus.NOT_STARTED: "#6c757d",
    ItemStatus.ON_TRACK: "#1f6f43",
    ItemStatus.AT_RISK: "#b35c00",
    ItemStatus.OFF_TRACK: "#a4161a",
    ItemStatus.DONE: "#0b5394",
}


def plan_timeline(rows) -> dict:
    """``rows``: ``PlanNode``s of objectives and milestones with a target date, by date."""
    records = []
    for node in rows:
        item = node.item
        records.append({
            "item": f"{node.code} {item.title}"[:80], "level": item.get_level_display(),
            "start": (item.start_on or item.target_on).isoformat(),
            "target": item.target_on.isoformat(), "status": node.status_label,
            "progress": node.progress_int,
        })  # fmt: skip
    order = [r["item"] for r in records]
    labels = [str(label) for value, label in ItemStatus.choices]
    colours = [STATUS_COLOURS[value] for value in ItemStatus.values]
    tooltip = [{"field": "item", "title": _("Item")}, {"field": "level", "title": _("Level")},
               {"field": "target", "type": "temporal", "title": _("Target date")},
               {"field": "status", "title": _("Status")},
               {"field": "progress", "title": _("Progress (%)")}]  # fmt: skip
    y = {"field": "item", "type": "nominal", "sort": order, "title": None,
         "axis": {"labelLimit": 280}}  # fmt: skip
    colour = {"field": "status", "type": "nominal", "title": _("Status"),
              "scale": {"domain": labels, "range": colours}}  # fmt: skip
    return {
        "$schema": SCHEMA, "data": {"values": records}, "width": "container",
        "height": max(120, 26 * len(records)),
        "layer": [
            {"mark": {"type": "bar", "opacity": 0.35, "height": 10},
             "encoding": {"y": y, "x": {"field": "start", "type": "temporal",
                                        "title": _("Target date")},
                          "x2": {"field": "target"}, "color": colour, "tooltip": tooltip}},
            {"mark": {"type": "point", "filled": True, "size": 90},
             "encoding": {"y": y, "x": {"field": "target", "type": "temporal"},
                          "color": colour, "tooltip": tooltip}},
        ],
        "config": {"view": {"stroke": None}},
    }  # fmt: skip
