"""Permission matrix of the MEL pages and API.

Frameworks: the initiative's are kept by hub staff; a landscape's by its leaders (lena leads
the world's public landscape). The indicator library: read by every signed-in member, kept by
hub staff.
"""

from __future__ import annotations

from django.urls import reverse

from landhub.core.matrix import (
    BAD,
    FORBIDDEN,
    NOT_FOUND,
    REDIRECT,
    UNAUTH,
    Case,
    only,
    signed_in,
)

STAFF = {"hana"}
KEEPERS = {"hana", "lena"}  # may create frameworks (lena for her landscape)


def _framework(w):
    """A draft framework of the initiative (network visibility), from the LandScale template."""
    from landhub.mel import services
    from landhub.mel.models import Framework

    existing = Framework.objects.filter(slug="matrix-framework").first()
    return existing or services.framework_create(actor=w.hana, title="Matrix framework",
                                                 template="landscale")  # fmt: skip


def _indicator(w):
    from landhub.mel import services
    from landhub.mel.models import Indicator

    existing = Indicator.objects.filter(code="MX1").first()
    return existing or services.indicator_create(
        actor=w.hana, code="MX1", name="Matrix hectares", definition="Hectares.",
        measure="area", unit="ha",
    )  # fmt: skip


def url(name, *args):
    return lambda w: reverse(f"mel:{name}", args=[a(w) for a in args])


def SLUG(w):  # noqa: N802 - reads like the other matrices' constants
    return _framework(w).slug


def CODE(w):  # noqa: N802
    return _indicator(w).code


def NODE(w):  # noqa: N802
    return _framework(w).nodes.get(code="C1").pk


PAGES = [
    Case("mel:framework_list", url("framework_list"), expect=signed_in()),
    Case("mel:framework_create", url("framework_create"), expect=only(KEEPERS)),
    Case("mel:framework_detail", url("framework_detail", SLUG), expect=signed_in()),
    Case(
        "mel:framework_node_add",
        url("framework_node_add", SLUG),
        method="post",
        data={"node-kind": "output", "node-code": "X1", "node-title": "Matrix output"},
        expect=only(STAFF, yes=REDIRECT),
    ),  # fmt: skip
    Case(
        "mel:framework_edge_add",
        url("framework_edge_add", SLUG),
        method="post",
        data={"edge-source": "", "edge-target": "", "edge-evidence": "weak"},
        expect=only(STAFF, yes=BAD),
        label="(incomplete)",
    ),  # fmt: skip
    Case(
        "mel:framework_remove",
        lambda w: reverse("mel:framework_remove", args=[SLUG(w), "node", NODE(w)]),
        method="post",
        expect=only(STAFF, yes=REDIRECT),
    ),  # fmt: skip
    Case(
        "mel:framework_publish",
        url("framework_publish", SLUG),
        method="post",
        data=lambda w: {"version": _framework(w).version},
        expect=only(STAFF, yes=REDIRECT),
    ),  # fmt: skip
    Case("mel:indicator_list", url("indicator_list"), expect=signed_in()),
    Case("mel:indicator_export_csv", url("indicator_export_csv"), expect=signed_in()),
    Case("mel:indicator_create", url("indicator_create"), expect=only(STAFF)),
    Case("mel:indicator_detail", url("indicator_detail", CODE), expect=signed_in()),
    Case("mel:indicator_edit", url("indicator_edit", CODE), expect=only(STAFF)),
]

