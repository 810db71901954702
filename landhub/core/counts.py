"""Counts of list results, cached until the next write.

Counting the visible rows is the one part of a list page whose cost follows the data, not
the page: 25 ms for 200,000 people, against a few milliseconds for the page itself (made
with ``make bench`` at scale 10). The count of a given query is kept in the cache, keyed by
its SQL and parameters (so per user where visibility depends on the user), together with a
*generation* number that every database write bumps: after any save or delete, every cached
count is out of date at once. No bookkeeping of which write touches which list is needed,
and writes are rare next to reads.

With a shared cache (Redis, ``LANDHUB_CACHE_URL``) counts are exact across processes. With
the default per-process memory cache a write is seen at once by the process that made it;
other processes recount within ``COUNT_SECONDS`` at the latest.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import transaction

GENERATION_KEY = "landhub:counts:generation"
COUNT_SECONDS = 60


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY) or 1
    return value


# Writes that never change what a list shows: sessions, the task queue, progress bars,
# notifications, search-index rows, history rows (their record's own save bumps already).
IGNORED_APPS = {"sessions", "django_tasks_database", "admin", "contenttypes", "wagtailsearch",
                "modelsearch"}  # fmt: skip
IGNORED_MODELS = {"core.taskprogress", "core.notification"}


def on_write(sender, **kwargs) -> None:
    """Receiver of every save, delete and many-to-many change (connected in CoreConfig)."""
    meta = sender._meta
    if (
        meta.app_label in IGNORED_APPS
        or meta.label_lower in IGNORED_MODELS
        or meta.model_name.startswith("historical")
    ):
        return
    bump_generation()


def bump_generation(*, after_commit: bool = True) -> None:
    """All cached counts are now out of date."""

    def bump():
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not in the cache (evicted or first use)
            cache.add(GENERATION_KEY, 1, None)

    bump()
    if after_commit:
        # Once more after the commit: a count made between the write and its commit would
        # otherwise be cached under the new generation with the old number.
        transaction.on_commit(bump)


def cached_count(queryset) -> int:
    """How many rows ``queryset`` has, kept until the next write. A list (a ranking already
    computed) is simply measured."""
    if not hasattr(queryset, "query"):
        return len(queryset)
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. .none(): nothing to count
        return 0
    digest = hashlib.sha256(f"{queryset.db}|{sql}|{params!r}".encode()).hexdigest()
    key = f"landhub:counts:{generation()}:{digest}"
    count = cache.get(key)
    if count is None:
        count = queryset.count()
        cache.set(key, count, COUNT_SECONDS)
    return count


def cached_result(name: str, queryset, compute, *, extra: object = ""):
    """``compute()`` kept until the next write, like ``cached_count``: for the aggregates of a
    dashboard or a list's facets (counts by domain, by tag, the years that have records),
    whose cost follows the number of records and not the page.

    The key is ``name``, the SQL of ``queryset`` — which carries the reader's visibility, so
    two readers who may see different records never share a result — and ``extra`` (the
    other arguments of ``compute``), and the active language, since results carry labels.
    The value must pickle (lists, tuples, dataclasses).
    """
    from django.utils import translation

    extra = (extra, translation.get_language())
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        sql, params = "empty", ()
    return kept_until_next_write("results", f"{name}|{queryset.db}|{sql}|{params!r}|{extra!r}",
                                 compute)  # fmt: skip


def cached_for_reader(name: str, user, compute, *, extra: object = ""):
    """``compute()`` kept until the next write for this reader: like ``cached_result``, keyed
    by who reads instead of by a queryset's SQL. For results drawn from many querysets at
    once (the global search's counts), where compiling each only to name its cache entry
    cost more than reading the entry. What a reader may see follows from the reader and the
    data; the data's every write starts a new generation.
    """
    reader = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    return kept_until_next_write("reader", f"{name}|{reader}|{extra!r}", compute)


def kept_until_next_write(kind: str, text: str, compute):
    """``compute()``, kept in the cache under ``kind`` and ``text`` (any length: it is
    hashed) until the next write starts a new generation."""
    key = f"landhub:{kind}:{generation()}:{hashlib.sha256(text.encode()).hexdigest()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, COUNT_SECONDS)
    return value
