"""Synthetic governance data (``generate-scale``): every kind of record in the stated numbers,
linked as the pages read them, valid under the rules the services enforce."""

from __future__ import annotations

import pytest
from django.db.models import Count, F

from landhub.directory import scale as directory_scale
from landhub.governance import scale
from landhub.governance.models import (
    ActionItem,
    Body,
    Decision,
    KeyIssue,
    Meeting,
    MilestoneIndicator,
    Plan,
    Seat,
    Vote,
)
from landhub.mel import scale as mel_scale

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(world):
    directory_scale.generate(0.01, seed=7, report=lambda _m: None)
    mel_scale.generate(0.01, seed=7, report=lambda _m: None, indicators=3, observations=30)
    return scale.generate(0.05, seed=7, report=lambda _m: None)


def test_each_kind_of_record_in_the_stated_numbers(generated):
    expected = scale.counts(0.05)
    assert Body.objects.filter(name__startswith="Scale ").count() == 2 + expected["teams"]
    assert KeyIssue.objects.count() == expected["issues"] == generated["issues"]
    assert Meeting.objects.count() == expected["meetings"]
    assert Decision.objects.count() == expected["decisions"]
    assert ActionItem.objects.count() == expected["actions"]
    assert Plan.objects.filter(status="adopted").values("kind").distinct().count() == 2
    assert MilestoneIndicator.objects.exists()


def test_the_records_keep_the_rules(generated):
    sc = Body.objects.get(slug="scale-steering-committee")
    voting = Seat.objects.filter(body=sc, role__in=("chair", "voting"))
    # One voting seat per core partner, each with an alternate of the same organization.
    assert voting.count() == 6
    assert voting.values("organization").distinct().count() == 6
    assert all(s.alternates.get().organization_id == s.organization_id for s in voting)
    # Each seat votes at most once on a decision; a decision's votes are its body's seats.
    assert not Vote.objects.values("decision", "seat").annotate(n=Count("pk")).filter(n__gt=1)
    assert not Vote.objects.exclude(seat__body=F("decision__body")).exists()
    # The benchmark's member holds a seat on the steering committee.
    assert voting.filter(person__user__email=scale.MEMBER_EMAIL).exists()


def test_a_second_run_is_refused(generated):
    with pytest.raises(ValueError, match="already has synthetic bodies"):
        scale.generate(0.05, seed=7, report=lambda _m: None)
