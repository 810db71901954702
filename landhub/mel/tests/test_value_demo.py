"""The value demo: trails of the bank, the ministry and the cocoa buyer backed by the demo
outcome statements, claims with alternatives, an offering whose value report has ratings and
outcomes — and nothing new the second time."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from landhub.mel import selectors
from landhub.mel.models import ChangeTrail, ContributionClaim

pytestmark = pytest.mark.django_db


@pytest.fixture
def only_value_after_outcomes(monkeypatch):
    """Stories, learning and reach seed after outcomes and are other areas' demos: left out,
    so this test says whether *this* demo works."""
    from landhub.mel.demo import learning, reach, stories

    for module in (stories, learning, reach):
        monkeypatch.setattr(module, "seed", lambda *, stdout=None: {})


def test_seed_demo_gives_trails_claims_and_a_value_report(only_value_after_outcomes):
    from django.contrib.auth import get_user_model

    call_command("seed_demo", "--if-empty")
    bank = ChangeTrail.objects.get(actor_organization__name="Landscape Resilience Facility")
    assert bank.current_stage in ("adopted", "institutionalised")
    adopted = bank.steps.get(stage="adopted")
    assert adopted.outcomes.filter(title__startswith="Regional bank adopts").exists()
    assert ChangeTrail.objects.count() == 3
    assert ContributionClaim.objects.count() == 3
    assert all(c.alternatives.exists() for c in ContributionClaim.objects.all())
    nora = get_user_model().objects.get(email="nora@demo.landhub.org")
    report = selectors.value_report(user=nora, kind="offering",
                                    slug="landscape-data-and-collaboration-platform",
                                    period=selectors.value_period("all"))  # fmt: skip
    assert report.figures["ratings"] >= 1 and report.outcomes
    call_command("seed_demo")  # again: nothing new
    assert ChangeTrail.objects.count() == 3 and ContributionClaim.objects.count() == 3
