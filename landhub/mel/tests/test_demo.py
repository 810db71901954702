"""The MEL demo: a published framework, 30 indicators and two years of values, rolled up."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from landhub.mel.models import Framework, Indicator, Observation, Rollup

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_a_framework_indicators_and_rolled_up_values():
    call_command("seed_demo", "--if-empty")
    framework = Framework.objects.get(slug="the-initiatives-theory-of-change")
    assert framework.status == "published" and framework.nodes.count() == 11
    assert Indicator.objects.count() == 30
    statuses = set(Observation.objects.values_list("status", flat=True))
    assert {"approved", "submitted", "draft", "returned"} <= statuses
    # Every approved value of 2024 is in the initiative's roll-up for that year.
    trained = Indicator.objects.get(code="PRD-1")
    approved = Observation.objects.filter(assignment__indicator=trained, period__label="2024",
                                          status="approved")  # fmt: skip
    total = Rollup.objects.get(indicator=trained, period__label="2024", level="initiative",
                               key="all", option=None)  # fmt: skip
    assert total.value == sum((o.value for o in approved), Decimal(0))
    assert total.scopes == approved.count() == 12
    before = Observation.objects.count()
    call_command("seed_demo")  # again: nothing new
    assert Observation.objects.count() == before