API = [
    Case("GET /api/v1/mel/frameworks", lambda w: "/api/v1/mel/frameworks"),
    Case(
        "POST /api/v1/mel/frameworks",
        lambda w: "/api/v1/mel/frameworks",
        method="post",
        json=True,
        data={"title": "Matrix ToC", "template": "four_returns"},
        expect=only(STAFF, yes=201, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        "GET /api/v1/mel/frameworks/{slug}",
        lambda w: f"/api/v1/mel/frameworks/{SLUG(w)}",
        expect={**signed_in(), "anonymous": NOT_FOUND},
    ),  # fmt: skip
    Case(
        "POST /api/v1/mel/frameworks/{slug}/nodes",
        lambda w: f"/api/v1/mel/frameworks/{SLUG(w)}/nodes",
        method="post",
        json=True,
        data={"kind": "output", "code": "X2", "title": "Matrix output"},
        expect={**only(STAFF, yes=201, no=FORBIDDEN), "anonymous": UNAUTH},
    ),  # fmt: skip
    Case(
        "POST /api/v1/mel/frameworks/{slug}/links",
        lambda w: f"/api/v1/mel/frameworks/{SLUG(w)}/links",
        method="post",
        json=True,
        data={"source": "C1", "target": "L1", "evidence": "weak"},
        expect={**only(STAFF, yes=201, no=FORBIDDEN), "anonymous": UNAUTH},
    ),  # fmt: skip
    Case(
        "POST /api/v1/mel/frameworks/{slug}/publish",
        lambda w: f"/api/v1/mel/frameworks/{SLUG(w)}/publish",
        method="post",
        json=True,
        data=lambda w: {"version": _framework(w).version},
        expect={**only(STAFF, no=FORBIDDEN), "anonymous": UNAUTH},
    ),  # fmt: skip
    Case(
        "GET /api/v1/mel/indicators",
        lambda w: "/api/v1/mel/indicators",
        expect={**signed_in(), "anonymous": UNAUTH},
    ),  # fmt: skip
    Case(
        "POST /api/v1/mel/indicators",
        lambda w: "/api/v1/mel/indicators",
        method="post",
        json=True,
        data={"code": "MX2", "name": "Matrix count", "definition": "People.", "measure": "count"},
        expect=only(STAFF, yes=201, anonymous=UNAUTH),
    ),  # fmt: skip
    Case(
        "GET /api/v1/mel/indicators/{code}",
        lambda w: f"/api/v1/mel/indicators/{CODE(w)}",
        expect={**signed_in(), "anonymous": UNAUTH},
    ),  # fmt: skip
    Case(
        "PATCH /api/v1/mel/indicators/{code}",
        lambda w: f"/api/v1/mel/indicators/{CODE(w)}",
        method="patch",
        json=True,
        data=lambda w: {"version": _indicator(w).version, "unit": "hectares"},
        expect=only(STAFF, anonymous=UNAUTH),
    ),  # fmt: skip
]

LEADER = {"hana", "lena"}  # report for the world's public landscape


def _reporting(w):
    """A period and an assignment of the public landscape, with a value lena submitted."""
    import datetime as dt

    from landhub.mel import services
    from landhub.mel.models import IndicatorAssignment, Observation, ReportingPeriod

    period, _created = ReportingPeriod.objects.get_or_create(
        label="2031", defaults={"kind": "year", "start": dt.date(2031, 1, 1),
                                "end": dt.date(2031, 12, 31), "due": dt.date(2032, 2, 1)},
    )  # fmt: skip
    assignment, _created = IndicatorAssignment.objects.get_or_create(
        indicator=_indicator(w), scope_kind="landscape", landscape=w.landscape
    )
    observation = Observation.objects.filter(assignment=assignment, period=period).first()
    if observation is None:
        observation = services.observation_save(actor=w.lena, assignment=assignment,
                                                period=period, value=5)  # fmt: skip
        observation = services.observation_submit(actor=w.lena, observation=observation,
                                                  version=observation.version)  # fmt: skip
    return period, assignment, observation


REPORTING = [
    Case(
        "mel:report_grid",
        lambda w: reverse("mel:report_grid", args=[w.landscape.slug, _reporting(w)[0].label]),
        expect=only(LEADER),
    ),  # fmt: skip
    Case(
        "mel:report_save",
        lambda w: reverse(
            "mel:report_save", args=[w.landscape.slug, _reporting(w)[0].label, _reporting(w)[1].pk]
        ),
        method="post",
        data={"value": "7"},
        expect=only(LEADER, yes=REDIRECT),
    ),  # fmt: skip
    Case(
        "mel:report_submit",
        lambda w: reverse("mel:report_submit", args=[w.landscape.slug, _reporting(w)[0].label]),
        method="post",
        expect=only(LEADER, yes=REDIRECT),
    ),  # fmt: skip
    Case("mel:review_list", url("review_list"), expect=only(STAFF)),
    Case(
        "mel:review_action",
        lambda w: reverse("mel:review_action", args=[_reporting(w)[2].pk]),
        method="post",
        data=lambda w: {"action": "approve", "version": _reporting(w)[2].version},
        expect=only(STAFF, yes=REDIRECT),
    ),  # fmt: skip
]

CASES = [*PAGES, *API, *REPORTING]
