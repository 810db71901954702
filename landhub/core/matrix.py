"""The permission matrix: what every persona gets from every URL and API endpoint.

Each app lists its cases in ``<app>/tests/matrix_*.py`` as ``CASES = [Case(...), ...]``.
``core/tests/test_permission_matrix.py`` requests every case as every persona and checks the
status code, and fails when a URL or endpoint exists that no case names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = ("anonymous", "hana", "pablo", "sofia", "lena", "nora", "oscar")

# Shorthands for expected outcomes.
OK, REDIRECT, BAD, UNAUTH, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 400, 401, 403, 404, 405
CONFLICT, INVALID = 409, 422


@dataclass(frozen=True)
class Case:
    """One request and what each persona must get.

    ``key`` names what is covered: ``"directory:landscape_detail"`` for a Django URL name, or
    ``"GET /api/v1/landscapes/{slug}"`` for an API operation. ``url`` builds the URL from the
    test world. ``expect`` maps persona → status (personas left out get ``default``).
    """

    key: str
    url: Callable
    method: str = "get"
    data: Callable | dict | None = None
    expect: dict[str, int] = field(default_factory=dict)
    default: int = OK
    json: bool = False
    label: str = ""

    def expected_for(self, persona: str) -> int:
        return self.expect.get(persona, self.default)

    def describe(self) -> str:
        return f"{self.method.upper()} {self.key}{' ' + self.label if self.label else ''}"


def signed_in(status: int = OK, *, anonymous: int = REDIRECT) -> dict[str, int]:
    """Every signed-in persona gets ``status``; anonymous is sent to sign in."""
    result = dict.fromkeys(PERSONAS, status)
    result["anonymous"] = anonymous
    return result


def only(allowed: set[str], *, yes: int = OK, no: int = FORBIDDEN, anonymous: int = REDIRECT):
    result = {p: (yes if p in allowed else no) for p in PERSONAS}
    result["anonymous"] = anonymous if "anonymous" not in allowed else yes
    return result
