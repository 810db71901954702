"""Permission matrix of reported values through the API, and of the import's template for a
landscape and period.

lena leads the world's public landscape, so she reports its values (with hub staff); hana is
the only reviewer of the matrix world. Others may read the list (it is empty for them) but
not write.
"""

from __future__ import annotations

from landhub.core.matrix import FORBIDDEN, NOT_FOUND, UNAUTH, Case, only, signed_in

LEADER = {"hana", "lena"}
STAFF = {"hana"}
BASE = "/api/v1/mel/observations"


def _period_and_assignment(w):
    import datetime as dt

    from landhub.mel import services
    from landhub.mel.models import Indicator, IndicatorAssignment, ReportingPeriod

    period, _created = ReportingPeriod.objects.get_or_create(
        label="2032", defaults={"kind": "year", "start": dt.date(2032, 1, 1),
                                "end": dt.date(2032, 12, 31), "due": dt.date(2033, 2, 1)},
    )  # fmt: skip
    indicator = Indicator.objects.filter(code="MX9").first() or services.indicator_create(
        actor=w.hana, code="MX9", name="Matrix people", definition="People.", measure="count"
    )
    assignment, _created = IndicatorAssignment.objects.get_or_create(
        indicator=indicator, scope_kind="landscape", landscape=w.landscape
    )
    return period, assignment


def _observation(w, *, submitted=False):
    """A value of the world's landscape that lena entered (and submitted, if asked)."""
    from landhub.mel import services
    from landhub.mel.models import Observation

    period, assignment = _period_and_assignment(w)
    observation = Observation.objects.filter(assignment=assignment, period=period).first()
    if observation is None:
        observation = services.observation_save(actor=w.lena, assignment=assignment,
                                                period=period, value=5)  # fmt: skip
    if submitted and observation.status == "draft":
        observation = services.observation_submit(actor=w.lena, observation=observation,
                                                  version=observation.version)  # fmt: skip
    return observation


def _one(w, action=""):
    _period_and_assignment(w)
    return f"{BASE}/{w.landscape.slug}/2032/MX9" + (f"/{action}" if action else "")


def _template_url(w):
    from django.urls import reverse

    _period_and_assignment(w)
    return (reverse("directory:import_template", args=["mel-values", "csv"])
            + f"?landscape={w.landscape.slug}&period=2032")  # fmt: skip


WRITE = {**only(LEADER, no=FORBIDDEN), "anonymous": UNAUTH}

CASES = [
    Case(
        "GET /api/v1/mel/observations", lambda w: BASE, expect={**signed_in(), "anonymous": UNAUTH}
    ),  # fmt: skip
    Case(
        "PUT /api/v1/mel/observations/{landscape}/{period}/{indicator}",
        _one,
        method="put",
        json=True,
        data={"value": 7},
        expect=WRITE,
    ),  # fmt: skip
    Case(
        "POST /api/v1/mel/observations/{landscape}/{period}/{indicator}/submit",
        lambda w: _one(w, "submit"),
        method="post",
        json=True,
        data=lambda w: {"version": _observation(w).version},
        # Those who may not see the value find nothing to submit.
        expect={**only(LEADER, no=NOT_FOUND), "anonymous": UNAUTH},
    ),  # fmt: skip
    Case(
        "POST /api/v1/mel/observations/{landscape}/{period}/{indicator}/approve",
        lambda w: _one(w, "approve"),
        method="post",
        json=True,
        data=lambda w: {"version": _observation(w, submitted=True).version},
        expect={**only(STAFF, no=NOT_FOUND), "lena": FORBIDDEN, "anonymous": UNAUTH},
    ),  # fmt: skip
    Case(
        "POST /api/v1/mel/observations/{landscape}/{period}/{indicator}/return",
        lambda w: _one(w, "return"),
        method="post",
        json=True,
        data=lambda w: {
            "version": _observation(w, submitted=True).version,
            "comment": "Check the register.",
        },
        expect={**only(STAFF, no=NOT_FOUND), "lena": FORBIDDEN, "anonymous": UNAUTH},
    ),  # fmt: skip
    Case(
        "POST /api/v1/mel/observations/bulk",
        lambda w: f"{BASE}/bulk",
        method="post",
        json=True,
        data=lambda w: {
            "rows": [
                {
                    "landscape": w.landscape.slug,
                    "period": "2032",
                    "indicator": _period_and_assignment(w)[1].indicator.code,
                    "value": 3,
                }
            ]
        },
        expect=WRITE,
    ),  # fmt: skip
    Case(
        "directory:import_template",
        _template_url,
        # pablo and nora import offerings, not values: no such template for them.
        expect={**only(LEADER), "pablo": NOT_FOUND, "nora": NOT_FOUND},
        label="(MEL values for a landscape and period)",
    ),  # fmt: skip
]
