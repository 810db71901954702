"""API fuzzing (`make fuzz`): schemathesis generates requests from /api/v1/openapi.json.

Every operation is called with generated valid and invalid input, signed in with a
read-write token of hub staff (who may call everything). Checks: no response is a 5xx, and
every documented response matches its schema. Undocumented 4xx answers (401/403/404/409/422)
are allowed: they carry our JSON error shape, which `test_error_shape` checks separately.

The number of examples per operation is bounded by LANDHUB_FUZZ_EXAMPLES (default 25) so the
run fits in `make test-all`; raise it for a deeper run.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from landhub.wsgi import application

EXAMPLES = int(os.environ.get("LANDHUB_FUZZ_EXAMPLES", "25"))

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def token(world, db):
    from landhub.accounts.services import api_token_create

    _token, plain = api_token_create(actor=world.hana, name="fuzz", scope="write")
    return plain


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=list(HealthCheck))  # fmt: skip
@pytest.mark.django_db
def test_api_never_fails(case, token):
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
    # 405 comes from the framework with an Allow header, as HTTP says; every other error is
    # our JSON shape.
    if response.status_code >= 400 and response.status_code != 405:
        headers = {key.lower(): value for key, value in response.headers.items()}
        content_type = headers.get("content-type", "")
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        assert content_type.startswith("application/json"), (
            response.status_code,
            case.formatted_path,
            response.text[:200],
        )
        assert isinstance(response.json().get("detail"), str), response.text[:200]
