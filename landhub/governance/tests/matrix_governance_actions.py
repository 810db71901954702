"""Permission matrix of action items.

The action is the steering committee's (records open to the network), owned by **sofia**:
every signed-in member reads it and the list; hub staff (and the committee's officers, none
of them a persona) record, edit and archive actions; its owner sofia and hub staff move its
status; the others get a 403 for what they may read but not change.
"""

from __future__ import annotations

from django.urls import reverse

from landhub.core.matrix import REDIRECT, UNAUTH, Case, only, signed_in

STAFF = {"hana"}
STATUS = {"hana", "sofia"}


def _action(w):
    import datetime as dt

    from landhub.governance import services
    from landhub.governance.models import ActionItem
    from landhub.governance.testing import governance_world

    gov = governance_world(w)
    return ActionItem.objects.filter(title="Matrix action").first() or services.action_create(
        actor=w.hana, body=gov.sc, title="Matrix action", due_on=dt.date(2026, 6, 1),
        owner=w.people["sofia"],
    )  # fmt: skip


def AID(w):  # noqa: N802 - reads like the other matrices' constants
    return _action(w).pk


def _sc(w):
    from landhub.governance.testing import governance_world

    return governance_world(w).sc.slug


def _form(w):
    return {"title": "Matrix new action", "due_on": "2026-07-01",
            "owner": w.people["sofia"].email}  # fmt: skip


PAGES = [
    Case("governance:action_list", lambda w: reverse("governance:action_list"),
         expect=signed_in()),
    Case("governance:action_export_csv", lambda w: reverse("governance:action_export_csv"),
         expect=signed_in()),
    Case("governance:action_create",
         lambda w: reverse("governance:action_create") + f"?body={_sc(w)}", expect=only(STAFF)),
    Case("governance:action_create",
         lambda w: reverse("governance:action_create") + f"?body={_sc(w)}", method="post",
         data=_form, expect=only(STAFF, yes=REDIRECT)),
    Case("governance:action_detail", lambda w: reverse("governance:action_detail",
                                                       args=[AID(w)]), expect=signed_in()),
    Case("governance:action_edit", lambda w: reverse("governance:action_edit", args=[AID(w)]),
         expect=only(STAFF)),
    Case("governance:action_edit", lambda w: reverse("governance:action_edit", args=[AID(w)]),
         method="post", data=lambda w: {**_form(w), "version": _action(w).version},
         expect=only(STAFF, yes=REDIRECT)),
    Case("governance:action_status",
         lambda w: reverse("governance:action_status", args=[AID(w)]), method="post",
         data=lambda w: {"status": "in_progress", "version": _action(w).version},
         expect=only(STATUS, yes=REDIRECT)),
    Case("governance:action_archive",
         lambda w: reverse("governance:action_archive", args=[AID(w)]), method="post",
         data=lambda w: {"version": _action(w).version}, expect=only(STAFF, yes=REDIRECT)),
]  # fmt: skip

API = "/api/v1/governance"
API_USERS = {**signed_in(), "anonymous": UNAUTH}

API_CASES = [
    Case(f"GET {API}/actions", lambda w: f"{API}/actions", expect=API_USERS),
    Case(f"POST {API}/actions", lambda w: f"{API}/actions", method="post", json=True,
         data=lambda w: {"title": "API action", "body": _sc(w), "due_on": "2026-07-01",
                         "owner": w.people["sofia"].pk},
         expect=only(STAFF, yes=201, anonymous=UNAUTH)),
    Case(f"GET {API}/actions/{{action_id}}", lambda w: f"{API}/actions/{AID(w)}",
         expect=API_USERS),
    Case(f"PATCH {API}/actions/{{action_id}}", lambda w: f"{API}/actions/{AID(w)}",
         method="patch", json=True,
         data=lambda w: {"version": _action(w).version, "title": "Matrix action (API)"},
         expect=only(STAFF, anonymous=UNAUTH)),
    Case(f"POST {API}/actions/{{action_id}}/status", lambda w: f"{API}/actions/{AID(w)}/status",
         method="post", json=True, data={"status": "in_progress"},
         expect=only(STATUS, anonymous=UNAUTH)),
]  # fmt: skip

CASES = [*PAGES, *API_CASES]
