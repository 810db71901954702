"""Permission matrix of indicator assignments, baselines and targets.

Every signed-in member reads assignments (of the scopes they may see); hub staff assign,
change node and reporter, and remove; the landscape's leaders (lena, for the world's public
landscape) and hub staff set its baseline and targets.
"""

from __future__ import annotations

from django.urls import reverse

from landhub.core.matrix import REDIRECT, UNAUTH, Case, only, signed_in

STAFF = {"hana"}
PLANNERS = {"hana", "lena"}


def _assignment(w):
    """MX9 (an area) assigned to the world's public landscape, with a life-of-initiative
    target and no values."""
    from landhub.mel import services
    from landhub.mel.models import Indicator, IndicatorAssignment, Target

    indicator = Indicator.objects.filter(code="MX9").first() or services.indicator_create(
        actor=w.hana, code="MX9", name="Matrix restored area", definition="Hectares.",
        measure="area", unit="ha",
    )  # fmt: skip
    assignment, _created = IndicatorAssignment.objects.get_or_create(
        indicator=indicator, scope_kind="landscape", landscape=w.landscape
    )
    Target.objects.get_or_create(assignment=assignment, period=None, defaults={"value": 100})
    return assignment


def PK(w):  # noqa: N802 - reads like the other matrices' constants
    return _assignment(w).pk


def url(name, *args):
    return lambda w: reverse(f"mel:{name}", args=[a(w) if callable(a) else a for a in args])


PAGES = [
    Case("mel:assignment_list", url("assignment_list"), expect=signed_in()),
    Case("mel:assignment_export_csv", url("assignment_export_csv"), expect=signed_in()),
    Case(
        "mel:assignment_create",
        lambda w: reverse("mel:assignment_create", args=[_assignment(w).indicator.code]),
        expect=only(STAFF),
    ),  # fmt: skip
    Case("mel:assignment_detail", url("assignment_detail", PK), expect=signed_in()),
    Case(
        "mel:assignment_baseline",
        url("assignment_baseline", PK),
        method="post",
        data={"baseline_value": "12", "baseline_date": "2024-01-01", "baseline_source": "Map"},
        expect=only(PLANNERS, yes=REDIRECT),
    ),  # fmt: skip
    Case(
        "mel:assignment_settings",
        url("assignment_settings", PK),
        method="post",
        data={"node": "", "reporter": ""},
        expect=only(STAFF, yes=REDIRECT),
    ),  # fmt: skip
    Case("mel:assignment_remove", url("assignment_remove", PK), expect=only(STAFF)),
    Case(
        "mel:assignment_remove",
        url("assignment_remove", PK),
        method="post",
        expect=only(STAFF, yes=REDIRECT),
    ),  # fmt: skip
    Case(
        "mel:target_save",
        url("target_save", PK, "life"),
        method="post",
        data={"value": "150"},
        expect=only(PLANNERS, yes=REDIRECT),
    ),  # fmt: skip
    Case(
        "mel:target_remove",
        url("target_remove", PK, "life"),
        method="post",
        expect=only(PLANNERS, yes=REDIRECT),
    ),  # fmt: skip
]

API_URL = "/api/v1/mel/assignments"

API = [
    Case(f"GET {API_URL}", lambda w: API_URL, expect={**signed_in(), "anonymous": UNAUTH}),
    Case(
        f"POST {API_URL}",
        lambda w: API_URL,
        method="post",
        json=True,
        data=lambda w: {"indicator": _assignment(w).indicator.code, "scope_kind": "initiative"},
        expect=only(STAFF, yes=201, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        f"GET {API_URL}/{{assignment_id}}",
        lambda w: f"{API_URL}/{PK(w)}",
        expect={**signed_in(), "anonymous": UNAUTH},
    ),  # fmt: skip
    Case(
        f"PATCH {API_URL}/{{assignment_id}}",
        lambda w: f"{API_URL}/{PK(w)}",
        method="patch",
        json=True,
        data=lambda w: {
            "version": _assignment(w).version,
            "baseline": {"not_available": True, "reason": "No map yet"},
        },
        expect=only(PLANNERS, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        f"DELETE {API_URL}/{{assignment_id}}",
        lambda w: f"{API_URL}/{PK(w)}",
        method="delete",
        expect=only(STAFF, yes=204, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        f"PUT {API_URL}/{{assignment_id}}/targets/{{period}}",
        lambda w: f"{API_URL}/{PK(w)}/targets/life",
        method="put",
        json=True,
        data={"value": "175"},
        expect=only(PLANNERS, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        f"DELETE {API_URL}/{{assignment_id}}/targets/{{period}}",
        lambda w: f"{API_URL}/{PK(w)}/targets/life",
        method="delete",
        expect=only(PLANNERS, yes=204, anonymous=UNAUTH),
    ),  # fmt: skip
]

CASES = [*PAGES, *API]
