"""Lists that show a landscape's name next to each row never read its boundary: a real
boundary is thousands of vertices (a JSON document per row, decoded for nothing)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from landhub.coordination.selectors import value_quotes
from landhub.mel.selectors import framework_list, indicator_detail
from landhub.mel.selectors.learning import decision_list
from landhub.mel.selectors.observations import observation_list
from landhub.mel.tests.conftest import mel  # noqa: F401 - the MEL fixture

pytestmark = pytest.mark.django_db

BOUNDARY = '"directory_landscape"."boundary"'


def _sql_read(evaluate) -> str:
    with CaptureQueriesContext(connection) as queries:
        evaluate()
    return "\n".join(q["sql"] for q in queries.captured_queries)


def test_the_lists_name_the_landscape_without_reading_its_boundary(world, mel):  # noqa: F811
    hana = world.hana
    read = {
        "frameworks": _sql_read(lambda: list(framework_list(user=hana))),
        "adaptation decisions": _sql_read(lambda: list(decision_list(user=hana))),
        "values": _sql_read(lambda: list(observation_list(user=hana))),
        "an indicator's assignments": _sql_read(
            lambda: indicator_detail(user=hana, code=mel.trained.code)
        ),
        "testimony": _sql_read(lambda: list(value_quotes([1], user=hana))),
    }
    # Each list does join the landscape (its name is shown): the check is not vacuous.
    assert all('"directory_landscape"' in sql for sql in read.values()), [
        name for name, sql in read.items() if '"directory_landscape"' not in sql
    ]
    assert [name for name, sql in read.items() if BOUNDARY in sql] == []
