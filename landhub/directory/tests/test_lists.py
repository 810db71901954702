"""Every list page: its query count does not grow with its rows, and bad parameters are no 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from landhub.core.counts import bump_generation
from landhub.core.services import progress_start
from landhub.directory import factories as f

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    ("directory:landscape_list", "nora"),
    ("directory:organization_list", "nora"),
    ("directory:person_list", "nora"),
    ("directory:term_list", "hana"),
    ("directory:import_list", "hana"),
    ("directory:my_hub", "lena"),
    ("core:notifications", "lena"),
]


def _more_rows(world, n):
    for i in range(n):
        org = f.OrganizationFactory()
        landscape = f.LandscapeFactory()
        f.OrganizationMembershipFactory(organization=org)
        f.LandscapeMembershipFactory(
            landscape=landscape, person=world.people["lena"], role="member"
        )
        progress_start(owner=world.hana, kind="import.organizations", label=f"Import {i}")
        from landhub.core.services import notify

        notify(recipients=[world.lena], kind="test", title=f"Note {i}")


@pytest.mark.parametrize(("name", "persona"), LIST_PAGES)
def test_list_query_count_is_constant(
    name, persona, client_for, world, django_assert_max_num_queries
):
    client = client_for(persona)
    url = reverse(name)
    _more_rows(world, 3)
    client.get(url)  # session bookkeeping happens once
    bump_generation()  # both measured requests count their rows (no cached count)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    _more_rows(world, 30)
    bump_generation()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "directory:landscape_list",
        "directory:organization_list",
        "directory:person_list",
        "directory:term_list",
        "directory:search",
    ],  # fmt: skip
)
def test_nonsense_parameters_are_ignored(name, client_for, world):
    params = {"page": "-1", "sort": "'; drop table", "country": "ZZZ", "q": "<script>",
              "kind": "x" * 500, "type": "weird"}  # fmt: skip
    response = client_for("nora").get(reverse(name), params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("</header>", 1)[1]


def test_search_facets_and_visibility(client, client_for, world):
    f.OrganizationFactory(name="Highlands Seed Cooperative")
    body = client_for("nora").get(reverse("directory:search"), {"q": "highlands"}).content.decode()
    assert "Kenya Highlands" in body and "Highlands Seed Cooperative" in body
    response = client.get(reverse("directory:search"), {"q": "valley"})
    assert "Hidden Valley" not in response.content.decode()
    staff = client_for("hana").get(reverse("directory:search"), {"q": "valley"})
    assert "Hidden Valley" in staff.content.decode()
    people = client.get(reverse("directory:search"), {"q": "nora", "type": "person"})
    assert "Nora" not in people.content.decode().split("</header>", 1)[1]


def test_autocomplete_for_pickers(client, world):
    data = client.get(reverse("directory:autocomplete"), {"type": "landscape", "q": "ken"}).json()
    assert [item["label"] for item in data["results"]] == ["Kenya Highlands"]
    hidden = client.get(reverse("directory:autocomplete"), {"type": "landscape", "q": "hid"})
    assert hidden.json()["results"] == []
    terms = client.get(
        reverse("directory:autocomplete"), {"type": "term", "vocabulary": "capability", "q": "fin"}
    ).json()
    assert "Landscape finance" in [item["label"] for item in terms["results"]]


def test_home_counters_are_cached_and_follow_writes(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def landscapes_counter() -> str:
        body = client.get("/").content.decode()
        start = body.index('id="counter-landscapes">') + len('id="counter-landscapes">')
        return body[start : body.index("<", start)]

    assert landscapes_counter() == "1"  # Kenya Highlands; Hidden Valley is restricted
    with CaptureQueriesContext(connection) as queries:
        landscapes_counter()
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    f.LandscapeFactory(name="Counted Plains")
    assert landscapes_counter() == "2"
