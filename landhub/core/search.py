"""Full-text search through the configured Wagtail search backend (DESIGN.md §3).

``search_pks`` returns the primary keys of matching records, best match first, so a selector
can combine the text match with its own visibility filter and facets in one queryset:
``qs.filter(pk__in_list=search_pks(Model, q))`` (``in_list``: the keys as one parameter, see
``landhub.core.lookups``). The backend is SQLite FTS5 or PostgreSQL full
text locally, OpenSearch/Elasticsearch when configured.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from wagtail.search.backends import get_search_backend

MAX_MATCHES = 2000

# What the global search's overview (every kind at once) reads of each kind: its counts say
# "1,000+" beyond. The walk for every kind is the overview's largest cost (docs/performance.md).
OVERVIEW_MATCHES = 1000


class Matches(Sequence):
    """The primary keys a search found: a read-only sequence, deliberately not a list.

    Django walks a list or tuple given to a filter item by item, in case an item is an
    expression (``Query.resolve_lookup_value``): 2,000 keys for each of the global search's
    thirteen sections took 8–17 ms of every search. A ``Matches`` reaches the ``in_list``
    lookup whole. It compares equal to a list of the same keys.
    """

    __slots__ = ("_keys",)

    def __init__(self, keys: Iterable[int] = ()):
        self._keys = list(keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __getitem__(self, index):
        return self._keys[index]

    def __iter__(self) -> Iterator[int]:
        return iter(self._keys)

    def __eq__(self, other) -> bool:
        if isinstance(other, Matches):
            return self._keys == other._keys
        return isinstance(other, list | tuple) and self._keys == list(other)

    __hash__ = None  # mutable-looking equality, as a list's

    def __repr__(self) -> str:
        return f"Matches({self._keys!r})"


def search_pks(model, q: str, *, autocomplete: bool = False, limit: int = MAX_MATCHES) -> Matches:
    """Primary keys of up to ``limit`` records of ``model`` matching ``q``.

    Callers filter with ``pk__in`` and order by their own sort, so relevance ranking is not
    asked for: on the database backends ranking thousands of matches costs far more than
    matching them (measured: 1,600 ms → 90 ms for 2,000 organizations on SQLite).
    """
    found = _search_pks(model, q, autocomplete=autocomplete, limit=limit)
    return found if isinstance(found, Matches) else Matches(found)


def _search_pks(model, q: str, *, autocomplete: bool, limit: int) -> Iterable[int]:
    q = (q or "").strip()
    if not q:
        return []
    memo = _memo.get()
    if memo is not None and not autocomplete and (model, q, limit) in memo:
        return memo[(model, q, limit)]
    backend = get_search_backend()
    if not autocomplete and type(backend).__name__ == "SQLiteSearchBackend":
        fast = _sqlite_fts_pks(model, q, limit)
        if fast is not None:
            return fast
    if not autocomplete and type(backend).__name__ == "PostgresSearchBackend":
        return _postgres_pks(model, q, limit, backend.config)
    queryset = model.objects.order_by()
    if autocomplete:
        results = backend.autocomplete(q, queryset, order_by_relevance=False)
    else:
        results = backend.search(q, queryset, operator="and", order_by_relevance=False)
    sliced = results[:limit]
    get_queryset = getattr(sliced, "get_queryset", None)  # database backends: ids only
    if get_queryset is not None:
        return list(get_queryset().values_list("pk", flat=True))
    return [obj.pk for obj in sliced]


_WORD = re.compile(r"\w+", re.UNICODE)

# Little words of the hub's four languages that say nothing about what is searched for.
# Dropped before matching on both databases, so "the highlands" or "agua en Kenia" find what
# "highlands" or "agua Kenia" find (SQLite's FTS5 has no stop words of its own).
STOP_WORDS = frozenset(
    " ".join([
        "a an and at by for from in into of on or the to with",  # English
        "al con de del el en la las los por para un una y",  # Spanish
        "au aux avec d dans des du et l le les par pour sur une",  # French
        "ao as com da das do dos e em na nas no nos o os um uma",  # Portuguese
    ]).split()
)  # fmt: skip


def _words(q: str) -> list[str]:
    """The words to match: at most 20, little words dropped."""
    return [w for w in _WORD.findall(q) if w.lower() not in STOP_WORDS][:20]


def _sqlite_fts_pks(model, q: str, limit: int) -> list | None:
    """Match in the FTS5 table first, then keep the model's entries (up to ``limit``).

    The backend's own query lets SQLite walk every index entry of the model and run MATCH on
    each (the planner's choice): 400 ms for 20,000 people at scale 1. Matching first and
    joining after answers in a few milliseconds. Same index, same words (AND of the terms).
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    words = _words(q)
    if not words:
        return []
    content_type = ContentType.objects.get_for_model(model)
    type_id = content_type.pk
    try:
        with connection.cursor() as cursor:
            cursor.execute(_SQLITE_WALK_ONE, [_fts_match(words), type_id, type_id, type_id, limit])
            return [int(row[0]) for row in cursor.fetchall()]
    except Exception:  # no FTS5 table (SQLite without FTS5): let the backend answer
        return None


def _fts_match(words: list[str]) -> str:
    return "{title body} : (" + " AND ".join(f'"{w}"' for w in words) + ")"


# CROSS JOIN fixes the order: FTS5 streams its matches, each is joined to its entry by
# primary key, and the LIMIT stops the walk; with ``IN (SELECT …)`` SQLite first collects every
# match of a common word (50,000 at scale 10: 67 ms → 15 ms). The rowid bounds keep the walk
# to the stretch of the index where the type's entries lie (``_sqlite_bounds``).
_SQLITE_WALK = (
    "SELECT e.object_id FROM wagtailsearch_indexentry_fts f"
    " CROSS JOIN wagtailsearch_indexentry e ON e.id = f.rowid"
    " WHERE f.wagtailsearch_indexentry_fts MATCH %s AND f.rowid BETWEEN %s AND %s"
    " AND e.content_type_id = %s LIMIT %s"
)


# A type's first and last entry: two seeks in ``landhub_searchentry_type_id``.
_FIRST = "(SELECT min(id) FROM wagtailsearch_indexentry WHERE content_type_id = %s)"
_LAST = "(SELECT max(id) FROM wagtailsearch_indexentry WHERE content_type_id = %s)"


# One type's walk, its bounds read inside the query (no query more for a search).
_SQLITE_WALK_ONE = _SQLITE_WALK.replace("BETWEEN %s AND %s", f"BETWEEN {_FIRST} AND {_LAST}")


def _sqlite_bounds(cursor, type_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Each type's lowest and highest entry id (types without entries left out).

    FTS5 walks a word's matches in rowid order, whatever their type: a search of key issues
    for a word every record contains walked the people, offerings and stories first (the key
    issues' search grew 3.7× from scale 1 to 10). Bounded by the type's first and last entry,
    the walk passes only the entries written between them — the type's own when its records
    were indexed together (``update_index``, imports, ``generate-scale``), more when types were
    indexed interleaved over time, never fewer than all of its own. Two index seeks per type
    (``landhub_searchentry_type_id``, migration ``core/0003``); computed per search, so a
    rebuilt index can never leave stale bounds behind. One query for all the types.
    """
    one = f"SELECT %s, {_FIRST}, {_LAST}"
    cursor.execute(" UNION ALL ".join([one] * len(type_ids)),
                   [value for type_id in type_ids for value in (type_id,) * 3])  # fmt: skip
    return {type_id: (low, high) for type_id, low, high in cursor.fetchall() if low is not None}


# Inside ``searching_many``: {(model, q, limit): pks} answered by one scan.
_memo: ContextVar[dict | None] = ContextVar("landhub_search_memo", default=None)


@contextmanager
def searching_many(models: Iterable, q: str, *, limit: int = MAX_MATCHES,
                   cap: bool = False) -> Iterator[None]:  # fmt: skip
    """Answer the searches of several models for the same words with one index scan.

    The global search asks every section (landscapes, organizations, people, offerings,
    activities, outcome statements, key issues …) for the same words. One query answers them
    all, up to ``limit`` matches per type, and the calls inside the block are answered from
    it: on PostgreSQL each type's scan in one statement (``_postgres_many``), on SQLite one
    walk of the full-text index, bounded by where the types' entries lie (``_sqlite_many``).

    ``cap``: the searches that ask for the usual ``MAX_MATCHES`` get ``limit`` matches — the
    global search's overview finds up to ``OVERVIEW_MATCHES`` of each kind through selectors
    that ask for the usual number, and says "1,000+" where a kind has more.
    """
    q = (q or "").strip()
    memo: dict = {}
    backend = get_search_backend()
    models = list(dict.fromkeys(models))
    if q and models and type(backend).__name__ == "PostgresSearchBackend":
        memo = _postgres_many(models, q, limit, backend.config)
    elif q and len(models) > 1 and type(backend).__name__ == "SQLiteSearchBackend":
        memo = _sqlite_many(models, q, limit) or {}
    if cap and limit != MAX_MATCHES:
        memo = {(model, words, MAX_MATCHES): pks for (model, words, _limit), pks in memo.items()}
    token = _memo.set(memo)
    try:
        yield
    finally:
        _memo.reset(token)


def _sqlite_many(models: list, q: str, limit: int) -> dict | None:
    """Every match of the words, kept per type up to ``limit``, in the fewest entries walked.

    The walk goes, in rowid order, over the *runs* of the types' entries (``_sqlite_runs``:
    the stretches of the index holding one type's entries and no other's), so it passes only
    entries of the types asked for; when a type has its ``limit`` its remaining runs are
    dropped. Bounded by each type's first and last entry instead, a type with two entries
    indexed late (two people added after a bulk load) made a search for a word no person
    contains walk every other type's matches in between (700,000 entries, 200 ms at scale 10).
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    found: dict = {(model, q, limit): [] for model in models}
    words = _words(q)
    if not words:
        return found
    match = _fts_match(words)
    types = {ContentType.objects.get_for_model(model).pk: model for model in models}
    buckets: dict[int, list] = {type_id: [] for type_id in types}
    sql = (
        "SELECT f.rowid, CAST(e.object_id AS INTEGER) FROM wagtailsearch_indexentry_fts f"
        " CROSS JOIN wagtailsearch_indexentry e ON e.id = f.rowid"
        " WHERE f.wagtailsearch_indexentry_fts MATCH %s AND f.rowid BETWEEN %s AND %s"
        " AND e.content_type_id = %s LIMIT %s"
    )
    try:
        with connection.cursor() as cursor:
            runs = _sqlite_runs(cursor, list(types))
            for low, high, type_id in sorted(
                (low, high, type_id) for type_id, spans in runs.items() for low, high in spans
            ):
                bucket = buckets[type_id]
                if len(bucket) >= limit:
                    continue  # the type has its matches: its later runs are not walked
                cursor.execute(sql, [match, low, high, type_id, limit - len(bucket)])
                bucket.extend(row[1] for row in cursor.fetchall())
    except Exception:  # no FTS5 table (SQLite without FTS5): each type asks the backend
        return None
    return _found(found, types, buckets, q, limit)


_LAST_BEFORE = "SELECT max(id) FROM wagtailsearch_indexentry WHERE content_type_id = %s AND id < %s"
_FIRST_AFTER = "SELECT min(id) FROM wagtailsearch_indexentry WHERE content_type_id = %s AND id > %s"

# A type indexed in more runs than this is walked as one stretch from its last run's start:
# records indexed one by one over months interleave with every other type.
MAX_RUNS = 16


def _sqlite_runs(cursor, type_ids: list[int]) -> dict[int, list[tuple[int, int]]]:
    """Each type's runs: (first id, last id) of the stretches of the index that hold its
    entries and no other type's, in id order; types without entries left out.

    Found by seeks in ``landhub_searchentry_type_id`` (content type, id): a run of type T
    starting at ``low`` ends at T's last entry before the first entry of any other type after
    ``low``; the next run starts at T's first entry after that. Three short queries a run,
    nothing read in between, so a few milliseconds whatever the index's size. Every entry of
    a type lies in one of its runs (a type with more than ``MAX_RUNS`` has the rest as one
    stretch, which may hold other types' entries: the walk keeps only its own type's).
    Computed per search, never kept: an index changed meanwhile cannot leave stale runs.
    """
    cursor.execute(
        "WITH RECURSIVE t(ct) AS (SELECT min(content_type_id) FROM wagtailsearch_indexentry"
        " UNION ALL SELECT (SELECT min(content_type_id) FROM wagtailsearch_indexentry"
        " WHERE content_type_id > t.ct) FROM t WHERE t.ct IS NOT NULL)"
        " SELECT ct FROM t WHERE ct IS NOT NULL"
    )
    every_type = [row[0] for row in cursor.fetchall()]
    bounds = _sqlite_bounds(cursor, type_ids)
    runs: dict[int, list[tuple[int, int]]] = {}
    for type_id, (low, last) in bounds.items():
        others = [other for other in every_type if other != type_id]
        spans = []
        while low is not None:
            following = _first_after(cursor, others, low)
            if following is None or following > last or len(spans) == MAX_RUNS - 1:
                spans.append((low, last))
                break
            cursor.execute(_LAST_BEFORE, [type_id, following])
            spans.append((low, cursor.fetchone()[0]))
            cursor.execute(_FIRST_AFTER, [type_id, following])
            low = cursor.fetchone()[0]
        runs[type_id] = spans
    return runs


def _first_after(cursor, type_ids: list[int], position: int) -> int | None:
    """The first entry after ``position`` of any of ``type_ids`` (a seek per type)."""
    if not type_ids:
        return None
    one = (
        "SELECT min(id) AS id FROM wagtailsearch_indexentry WHERE content_type_id = %s AND id > %s"
    )
    cursor.execute(f"SELECT min(id) FROM ({' UNION ALL '.join([one] * len(type_ids))}) AS firsts",  # noqa: S608
                   [value for type_id in type_ids for value in (type_id, position)])  # fmt: skip
    return cursor.fetchone()[0]


def _found(found: dict, types: dict, buckets: dict, q: str, limit: int) -> dict:
    for type_id, pks in buckets.items():
        found[(types[type_id], q, limit)] = Matches(pks)
    return found


def _normalised(words: list[str], config: str | None) -> list[str]:
    """Each word as the text configuration normalises it ('springs' → 'spring'), in one
    query; the configuration's stop words come back empty and are dropped."""
    from django.db import connection

    one = "plainto_tsquery(%s::regconfig, %s)::text" if config else "plainto_tsquery(%s)::text"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join([one] * len(words)),
            [value for word in words for value in ([config, word] if config else [word])],
        )
        return [normalised for normalised in cursor.fetchone() if normalised]


def _match_sql(queries: list[str]) -> tuple[str, list[str]]:
    conditions = " AND ".join(["(title @@ %s::tsquery OR body @@ %s::tsquery)"] * len(queries))
    return conditions, [value for normalised in queries for value in (normalised, normalised)]


def _postgres_many(models: list, q: str, limit: int, config: str | None) -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from wagtail.search.models import IndexEntry

    found: dict = {(model, q, limit): [] for model in models}
    words = _words(q)
    queries = _normalised(words, config) if words else []
    if not queries:
        return found
    types = {ContentType.objects.get_for_model(model).pk: model for model in models}
    conditions, params = _match_sql(queries)
    # Each type's first ``limit`` matches, one type after another (LATERAL … LIMIT). Numbering
    # every match per type (``row_number() OVER (PARTITION BY …)``) read and tested all of
    # them — 84,000 entries for a word every record contains, 30 ms at scale 1 — where a
    # type's own scan stops at its limit (7.5 ms); a rare word is still answered from the GIN
    # indexes, type by type (0.2 → 2 ms for 12 types).
    # Only fixed SQL fragments are joined here; every word travels as a parameter.
    table = connection.ops.quote_name(IndexEntry._meta.db_table)
    sql = (
        "SELECT t.id, m.object_id::integer FROM unnest(%s::integer[]) AS t(id)"  # noqa: S608
        f" CROSS JOIN LATERAL (SELECT object_id FROM {table}"
        f" WHERE content_type_id = t.id AND {conditions} LIMIT %s) AS m"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(types), *params, limit])
        for type_id, object_id in cursor.fetchall():
            found[(types[type_id], q, limit)].append(object_id)
    return {key: Matches(pks) for key, pks in found.items()}


