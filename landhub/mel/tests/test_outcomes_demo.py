"""The outcome harvesting demo: the statements the issue names, in every status, substantiated
ones with answers, contributing offerings from the coordination demo; idempotent."""

from __future__ import annotations

import pytest

from landhub.mel.demo import outcomes as demo
from landhub.mel.models import OutcomeStatement

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_outcome_statements_in_every_status():
    # The directory's and coordination's demo (people, landscapes, offerings), then this part
    # on its own (the rest of the MEL demo is tested in test_demo.py).
    from landhub.coordination.demo import seed_demo as coordination_demo
    from landhub.directory.demo import seed_demo as directory_demo

    directory_demo()
    coordination_demo()
    assert demo.seed() == {"outcomes": len(demo.OUTCOMES)}
    assert OutcomeStatement.objects.count() == len(demo.OUTCOMES)
    statuses = set(OutcomeStatement.objects.values_list("status", flat=True))
    assert statuses == {"draft", "under_review", "substantiated", "published"}
    bank = OutcomeStatement.objects.get(title__startswith="Regional bank adopts")
    assert (bank.domain, bank.change_type, bank.status) == ("financial_sector", "investment",
                                                            "published")  # fmt: skip
    assert bank.actor_organization.name == "Landscape Resilience Facility"
    assert [o.title for o in bank.offerings.all()] == ["Blended finance term sheet templates"]
    assert bank.substantiations.filter(answered_at__isnull=False).count() == 1
    ministry = OutcomeStatement.objects.get(title__startswith="Ministry adopts")
    assert ministry.domain == "government_policy"
    buyer = OutcomeStatement.objects.get(title__startswith="Cocoa buyer changes its sourcing")
    assert buyer.domain == "business_practices"
    for outcome in OutcomeStatement.objects.filter(status__in=["substantiated", "published"]):
        assert outcome.substantiations.filter(answered_at__isnull=False).exists()
    assert demo.seed() == {"outcomes": 0}  # again: nothing new
    assert OutcomeStatement.objects.count() == len(demo.OUTCOMES)
