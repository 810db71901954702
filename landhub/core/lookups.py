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
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet  # as ``__in=[]``: nothing matches, the database is not asked
        lhs, lhs_params = self.process_lhs(compiler, connection)
        keys = sorted(set(self.rhs))
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, keys]
        if connection.vendor == "sqlite":
            sql = f"{lhs} IN (SELECT value FROM json_each(%s))"  # noqa: S608 - lhs is a column
            return sql, [*lhs_params, json.dumps(keys)]
        return f"{lhs} IN ({', '.join(['%s'] * len(keys))})", [*lhs_params, *keys]
