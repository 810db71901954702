"""``search_pks``: the fast paths (SQLite FTS5, PostgreSQL GIN) find what the backend finds.

Run on both databases (``make test`` and ``make test-pg``): every word must match somewhere
in the record (name or description), stop words are ignored, and records of other models
never leak in.
"""

from __future__ import annotations

import pytest
from django.db.models import Q

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
    """The global search asks every section for the same words; one query answers them all
    (on both databases), with the same keys each section's own query finds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from landhub.core.search import searching_many

    models = [Landscape, Organization]
    for q in ("highlands", "springs", "nothing-like-this"):
        alone = {m: sorted(search_pks(m, q)) for m in models}
        with searching_many(models, q), CaptureQueriesContext(connection) as queries:
            together = {m: sorted(search_pks(m, q)) for m in models}
        assert together == alone
        assert len(queries) == 0  # answered from the block's single scan
    assert search_pks(Landscape, "highlands")  # the comparison was not between two empties
    with searching_many(models, "highlands"):
        assert search_pks(Landscape, "highlands", limit=1) == search_pks(
            Landscape, "highlands", limit=1
        )  # another limit is asked of the database, not the memo


def test_the_shared_scan_keeps_each_type_to_its_limit(trust):
    from landhub.core.search import searching_many

    for n in range(4):
        f.OrganizationFactory(name=f"Springs Cooperative {n}")
    f.LandscapeFactory(name="Springs Valley")
    with searching_many([Landscape, Organization], "springs", limit=3):
        assert len(search_pks(Organization, "springs", limit=3)) == 3
        assert len(search_pks(Landscape, "springs", limit=3)) == 1


def test_many_matches_filter_a_list_as_one_parameter():
    """``pk__in_list``: the keys travel as one parameter (a JSON array on SQLite, an array on
    PostgreSQL), and the list shows exactly the matching records; no keys, no query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    many = [f.OrganizationFactory(name=f"Springs Cooperative {n}") for n in range(150)]
    f.OrganizationFactory(name="Desert Fund")
    keys = search_pks(Organization, "springs")
    with CaptureQueriesContext(connection) as queries:
        found = set(Organization.objects.filter(pk__in_list=keys).values_list("pk", flat=True))
        either = Organization.objects.filter(
            Q(pk__in_list=search_pks(Organization, "nothing-like-this")) | Q(name="Desert Fund")
        )
        assert [org.name for org in either] == ["Desert Fund"]
    assert found == {org.pk for org in many}
    assert len(queries[0]["sql"]) < 1000  # not one placeholder per key
    with CaptureQueriesContext(connection) as queries:
        assert list(Organization.objects.filter(pk__in_list=[])) == []
    assert len(queries) == 0


@pytest.mark.parametrize("limit", [1, 3, 6, 100])
def test_each_type_gets_its_matches_up_to_its_limit_however_the_types_were_indexed(trust, limit):
    """Organizations indexed in a run, then landscapes and organizations interleaved, then a
    last landscape: when one type reaches its limit the walk goes on for the others (SQLite
    walks one stretch of the index per type), and each type gets exactly what its own search
    finds, up to the limit."""
    from landhub.core.search import searching_many

    for n in range(3):
        f.OrganizationFactory(name=f"Springs Cooperative {n}")
    for n in range(3):
        f.LandscapeFactory(name=f"Springs Vale {n}")
        f.OrganizationFactory(name=f"Springs Union {n}")
    f.OrganizationFactory(name="Desert Fund")
    f.LandscapeFactory(name="Springs Last")
    alone = {m: search_pks(m, "springs", limit=limit) for m in (Landscape, Organization)}
    assert [len(alone[Landscape]), len(alone[Organization])] == [min(limit, 4), min(limit, 7)]
    with searching_many([Landscape, Organization], "springs", limit=limit):
        together = {m: search_pks(m, "springs", limit=limit) for m in (Landscape, Organization)}
    if limit >= 7:  # everything found: the same records whichever way
        assert {m: set(v) for m, v in together.items()} == {m: set(v) for m, v in alone.items()}
    assert [len(together[Landscape]), len(together[Organization])] == [min(limit, 4),
                                                                       min(limit, 7)]  # fmt: skip
    every_org = set(search_pks(Organization, "springs"))
    assert set(together[Organization]) <= every_org


def test_each_type_is_walked_by_its_runs_which_hold_its_entries_and_no_other(trust):
    """The global search walks each type's runs of index entries: a type indexed, then
    interleaved with another, then once more at the end has several runs; together they hold
    every entry of the type and none of another's, so a word the type lacks passes nothing."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from wagtail.search.models import IndexEntry

    from landhub.core.search import _sqlite_runs

    for n in range(2):
        f.OrganizationFactory(name=f"Springs Cooperative {n}")
    for n in range(3):
        f.LandscapeFactory(name=f"Quiet Vale {n}")
    f.OrganizationFactory(name="Springs Latecomer")
    types = [ContentType.objects.get_for_model(m).pk for m in (Organization, Landscape)]
    with connection.cursor() as cursor:
        runs = _sqlite_runs(cursor, types)
    entries = list(IndexEntry.objects.values_list("id", "content_type_id"))
    for type_id in types:
        spans = runs[type_id]
        inside = {pk for pk, _type in entries if any(low <= pk <= high for low, high in spans)}
        assert inside == {pk for pk, kind in entries if kind == type_id}
    assert len(runs[types[0]]) >= 2  # the latecomer is a run of its own
