"""``in_list``: ``field__in_list=[…]`` matches like ``__in``, with the whole list sent as one
SQL parameter.

Search results reach the selectors as lists of up to 2,000 primary keys
(``landhub.core.search.search_pks``). With ``__in`` Django prepares every key on its own and
the database gets one placeholder per key — for each query, and a list page runs two (count
and page): 40–60 ms of the global search's 11 sections at scale 1. Here the list is one JSON
array read by ``json_each`` on SQLite, and one array compared with ``= ANY`` on PostgreSQL,
which its planner estimates and answers from the index like a literal ``IN`` list (an
``IN (SELECT unnest(…))`` subquery was estimated at 200 rows and made it scan every offering).
"""

from __future__ import annotations

import json

from django.core.exceptions import EmptyResultSet
from django.db.models import IntegerField, Lookup


@IntegerField.register_lookup  # also AutoField and BigAutoField, which are IntegerFields
class InList(Lookup):
    lookup_name = "in_list"
    prepare_rhs = False

    def get_prep_lookup(self):
        return _Keys(self.rhs)

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet  # as ``__in=[]``: nothing matches, the database is not asked
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, self.rhs.array_text]
        if connection.vendor == "sqlite":
            sql = f"{lhs} IN (SELECT value FROM json_each(%s))"  # noqa: S608 - lhs is a column
            return sql, [*lhs_params, self.rhs.json_text]
        keys = self.rhs.keys
        return f"{lhs} IN ({', '.join(['%s'] * len(keys))})", [*lhs_params, *keys]


class _Keys:
    """The keys of one ``in_list``, sorted and de-duplicated once, with their text forms
    made once: a queryset is compiled more than once (its count, its page, a cache key), and
    for 2,000 keys each form costs a fraction of a millisecond. PostgreSQL gets the array's
    text form: psycopg adapts a list of 2,000 ints item by item (3 ms a query)."""

    __slots__ = ("keys", "_json", "_array")

    def __init__(self, values):
        self.keys = sorted({int(value) for value in values})
        self._json = self._array = None

    def __bool__(self) -> bool:
        return bool(self.keys)

    def __iter__(self):
        return iter(self.keys)

    def __len__(self) -> int:
        return len(self.keys)

    def __deepcopy__(self, memo):
        return self  # never changed once made; querysets deep-copy their lookups when cloned

    @property
    def json_text(self) -> str:
        if self._json is None:
            self._json = json.dumps(self.keys)
        return self._json

    @property
    def array_text(self) -> str:
        if self._array is None:
            self._array = "{" + ",".join(map(str, self.keys)) + "}"
        return self._array
