"""Synthetic MEL data (``generate-scale``): approved values whose parts add up, roll-ups equal
to a rebuild, dashboards that answer with rows."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from django.urls import reverse

from landhub.directory import scale as directory_scale
from landhub.mel import rollups, scale
from landhub.mel.models import (
    Indicator,
    Observation,
    ObservationPart,
    PlanRollup,
    Rollup,
    Target,
)

pytestmark = pytest.mark.django_db


def _rollups() -> list[tuple]:
    return sorted(Rollup.objects.values_list(
        "indicator_id", "period_id", "level", "key", "option_id", "value", "numerator",
        "denominator", "scopes", "to_date", "to_date_numerator", "to_date_denominator",
        "to_date_scopes",
    ), key=repr)  # fmt: skip


def _plans() -> list[tuple]:
    return sorted(PlanRollup.objects.values_list(
        "indicator_id", "level", "key", "period_id", "target", "target_scopes", "baseline",
        "baseline_scopes",
    ), key=repr)  # fmt: skip


@pytest.fixture
def generated(world):
    directory_scale.generate(0.01, seed=7, report=lambda _m: None)
    return scale.generate(0.01, seed=7, report=lambda _m: None, indicators=12, observations=600)


def test_generation_writes_approved_values_whose_parts_add_up(generated):
    assert Indicator.objects.filter(code__startswith="SCALE-").count() == 12
    assert Observation.objects.count() == 600 == generated["observations"]
    assert set(Observation.objects.values_list("status", flat=True)) == {"approved"}
    disaggregated = Indicator.objects.filter(code__startswith="SCALE-",
                                             disaggregations__isnull=False).count()  # fmt: skip
    assert disaggregated == 4  # a third
    sums: dict = defaultdict(Decimal)
    for observation_id, value in ObservationPart.objects.values_list("observation_id", "value"):
        sums[observation_id] += value
    totals = dict(Observation.objects.filter(pk__in=list(sums)).values_list("pk", "value"))
    assert sums and sums == totals
    assert Target.objects.filter(period__isnull=True).exists()  # life targets
    assert Target.objects.filter(period__label="2025").exists()  # and yearly ones


def test_generated_rollups_are_what_a_rebuild_writes(generated):
    written = (_rollups(), _plans())
    assert written[0] and written[1]
    rollups.rebuild()
    assert (_rollups(), _plans()) == written


def test_generation_is_deterministic_for_a_seed(generated):
    first = list(Observation.objects.order_by("pk").values_list(
        "assignment__indicator__code", "assignment__landscape__slug", "period__label", "value",
        "numerator", "denominator",
    ))  # fmt: skip
    Rollup.objects.all().delete()
    PlanRollup.objects.all().delete()
    ObservationPart.objects.all().delete()
    Observation.objects.all().delete()
    Target.objects.all().delete()
    from landhub.mel.models import Framework, IndicatorAssignment

    IndicatorAssignment.objects.all().delete()
    Indicator.disaggregations.through.objects.all().delete()
    Indicator.objects.all().delete()
    Framework.objects.all().delete()
    scale.generate(0.01, seed=7, report=lambda _m: None, indicators=12, observations=600)
    again = list(Observation.objects.order_by("pk").values_list(
        "assignment__indicator__code", "assignment__landscape__slug", "period__label", "value",
        "numerator", "denominator",
    ))  # fmt: skip
    assert again == first


def test_the_dashboards_answer_with_the_generated_figures(generated, client_for, world):
    client = client_for("nora")
    home = client.get(reverse("mel:dashboard_home"))
    assert home.status_code == 200
    assert "SCALE-0002" in home.content.decode()  # hectares: on the impact node
    table = client.get(reverse("mel:tracking_table"))
    assert table.status_code == 200 and "SCALE-0012" in table.content.decode()
    api = client.get("/api/v1/mel/dashboards/tracking")
    assert api.status_code == 200
    rows = api.json()["rows"]
    assert len(rows) == 12 and all(row["points"] for row in rows)
    board = client.get(reverse("mel:indicator_dashboard", args=["SCALE-0006"]))
    assert board.status_code == 200
    latest = Rollup.objects.filter(indicator__code="SCALE-0006", level="initiative",
                                   option__isnull=True, period__label="2025").get()  # fmt: skip
    reported = Observation.objects.filter(assignment__indicator__code="SCALE-0006",
                                          period__label="2025")  # fmt: skip
    total = sum(reported.values_list("value", flat=True))
    assert latest.value == total  # incidents: summed, non-cumulative
