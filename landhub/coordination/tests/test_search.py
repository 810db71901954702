"""Offerings and activities in the hub's global search, each reader seeing only what is theirs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from landhub.coordination import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def activities(world):
    start = dt.date.today() + dt.timedelta(days=10)
    common = {"type": "workshop", "landscapes": [world.landscape.slug], "starts_on": start,
              "ends_on": start + dt.timedelta(days=1)}  # fmt: skip
    public = services.activity_create(actor=world.pablo, title="Mangrove finance roundtable",
                                      organizations=[world.core_org], visibility="public",
                                      **common)  # fmt: skip
    restricted = services.activity_create(actor=world.pablo, title="Mangrove donor briefing",
                                          organizations=[world.core_org],
                                          visibility="restricted", **common)  # fmt: skip
    return public, restricted


def test_the_search_page_lists_offerings_and_activities(client, client_for, world, activities):
    body = client.get(reverse("directory:search"), {"q": "finance"}).content.decode()
    assert "Landscape Finance Clinic" in body  # the published offering
    assert "Mangrove finance roundtable" in body and world.offering.get_absolute_url() in body
    assert 'data-facet="offering"' in body and 'data-facet="activity"' in body
    assert (
        "Soil Carbon Toolkit"
        not in client.get(reverse("directory:search"), {"q": "soil carbon"}).content.decode()
    )  # a draft is not in the catalog
    only_activities = client.get(reverse("directory:search"), {"q": "mangrove", "type": "activity"})
    text = only_activities.content.decode()
    assert "Mangrove finance roundtable" in text and "Mangrove donor briefing" not in text
    staff_of_provider = client_for("pablo").get(
        reverse("directory:search"), {"q": "mangrove", "type": "activity"}
    )
    assert "Mangrove donor briefing" in staff_of_provider.content.decode()


def test_the_search_api_and_the_calendar_use_the_index(client, world, activities):
    data = client.get("/api/v1/search", {"q": "mangrove"}).json()
    assert data["facets"]["activity"] == 1
    assert [i["label"] for i in data["items"] if i["type"] == "activity"] == [
        "Mangrove finance roundtable"
    ]
    offering = client.get("/api/v1/search", {"q": "clinic", "type": "offering"}).json()
    assert offering["items"][0]["url"] == world.offering.get_absolute_url()
    month = f"{dt.date.today() + dt.timedelta(days=10):%Y-%m}"
    calendar = client.get(reverse("coordination:activity_list"), {"q": "roundtable finance",
                                                                  "month": month})  # fmt: skip
    assert "Mangrove finance roundtable" in calendar.content.decode()
    assert (
        "Mangrove"
        not in client.get(
            reverse("coordination:activity_list"), {"q": "roundtable water", "month": month}
        ).content.decode()
    )  # every word must match
