"""Walk every URL and API endpoint for every persona against the explicit table of cases."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import landhub
from landhub.core.matrix import PERSONAS, Case

# Namespaces whose URLs must all be in the matrix (third-party URLs test themselves).
OUR_NAMESPACES = {"core", "directory", "accounts", "coordination", "mel", "governance"}
API_PREFIX = "/api/v1/"
# Documentation and schema of the API: public, covered by test_api_docs_are_public.
API_EXEMPT = {"GET /api/v1/openapi.json", "GET /api/v1/docs"}


def _collect_cases() -> list[Case]:
    cases: list[Case] = []
    for app in pkgutil.iter_modules(landhub.__path__):
        try:
            tests = importlib.import_module(f"landhub.{app.name}.tests")
        except ModuleNotFoundError:
            continue
        for mod in pkgutil.iter_modules(tests.__path__):
            if mod.name.startswith("matrix_"):
                module = importlib.import_module(f"landhub.{app.name}.tests.{mod.name}")
                cases.extend(module.CASES)
    return cases


CASES = _collect_cases()


def _url_names(resolver=None, namespace=None) -> set[str]:
    names = set()
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            names |= _url_names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name and namespace in OUR_NAMESPACES:
            names.add(f"{namespace}:{pattern.name}")
    return names


def _api_operations() -> set[str]:
    from landhub.api import api

    schema = api.get_openapi_schema()
    ops = set()
    for path, methods in schema["paths"].items():
        for method in methods:
            ops.add(f"{method.upper()} {path}")
    return ops


def test_every_url_and_endpoint_is_in_the_matrix():
    covered = {case.key for case in CASES}
    missing_urls = sorted(_url_names() - covered)
    missing_api = sorted(_api_operations() - covered - API_EXEMPT)
    assert not missing_urls, f"URLs with no permission-matrix case: {missing_urls}"
    assert not missing_api, f"API operations with no permission-matrix case: {missing_api}"


def test_api_docs_are_public(client):
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=[c.describe() for c in CASES])
def test_permission_matrix(case: Case, persona: str, client_for, world):
    client = client_for(persona)
    url = case.url(world)
    data = case.data(world) if callable(case.data) else case.data
    kwargs = {}
    if case.json:
        kwargs["content_type"] = "application/json"
        import json

        data = json.dumps(data or {})
    response = (
        getattr(client, case.method)(url, data, **kwargs)
        if data is not None
        else (getattr(client, case.method)(url, **kwargs))
    )
    expected = case.expected_for(persona)
    assert response.status_code == expected, (
        f"{persona} {case.method.upper()} {url}: got {response.status_code}, expected {expected}"
    )
