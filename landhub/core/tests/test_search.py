"""``search_pks``: the fast paths (SQLite FTS5, PostgreSQL GIN) find what the backend finds.

Run on both databases (``make test`` and ``make test-pg``): every word must match somewhere
in the record (name or description), stop words are ignored, and records of other models
never leak in.
"""

from __future__ import annotations

import pytest

from landhub.core.search import search_pks
from landhub.directory import factories as f
from landhub.directory.models import Landscape, Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust():
    org = f.OrganizationFactory(name="Alpha Springs Trust", description="Protects wetlands.")
    f.OrganizationFactory(name="Beta Desert Fund", description="Funds dryland farming.")
    return org


def test_every_word_must_match_in_the_name_or_the_description(trust):
    assert search_pks(Organization, "springs") == [trust.pk]
    assert search_pks(Organization, "springs wetlands") == [trust.pk]  # name + description
    assert search_pks(Organization, "springs dryland") == []


def test_stop_words_are_ignored_and_only_stop_words_find_nothing(trust):
    assert search_pks(Organization, "the springs") == [trust.pk]
    assert search_pks(Organization, "the") == []
    assert search_pks(Organization, "  ") == []


def test_only_the_asked_model_and_up_to_the_limit(trust):
    f.LandscapeFactory(name="Springs Valley")
    assert search_pks(Organization, "springs") == [trust.pk]
    assert len(search_pks(Landscape, "springs")) == 1
    for n in range(3):
        f.OrganizationFactory(name=f"Springs Cooperative {n}")
    assert len(search_pks(Organization, "springs", limit=2)) == 2


def test_one_scan_answers_the_searches_of_every_section(trust, world):
    """The global search asks every section for the same words; on PostgreSQL one query
    answers them all (on SQLite each type's own scan already stops at its limit)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from landhub.core.search import searching_many

    models = [Landscape, Organization]
    for q in ("highlands", "springs", "nothing-like-this"):
        alone = {m: sorted(search_pks(m, q)) for m in models}
        with searching_many(models, q), CaptureQueriesContext(connection) as queries:
            together = {m: sorted(search_pks(m, q)) for m in models}
        assert together == alone
        if connection.vendor == "postgresql":
            assert len(queries) == 0  # answered from the block's single scan
    assert search_pks(Landscape, "highlands")  # the comparison was not between two empties
    with searching_many(models, "highlands"):
        assert search_pks(Landscape, "highlands", limit=1) == search_pks(
            Landscape, "highlands", limit=1
        )  # another limit is asked of the database, not the memo
