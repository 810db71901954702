"""The global search's overview: facet counts kept per reader until the next write, kinds with
more matches than were read marked "N+", hits drawn as list items, and the API reading only the
sections that fill its page."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from landhub.core import search
from landhub.directory import factories as f
from landhub.directory.models import Organization

pytestmark = pytest.mark.django_db


def _facet(html: str, key: str) -> str:
    """The count shown on a kind's facet ("3", "3+")."""
    found = re.search(rf'data-facet="{key}">[^<]*<span class="facet-count"[^>]*>([^<]*)<', html)
    assert found, f"no facet {key}"
    return found.group(1)


def test_a_kind_with_more_matches_than_read_says_at_least(client_for, world, monkeypatch):
    monkeypatch.setattr(search, "OVERVIEW_MATCHES", 3)
    monkeypatch.setattr("landhub.directory.views.search.OVERVIEW_MATCHES", 3)
    for n in range(5):
        f.OrganizationFactory(name=f"Springs Cooperative {n}")
    f.LandscapeFactory(name="Springs Valley", visibility="public")
    client = client_for("nora")
    overview = client.get(reverse("directory:search"), {"q": "springs"}).content.decode()
    assert _facet(overview, "organization") == "3+"
    assert 'title="At least 3: add a word to narrow the search."' in overview
    assert _facet(overview, "landscape") == "1"
    # One kind's own pages read the usual number and count all five.
    params = {"q": "springs", "type": "organization"}
    organizations = client.get(reverse("directory:search"), params).content.decode()
    assert _facet(organizations, "organization") == "5"
    assert organizations.count("Springs Cooperative") == 5


def test_the_counts_follow_a_new_record_and_differ_by_reader(client, client_for, world):
    nora = client_for("nora")
    before = nora.get(reverse("directory:search"), {"q": "springs"}).content.decode()
    assert _facet(before, "organization") == "0"
    f.OrganizationFactory(name="Springs Cooperative")
    after = nora.get(reverse("directory:search"), {"q": "springs"}).content.decode()
    assert _facet(after, "organization") == "1" and "Springs Cooperative" in after
    f.LandscapeFactory(name="Springs Hidden", visibility="restricted")
    staff = client_for("hana").get(reverse("directory:search"), {"q": "springs"}).content.decode()
    public = client.get(reverse("directory:search"), {"q": "springs"}).content.decode()
    assert _facet(staff, "landscape") == "1" and "Springs Hidden" in staff
    assert _facet(public, "landscape") == "0" and "Springs Hidden" not in public


def test_hits_are_list_items_with_their_link_and_note(client_for, world):
    org = f.OrganizationFactory(name="Springs <Cooperative>")
    html = client_for("nora").get(reverse("directory:search"), {"q": "springs"}).content.decode()
    note = f'<span class="small text-body-secondary">· {org.kind.name}</span>'
    link = f'<a href="{org.get_absolute_url()}">Springs &lt;Cooperative&gt;</a>'
    assert f'<li class="list-group-item">{link} {note}</li>' in html


def test_the_api_reads_only_the_sections_that_fill_its_page(client_for, world):
    for n in range(4):
        f.OrganizationFactory(name=f"Springs Cooperative {n}")
    f.LandscapeFactory(name="Springs Valley", visibility="public")
    client = client_for("nora")
    with CaptureQueriesContext(connection) as queries:
        data = client.get("/api/v1/search", {"q": "springs", "limit": 1}).json()
    assert data["facets"]["organization"] == 4 and data["facets"]["landscape"] == 1
    assert len(data["items"]) == 1 and data["capped"] == []
    organization_reads = [q for q in queries.captured_queries
                          if 'FROM "directory_organization"' in q["sql"]
                          and "COUNT(" not in q["sql"].upper()]  # fmt: skip
    assert data["items"][0]["type"] == "landscape" and organization_reads == []
    all_of_them = client.get("/api/v1/search", {"q": "springs", "limit": 10}).json()["items"]
    assert [i["type"] for i in all_of_them] == ["landscape"] + ["organization"] * 4


def test_matches_reach_a_filter_whole_and_compare_as_a_list(world):
    orgs = [f.OrganizationFactory(name=f"Springs Cooperative {n}") for n in range(3)]
    found = search.search_pks(Organization, "springs")
    assert isinstance(found, search.Matches) and not isinstance(found, list)
    assert sorted(found) == sorted(o.pk for o in orgs) and len(found) == 3
    assert found == list(found) and list(found) == found
    qs = Organization.objects.filter(pk__in_list=found)
    assert set(qs.values_list("name", flat=True)) == {o.name for o in orgs}
    assert qs.count() == 3  # compiled a second time from the same keys
    assert Organization.objects.filter(pk__in=found).count() == 3
