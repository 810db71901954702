"""Permission matrix of bodies and seats.

The steering committee is public: everyone reads the governance home, the list of bodies, its
page and its seat history (the anonymous public without people's names). Only hub staff
create, edit and archive bodies and add, edit and end seats; other signed-in personas get a
403, the anonymous public is sent to sign in (pages) or gets a 401 (API).
"""

from __future__ import annotations

from django.urls import reverse

from landhub.core.matrix import OK, REDIRECT, UNAUTH, Case, only

STAFF = {"hana"}
EVERYONE = {"anonymous": OK}


def _gov(w):
    from landhub.governance.testing import governance_world

    return governance_world(w)


def url(name, *args):
    """The URL, with the governance world built first (the bodies and seats the personas'
    rights come from)."""

    def build(w):
        _gov(w)
        return reverse(f"governance:{name}", args=[a(w) if callable(a) else a for a in args])

    return build


def SC(w):  # noqa: N802 - reads like the other matrices' constants
    return _gov(w).sc.slug


def LLAG(w):  # noqa: N802
    return _gov(w).llag.slug


def SEAT(w):  # noqa: N802 - a voting member's seat (Member2, Rainforest Test)
    return _gov(w).seats.members[0].pk


def _body_form(w, **extra):
    data = {"name": "Matrix Working Group", "kind": "working_group", "mandate": "Tests.",
            "time_zone": "UTC", "quorum": "majority", "threshold": "majority",
            "threshold_base": "cast", "tie_rule": "fails", "visibility": "network",
            "records_access": "members"}  # fmt: skip
    data.update(extra)
    return data


def _llag_form(w):
    llag = _gov(w).llag
    return _body_form(w, name=llag.name, kind=llag.kind, mandate="Edited by the matrix.",
                      advises=llag.advises_id, records_access=llag.records_access,
                      version=llag.version)  # fmt: skip


def _seat_form(w):
    return {"person": w.nora.email, "role": "observer", "term_start": "2026-01-01"}


def _seat_edit_form(w):
    seat = _gov(w).seats.members[0]
    return {"organization": seat.organization.name, "role": "voting",
            "term_start": "2025-01-01", "term_end": "2030-12-31",
            "version": seat.version}  # fmt: skip


PAGES = [
    Case("governance:home", url("home"), expect=EVERYONE),
    Case("governance:body_list", url("body_list"), expect=EVERYONE),
    Case("governance:body_export_csv", url("body_export_csv"), expect=EVERYONE),
    Case("governance:body_create", url("body_create"), expect=only(STAFF)),
    Case("governance:body_create", url("body_create"), method="post", data=_body_form,
         expect=only(STAFF, yes=REDIRECT)),
    Case("governance:body_detail", url("body_detail", SC), expect=EVERYONE),
    Case("governance:body_edit", url("body_edit", LLAG), expect=only(STAFF)),
    Case("governance:body_edit", url("body_edit", LLAG), method="post", data=_llag_form,
         expect=only(STAFF, yes=REDIRECT)),
    Case("governance:body_archive", url("body_archive", LLAG), method="post",
         data=lambda w: {"version": _gov(w).llag.version}, expect=only(STAFF, yes=REDIRECT)),
    Case("governance:body_seats", url("body_seats", SC), expect=EVERYONE),
    Case("governance:seat_create", url("seat_create", SC), expect=only(STAFF)),
    Case("governance:seat_create", url("seat_create", LLAG), method="post", data=_seat_form,
         expect=only(STAFF, yes=REDIRECT)),
    Case("governance:seat_edit", url("seat_edit", SEAT), expect=only(STAFF)),
    Case("governance:seat_edit", url("seat_edit", SEAT), method="post", data=_seat_edit_form,
         expect=only(STAFF, yes=REDIRECT)),
    Case("governance:seat_end", url("seat_end", SEAT), expect=only(STAFF)),
    Case("governance:seat_end", url("seat_end", SEAT), method="post",
         data=lambda w: {"version": _gov(w).seats.members[0].version},
         expect=only(STAFF, yes=REDIRECT)),
]  # fmt: skip

API = "/api/v1/governance"


def _api_write(*, yes=OK) -> dict:
    return only(STAFF, yes=yes, anonymous=UNAUTH)


API_CASES = [
    Case(f"GET {API}/bodies", lambda w: f"{API}/bodies", expect=EVERYONE),
    Case(f"GET {API}/bodies/{{slug}}", lambda w: f"{API}/bodies/{SC(w)}", expect=EVERYONE),
    Case(f"POST {API}/bodies", lambda w: f"{API}/bodies", method="post", json=True,
         data={"name": "API Working Group", "kind": "working_group", "mandate": "Tests."},
         expect=_api_write(yes=201)),
    Case(f"PATCH {API}/bodies/{{slug}}", lambda w: f"{API}/bodies/{LLAG(w)}", method="patch",
         json=True, data=lambda w: {"version": _gov(w).llag.version, "mandate": "API."},
         expect=_api_write()),
    Case(f"POST {API}/bodies/{{slug}}/seats", lambda w: f"{API}/bodies/{LLAG(w)}/seats",
         method="post", json=True,
         data=lambda w: {"person": w.nora.email, "role": "observer",
                         "term_start": "2026-01-01"},
         expect=_api_write(yes=201)),
    Case(f"PATCH {API}/seats/{{seat_id}}", lambda w: f"{API}/seats/{SEAT(w)}", method="patch",
         json=True,
         data=lambda w: {"version": _gov(w).seats.members[0].version,
                         "term_end": "2030-12-31"},
         expect=_api_write()),
    Case(f"POST {API}/seats/{{seat_id}}/end", lambda w: f"{API}/seats/{SEAT(w)}/end",
         method="post", json=True, data=lambda w: {"version": _gov(w).seats.members[0].version},
         expect=_api_write()),
]  # fmt: skip

CASES = [*PAGES, *API_CASES]
