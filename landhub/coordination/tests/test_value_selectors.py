"""What MEL's value reports read from coordination: request counts, delivery times, the
rating distribution and testimony, for a period, with known answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from landhub.coordination import selectors
from landhub.coordination.factories import OfferingFactory
from landhub.coordination.models import ServiceRequest, ValueFeedback
from landhub.directory import factories as f

pytestmark = pytest.mark.django_db


def _at(year, month, day):
    return timezone.make_aware(dt.datetime(year, month, day, 12))


def make_request(offering, landscape, asked, *, status="requested", delivered=None,
                 expected=None, rating=None, text="It helped.", days=None, money=None,
                 recommend=True):  # fmt: skip
    request = ServiceRequest.objects.create(offering=offering, landscape=landscape,
                                            message="Please.", status=status,
                                            expected_by=expected)  # fmt: skip
    ServiceRequest.objects.filter(pk=request.pk).update(created_at=asked, delivered_at=delivered)
    if rating is not None:
        feedback = ValueFeedback.objects.create(
            request=request, usefulness=rating, what_changed=text, would_recommend=recommend,
            days_saved=days, money_saved_usd=money,
        )  # fmt: skip
        ValueFeedback.objects.filter(pk=feedback.pk).update(created_at=delivered or asked)
    return request


@pytest.fixture
def requests(world):
    """Five requests of one offering from three landscapes (one restricted): three
    delivered after 10, 20 and 40 days, one declined, one open."""
    offering = OfferingFactory(title="Valuation", providers=[world.core_org])
    a, b = world.landscape, f.LandscapeFactory(name="Lake Basin", visibility="public")
    hidden = world.restricted_landscape
    make_request(
        offering,
        a,
        _at(2025, 1, 1),
        status="delivered",
        delivered=_at(2025, 1, 11),
        expected=dt.date(2025, 1, 15),
        rating=5,
        text="Maps shared.",
        days=Decimal(4),
    )
    make_request(
        offering,
        b,
        _at(2025, 2, 1),
        status="delivered",
        delivered=_at(2025, 2, 21),
        expected=dt.date(2025, 2, 10),
        rating=3,
        text="Slow but useful.",
        recommend=False,
        money=Decimal("1000"),
    )
    make_request(
        offering,
        hidden,
        _at(2025, 3, 1),
        status="delivered",
        delivered=_at(2025, 4, 10),
        rating=5,
        text="Secret praise.",
    )
    make_request(offering, b, _at(2025, 5, 1), status="declined")
    make_request(offering, a, _at(2024, 6, 1))
    return offering


def test_value_details_have_known_answers(world, requests, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        details = selectors.offering_value_details(
            [requests.pk], _at(2025, 1, 1), _at(2026, 1, 1), user=world.nora
        )
    assert details["requests"] == 4 and details["by_status"] == {"delivered": 3, "declined": 1}
    assert details["landscapes_requested"] == 3 and details["landscapes_received"] == 3
    assert details["delivery_days"] == [10, 20, 40]
    assert details["expected"] == {"kept": 1, "missed": 1}
    assert details["distribution"] == {1: 0, 2: 0, 3: 1, 4: 0, 5: 2}
    assert details["mean_usefulness"] == pytest.approx(13 / 3)
    assert details["recommend"] == 2 and details["days_saved"] == Decimal(4)
    assert details["money_saved_usd"] == Decimal(1000)
    # Quotes newest first, without the restricted landscape's for a member.
    assert [q["text"] for q in details["quotes"]] == ["Slow but useful.", "Maps shared."]
    assert details["quotes"][0]["landscape"] == "Lake Basin"
    staff = selectors.offering_value_details([requests.pk], user=world.hana)
    assert staff["quotes"][0]["text"] == "Secret praise." and staff["requests"] == 5


def test_value_details_follow_the_period(world, requests):
    details = selectors.offering_value_details([requests.pk], _at(2025, 2, 1), _at(2025, 3, 1))
    assert details["requests"] == 1 and details["delivered"] == 1  # delivered 21 Feb
    assert details["delivery_days"] == [20]
    empty = selectors.offering_value_details([requests.pk], _at(2030, 1, 1), None)
    assert empty["requests"] == 0 and empty["mean_usefulness"] is None
    assert empty["quotes"] == [] and empty["distribution"][5] == 0


def test_overview_annotations_sum_in_sql(world, requests):
    row = selectors.offerings_with_value(user=world.nora).get(pk=requests.pk)
    assert (row.value_requests, row.value_delivered, row.value_ratings) == (5, 3, 3)
    assert row.value_mean_rating == pytest.approx(13 / 3)
    partner = selectors.providers_with_value(user=world.nora).get(pk=world.core_org.pk)
    assert partner.value_requests == 5 and partner.value_offerings >= 2
    ids = selectors.provider_offering_ids(user=world.nora, organization=world.core_org)
    assert requests.pk in ids and world.draft_offering.pk not in ids
    assert selectors.value_quotes([requests.pk], user=world.nora).count() == 2
