"""Cached list counts: reused while nothing changes, recounted after any write."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from landhub.directory import factories as f

pytestmark = pytest.mark.django_db


def _count_queries(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).content.decode()
    return body, sum("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


def test_the_count_is_reused_until_a_write_and_then_exact(client, world):
    url = reverse("directory:landscape_list")
    body, counted = _count_queries(client, url)
    assert "1 landscape" in body and counted == 1

    body, counted = _count_queries(client, url)
    assert "1 landscape" in body and counted == 0  # nothing changed: no recount

    f.LandscapeFactory(name="Fresh Plains")
    body, counted = _count_queries(client, url)
    assert "2 landscapes" in body and counted == 1  # the write made it recount


def test_counts_are_per_reader(client_for, world):
    """Visibility differs per user, so does the cached count."""
    url = reverse("directory:landscape_list")
    assert "1 landscape" in client_for("anonymous").get(url).content.decode()
    assert "2 landscapes" in client_for("hana").get(url).content.decode()  # sees Hidden Valley
    assert "1 landscape" in client_for("nora").get(url).content.decode()


def test_the_api_total_follows_writes(client, world):
    assert client.get("/api/v1/organizations").json()["count"] == 2
    f.OrganizationFactory(name="Counted Cooperative")
    assert client.get("/api/v1/organizations").json()["count"] == 3


def test_cached_results_follow_writes_readers_and_language(world):
    """``cached_result``: an aggregate kept until the next write, per reader (the queryset's
    SQL carries the visibility) and per language (results carry labels)."""
    from django.utils import translation

    from landhub.core.counts import cached_result
    from landhub.directory.models import Landscape

    calls = []

    def names(qs):
        def compute():
            calls.append(1)
            return sorted(qs.values_list("name", flat=True))

        return cached_result("test.names", qs, compute)

    public = Landscape.objects.visible_to(world.nora)
    everything = Landscape.objects.visible_to(world.hana)
    assert names(public) == ["Kenya Highlands"] and names(public) == ["Kenya Highlands"]
    assert len(calls) == 1  # the second read came from the cache
    assert names(everything) == ["Hidden Valley", "Kenya Highlands"]  # another reader
    with translation.override("es"):
        names(public)
    assert len(calls) == 3  # another language is another entry
    f.LandscapeFactory(name="Fresh Plains")
    assert names(public) == ["Fresh Plains", "Kenya Highlands"]  # the write made it recount
