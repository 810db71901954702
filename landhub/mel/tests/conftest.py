"""Fixtures of the MEL tests: two years, three landscapes, two indicators."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from landhub.directory import factories as f
from landhub.mel.models import (
    DisaggregationOption,
    DisaggregationScheme,
    Indicator,
    IndicatorAssignment,
    ReportingPeriod,
)
from landhub.mel.rules import REVIEWERS_GROUP


@pytest.fixture
def mel(world):
    """Two years, three landscapes (two in Kenya, one in Tanzania and Kenya), two indicators:
    farmers trained (count, cumulative, sum) and women's share of decision-makers
    (percentage by sex)."""
    periods = [ReportingPeriod.objects.create(kind="year", label=str(y), start=dt.date(y, 1, 1),
                                              end=dt.date(y, 12, 31), due=dt.date(y + 1, 2, 1))
               for y in (2025, 2026)]  # fmt: skip
    trained = Indicator.objects.create(code="T1", name="Farmers trained", definition="People.",
                                       measure="count", aggregation="sum",
                                       cumulative_mode="cumulative")  # fmt: skip
    share = Indicator.objects.create(code="W1", name="Women among decision-makers",
                                     definition="Share.", measure="percentage",
                                     aggregation="weighted_average")  # fmt: skip
    sex = DisaggregationScheme.objects.create(name="Sex", slug="sex")
    for i, code in enumerate(["women", "men"]):
        DisaggregationOption.objects.create(scheme=sex, label=code.title(), code=code, position=i)
    trained.disaggregations.add(sex)
    second = f.LandscapeFactory(name="Lake Basin", visibility="public")
    border = f.LandscapeFactory(name="Border Hills", visibility="public",
                                countries=[f.country("TZ"), f.country("KE")])  # fmt: skip
    landscapes = [world.landscape, second, border]
    assignments = {
        (ind.code, ls.pk): IndicatorAssignment.objects.create(indicator=ind,
                                                              scope_kind="landscape",
                                                              landscape=ls)
        for ind in (trained, share) for ls in landscapes
    }  # fmt: skip
    reviewer = world.sofia
    reviewer.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    return type("Mel", (), {"periods": periods, "trained": trained, "share": share,
                            "landscapes": landscapes, "a": assignments,
                            "reviewer": reviewer})  # fmt: skip
