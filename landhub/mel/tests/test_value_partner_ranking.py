"""The value overview's partners tab pages its partners first and computes the figures of the
page only; sorted by a figure, it reads a ranking of every partner kept until the next write.
These tests check what a reader sees: each sort's order (ties and partners without ratings
included), the figures beside each name, paging, and a new request moving a partner at once."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from landhub.coordination.factories import OfferingFactory
from landhub.coordination.models import Offering
from landhub.coordination.selectors import providers_with_value
from landhub.coordination.tests.test_value_selectors import _at, make_request
from landhub.directory import factories as f
from landhub.mel import selectors
from landhub.mel.selectors.value import VALUE_PARTNER_SORTS, _order, _with_partner_outcomes
from landhub.mel.tests.test_value import _outcome as published_outcome

pytestmark = pytest.mark.django_db


def _outcome(world, title, *, partners=(), offerings=()):
    outcome = published_outcome(world, title)
    outcome.contributing_partners.add(*partners)
    outcome.offerings.add(*offerings)
    return outcome


@pytest.fixture
def providers(world):
    """Four partners with known figures:

    - Alder Trust: 3 requests (2 delivered), ratings 2 and 2, one outcome by name;
    - Birch Fund: 1 request, delivered, rated 5; two offerings;
    - Cedar Alliance: no request; two outcomes by name;
    - Dune Network: 2 requests, both delivered, no rating; one outcome naming it *and* its
      offering (counted once).
    """
    land = world.landscape
    alder, birch, cedar, dune = (
        f.OrganizationFactory(name=name, visibility="public")
        for name in ("Alder Trust", "Birch Fund", "Cedar Alliance", "Dune Network")
    )
    a = OfferingFactory(title="Alder clinic", providers=[alder])
    b = OfferingFactory(title="Birch toolkit", providers=[birch])
    OfferingFactory(title="Birch course", providers=[birch])
    OfferingFactory(title="Cedar map", providers=[cedar])
    d = OfferingFactory(title="Dune finance desk", providers=[dune])
    make_request(a, land, _at(2025, 1, 1), status="delivered", delivered=_at(2025, 1, 9), rating=2)
    make_request(a, land, _at(2025, 2, 1), status="delivered", delivered=_at(2025, 2, 9), rating=2)
    make_request(a, land, _at(2025, 3, 1))
    make_request(b, land, _at(2025, 4, 1), status="delivered", delivered=_at(2025, 4, 3), rating=5)
    make_request(d, land, _at(2025, 5, 1), status="delivered", delivered=_at(2025, 5, 2))
    make_request(d, land, _at(2025, 6, 1), status="delivered", delivered=_at(2025, 6, 2))
    _outcome(world, "Alder outcome", partners=[alder])
    _outcome(world, "Cedar outcome one", partners=[cedar])
    _outcome(world, "Cedar outcome two", partners=[cedar])
    _outcome(world, "Dune outcome", partners=[dune], offerings=[d])
    return {"alder": alder, "birch": birch, "cedar": cedar, "dune": dune}


NAMES = ["Alder Trust", "Birch Fund", "Cedar Alliance", "Dune Network"]


def _shown(client, sort, **extra):
    """The four partners' names in the order the page shows them."""
    html = client.get(reverse("mel:value_overview"),
                      {"tab": "partners", "sort": sort, **extra}).content.decode()  # fmt: skip
    return sorted((n for n in NAMES if n in html), key=html.index)


