"""The reach page: people reached toward 1 billion, counted once where landscapes overlap.

It reads the snapshots the background task wrote (``selectors/reach.py``); the only write is
hub staff's "recompute now", which enqueues the task and shows its progress bar. The method is
written on the page (``mel/reach.html``) in the same words as ``mel/reach.py`` implements it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from landhub.core.htmx import render_page
from landhub.core.lists import csv_response

from .. import services
from ..rules import can
from ..selectors import reach as selectors
from ..selectors.dashboards import LANDSCAPES_GOAL
from ..selectors.dashboards import PEOPLE_GOAL as GOAL

REACHED_COLOUR, RECORDED_COLOUR = "#1f6f43", "#6c757d"


def _series_chart(points) -> dict:
    """The initiative's people reached (line) and the plain sum of populations (dashed) over
    the dates computed."""
    reached, recorded = _("People reached (counted once)"), _("Recorded populations, added up")
    records = []
    for p in points:
        records.append({"date": p.as_of.isoformat(), "series": reached, "people": p.reached})
        records.append({"date": p.as_of.isoformat(), "series": recorded, "people": p.recorded})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "data": {"values": records}, "width": "container", "height": 240,
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "date", "type": "temporal", "title": _("As of")},
            "y": {"field": "people", "type": "quantitative", "title": _("People")},
            "color": {"field": "series", "type": "nominal", "title": None,
                      "scale": {"domain": [reached, recorded],
                                "range": [REACHED_COLOUR, RECORDED_COLOUR]}},
            "strokeDash": {"field": "series", "type": "nominal", "legend": None,
                           "scale": {"domain": [reached, recorded], "range": [[1, 0], [4, 3]]}},
            "tooltip": [{"field": "date", "type": "temporal", "title": _("As of")},
                        {"field": "series", "title": _("Figure")},
                        {"field": "people", "title": _("People"), "format": ",d"}],
        },
        "config": {"view": {"stroke": None}},
    }  # fmt: skip


def _regions_chart(figures) -> dict:
    """One bar per region: people reached, and the part removed as counted twice."""
    reached, removed = _("People reached (counted once)"), _("Counted more than once, removed")
    records = []
    for f in figures:
        records.append({"region": f.region, "part": reached, "people": f.reached})
        records.append({"region": f.region, "part": removed, "people": f.overlap_removed})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "data": {"values": records}, "width": "container",
        "height": max(100, 30 * len(figures)),
        "mark": "bar",
        "encoding": {
            "y": {"field": "region", "type": "nominal", "title": None, "sort": None},
            "x": {"field": "people", "type": "quantitative", "title": _("People"),
                  "stack": "zero"},
            "color": {"field": "part", "type": "nominal", "title": None,
                      "scale": {"domain": [reached, removed],
                                "range": [REACHED_COLOUR, "#e0a96d"]}},
            "tooltip": [{"field": "region", "title": _("Region")},
                        {"field": "part", "title": _("Figure")},
                        {"field": "people", "title": _("People"), "format": ",d"}],
        },
        "config": {"view": {"stroke": None}},
    }  # fmt: skip


@login_required
def reach_view(request):
    overview = selectors.reach_overview(user=request.user)
    staff = can(request.user, "mel.manage")
    context = {
        "overview": overview,
        "may_recompute": staff,
        "waiting": selectors.reach_waiting() if staff else None,
        "series_chart": _series_chart(overview.series) if len(overview.series) > 1 else None,
        "regions_chart": _regions_chart(overview.regions) if overview.regions else None,
        "landscapes_goal": LANDSCAPES_GOAL,
        "people_goal": GOAL,
    }
    return render(request, "mel/reach.html", context)


@login_required
def reach_export_csv(request):
    """Every date's latest figures (``?region=`` one region; ``-`` the initiative only)."""
    region = request.GET.get("region")
    region = "" if region == "-" else (region[:50] if region else None)
    points = selectors.reach_series(region=region, limit=None)
    header = [_("As of"), _("Computed"), _("Place"), _("Engaged landscapes"),
              _("Recorded population"), _("People reached"),
              _("Counted more than once, removed")]  # fmt: skip
    whole = _("The whole initiative")
    rows = ([p.as_of.isoformat(), p.computed_at.isoformat(timespec="seconds"),
             p.region or whole, p.landscapes, p.recorded, p.reached, p.overlap_removed]
            for p in points)  # fmt: skip
    return csv_response("people-reached.csv", header, rows)


@login_required
@require_POST
def reach_recompute(request):
    """Hub staff: enqueue the computation now; htmx gets the progress bar back."""
    progress = services.reach_request(actor=request.user)  # PermissionDenied → 403
    if getattr(request, "htmx", False):
        return render(request, "mel/partials/reach_progress.html", {"progress": progress})
    messages.info(request, _("The people reached are being counted; the figures below change "
                             "when it finishes."))  # fmt: skip
    return redirect("mel:reach")


@login_required
def reach_progress(request, pk: int):
    """The progress of a computation (hub staff): the partial polls itself until done."""
    if not can(request.user, "mel.manage"):
        raise PermissionDenied
    progress = selectors.reach_progress(pk=pk)
    return render_page(request, "mel/reach_progress.html", {"progress": progress},
                       partial="mel/partials/reach_progress.html")  # fmt: skip


urlpatterns = [
    path("mel/reach/", reach_view, name="reach"),
    path("mel/reach/export.csv", reach_export_csv, name="reach_export_csv"),
    path("mel/reach/recompute/", reach_recompute, name="reach_recompute"),
    path("mel/reach/progress/<int:pk>/", reach_progress, name="reach_progress"),
]
