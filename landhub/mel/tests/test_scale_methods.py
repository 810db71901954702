"""Synthetic mixed-methods data (``generate-scale``): every kind of record, linked the way the
pages filter them, and the generator refuses to run twice on one database."""

from __future__ import annotations

import pytest

from landhub.directory import scale as directory_scale
from landhub.mel import scale as mel_scale
from landhub.mel import scale_methods
from landhub.mel.models import (
    AlternativeExplanation,
    ChangeStep,
    ChangeTrail,
    ContributionClaim,
    OutcomeStatement,
    ReflectionSession,
    Story,
    Substantiation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(world):
    directory_scale.generate(0.01, seed=7, report=lambda _m: None)
    mel_scale.generate(0.01, seed=7, report=lambda _m: None, indicators=3, observations=30)
    return scale_methods.generate(0.02, seed=7, report=lambda _m: None)


def test_generation_writes_each_kind_of_record_in_the_stated_numbers(generated):
    expected = scale_methods.counts(0.02)
    assert OutcomeStatement.objects.count() == expected["outcomes"] == generated["outcomes"]
    assert Story.objects.count() == expected["stories"]
    assert ChangeTrail.objects.count() == expected["trails"]
    assert ContributionClaim.objects.count() == expected["claims"]
    assert AlternativeExplanation.objects.count() == 2 * expected["claims"]
    assert ReflectionSession.objects.count() == expected["sessions"]


def test_records_are_linked_as_the_pages_filter_them(generated):
    # Every outcome has a place; substantiated and published ones have an answer.
    assert not OutcomeStatement.objects.filter(landscapes__isnull=True, is_global=False).exists()
    done = OutcomeStatement.objects.filter(substantiated_at__isnull=False)
    assert done.exists()
    assert Substantiation.objects.filter(answered_at__isnull=False).count() == done.count()
    # Each trail's current stage is the stage of its last step.
    for trail in ChangeTrail.objects.all()[:20]:
        last = ChangeStep.objects.filter(trail=trail).order_by("-reached_on", "-id").first()
        assert trail.current_stage == last.stage
    # Closed selection rounds marked their selected stories.
    assert Story.objects.filter(selected_at__isnull=False).exists()
    # Claims name an offering or a partner, never both.
    assert not ContributionClaim.objects.filter(offering__isnull=False,
                                                partner__isnull=False).exists()  # fmt: skip


def test_a_second_run_is_refused(generated):
    with pytest.raises(ValueError, match="already has synthetic outcome statements"):
        scale_methods.generate(0.02, seed=7, report=lambda _m: None)