def _postgres_pks(model, q: str, limit: int, config: str | None) -> list:
    """The same AND of words, written so PostgreSQL can use its GIN indexes.

    The backend matches ``title || body`` — a vector computed per row, so no index applies
    and every entry of the model is read (460–660 ms at scale 10). Here each word must match
    the title or the body (``title @@ w OR body @@ w``, the same rows as matching the joined
    vector), which is a bitmap AND of index scans. Words the text configuration drops (its
    stop words) are ignored, as the backend ignores them.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from wagtail.search.models import IndexEntry

    words = _words(q)
    if not words:
        return []
    # The normalised words go back as constants, so the planner sees plain "vector @@
    # constant" conditions that its GIN indexes answer (a function of the word would hide them).
    queries = _normalised(words, config)
    if not queries:
        return []
    conditions, params = _match_sql(queries)
    # Only fixed SQL fragments are joined here; every word travels as a parameter.
    sql = (
        f"SELECT object_id FROM {connection.ops.quote_name(IndexEntry._meta.db_table)}"  # noqa: S608
        f" WHERE content_type_id = %s AND {conditions} LIMIT %s"
    )
    content_type = ContentType.objects.get_for_model(model)
    with connection.cursor() as cursor:
        cursor.execute(sql, [content_type.pk, *params, limit])
        return [int(row[0]) for row in cursor.fetchall()]


# --- The sections of the global search -------------------------------------------------------


@dataclass(frozen=True)
class SearchSection:
    """One kind of record in the global search (page and API).

    Each app registers its own in ``AppConfig.ready`` (the directory: landscapes,
    organizations, people, terms; coordination: offerings, activities), so the search page
    never imports the apps built on the directory. ``results(user, q)`` returns a queryset
    already narrowed to what ``user`` may see; ``hit(obj)`` says how one match is shown.
    """

    key: str
    label: object  # plural, translatable ("Offerings")
    results: Callable[[object, str], object]
    hit: Callable[[object], dict]  # {"label": ..., "url": ... or "", "note": ...}
    models: tuple = ()  # the indexed models ``results`` searches (for ``searching_many``)


_SECTIONS: dict[str, SearchSection] = {}


def register_search_section(section: SearchSection) -> None:
    _SECTIONS[section.key] = section


def search_sections() -> list[SearchSection]:
    """In the order the apps registered them."""
    return list(_SECTIONS.values())