def test_each_sort_puts_the_partners_in_the_order_of_their_figures(client_for, providers):
    client = client_for("nora")
    assert _shown(client, "name") == NAMES
    assert _shown(client, "-name") == NAMES[::-1]
    # Requests 3, 1, 0, 2.
    assert _shown(client, "-requests") == ["Alder Trust", "Dune Network", "Birch Fund",
                                           "Cedar Alliance"]  # fmt: skip
    assert _shown(client, "requests") == ["Cedar Alliance", "Birch Fund", "Dune Network",
                                          "Alder Trust"]  # fmt: skip
    # Delivered 2, 1, 0, 2: the tie goes to the later partner, as on every sorted list.
    assert _shown(client, "-delivered") == ["Dune Network", "Alder Trust", "Birch Fund",
                                            "Cedar Alliance"]  # fmt: skip
    # Mean usefulness 2, 5, none, none: partners without a rating last, in both directions.
    assert _shown(client, "-rating")[:2] == ["Birch Fund", "Alder Trust"]
    assert _shown(client, "rating")[:2] == ["Alder Trust", "Birch Fund"]
    # Outcomes 1, 0, 2, 1 — Dune's statement names it and its offering, and counts once.
    assert _shown(client, "-outcomes") == ["Cedar Alliance", "Dune Network", "Alder Trust",
                                           "Birch Fund"]  # fmt: skip
    assert _shown(client, "-offerings")[0] == "Birch Fund"
    assert _shown(client, "-requests", q="fund") == ["Birch Fund"]


def test_the_figures_beside_each_partner_are_its_own(client_for, providers):
    rows = json.loads(client_for("nora").get(
        "/api/v1/mel/value", {"tab": "partners", "sort": "-outcomes", "limit": 100}
    ).content)["items"]  # fmt: skip
    figures = {r["name"]: (r["offerings"], r["requests"], r["delivered"], r["ratings"],
                           r["mean_usefulness"], r["outcomes"])
               for r in rows if r["name"] in NAMES}  # fmt: skip
    assert figures == {
        "Alder Trust": (1, 3, 2, 2, 2.0, 1),
        "Birch Fund": (2, 1, 1, 1, 5.0, 0),
        "Cedar Alliance": (1, 0, 0, 0, None, 2),
        "Dune Network": (1, 2, 2, 0, None, 1),
    }


@pytest.mark.parametrize("sort", [*VALUE_PARTNER_SORTS, *(f"-{k}" for k in VALUE_PARTNER_SORTS)])
def test_every_page_of_every_sort_matches_sorting_the_figures_in_sql(world, providers, sort):
    """The paged ranking agrees with the plain SQL sort (every provider annotated, then
    ordered) on every page, for the demo world's other providers too."""
    period = selectors.value_period("all")
    ranked, _key = selectors.value_overview(user=world.nora, tab="partners", period=period,
                                            sort=sort)  # fmt: skip
    outcomes = selectors.readable_outcomes(world.nora).filter(
        status__in=selectors.value.SHOWN_OUTCOME_STATUSES
    )
    everything = _with_partner_outcomes(providers_with_value(user=world.nora), outcomes)
    expected, _ = _order(everything, sort, VALUE_PARTNER_SORTS, "name")
    expected = [(o.pk, o.value_requests, o.value_outcomes) for o in expected]
    assert len(ranked) == len(expected) >= 5
    pages = [ranked[start : start + 2] for start in range(0, len(ranked), 2)]
    assert [(o.pk, o.value_requests, o.value_outcomes) for page in pages for o in page] == expected
    assert [o.pk for o in ranked] == [pk for pk, *_ in expected]  # the CSV's walk


def test_a_new_request_moves_its_partner_at_once(client_for, providers, world):
    client = client_for("nora")
    assert _shown(client, "-requests")[0] == "Alder Trust"
    offering = Offering.objects.get(title="Cedar map")
    for month in (7, 8, 9, 10):
        make_request(offering, world.landscape, _at(2025, month, 1))
    assert _shown(client, "-requests")[0] == "Cedar Alliance"


def test_the_partners_tab_reads_a_bounded_number_of_queries(
    client_for, providers, django_assert_max_num_queries
):
    client = client_for("nora")
    for sort in ("name", "-requests", "-outcomes"):
        with django_assert_max_num_queries(16):
            response = client.get(reverse("mel:value_overview"), {"tab": "partners",
                                                                   "sort": sort})  # fmt: skip
        assert response.status_code == 200
