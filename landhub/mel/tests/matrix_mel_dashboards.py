"""Permission matrix of the MEL dashboards and the tracking table: every signed-in member
reads them (figures combined from approved values); a landscape's dashboard only by who may
see the landscape."""

from __future__ import annotations

from django.urls import reverse

from landhub.core.matrix import NOT_FOUND, REDIRECT, UNAUTH, Case, signed_in


def _indicator(w) -> str:
    from landhub.mel import services
    from landhub.mel.models import Indicator

    existing = Indicator.objects.filter(code="MXD").first()
    return (existing or services.indicator_create(
        actor=w.hana, code="MXD", name="Matrix dashboards", definition="People.",
        measure="count", unit="people",
    )).code  # fmt: skip


PAGES = [
    Case("mel:dashboard_home", lambda w: reverse("mel:dashboard_home"), expect=signed_in()),
    Case(
        "mel:indicator_dashboard",
        lambda w: reverse("mel:indicator_dashboard", args=[_indicator(w)]),
        expect=signed_in(),
    ),
    Case(
        "mel:indicator_dashboard_csv",
        lambda w: reverse("mel:indicator_dashboard_csv", args=[_indicator(w)]),
        expect=signed_in(),
    ),
    Case(
        "mel:landscape_dashboard",
        lambda w: reverse("mel:landscape_dashboard", args=[w.landscape.slug]),
        expect=signed_in(),
    ),
    Case(
        "mel:landscape_dashboard",
        lambda w: reverse("mel:landscape_dashboard", args=[w.restricted_landscape.slug]),
        expect={"hana": 200, "anonymous": REDIRECT},
        default=NOT_FOUND,
        label="(restricted)",
    ),
    Case("mel:tracking_table", lambda w: reverse("mel:tracking_table"), expect=signed_in()),
    Case(
        "mel:tracking_table_export",
        lambda w: reverse("mel:tracking_table_export", args=["xlsx"]),
        expect=signed_in(),
    ),
]

API = [
    Case(
        "GET /api/v1/mel/dashboards/progress",
        lambda w: "/api/v1/mel/dashboards/progress",
        expect=signed_in(anonymous=UNAUTH),
    ),
    Case(
        "GET /api/v1/mel/dashboards/indicators/{code}",
        lambda w: f"/api/v1/mel/dashboards/indicators/{_indicator(w)}",
        expect=signed_in(anonymous=UNAUTH),
    ),
    Case(
        "GET /api/v1/mel/dashboards/tracking",
        lambda w: "/api/v1/mel/dashboards/tracking?place=region:Africa",
        expect=signed_in(anonymous=UNAUTH),
    ),
]

CASES = PAGES + API
