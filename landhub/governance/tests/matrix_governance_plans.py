"""Permission matrix of the strategic plan and the scaling strategy.

The plan is open to the network: every signed-in member reads it, its timeline and its CSV;
the list is public (it shows the public plans to the public); the anonymous public gets a 404
for this network plan. Only hub staff keep plans: everybody else gets a 403 for the forms and
writes of a plan they may read.
"""

from __future__ import annotations

from django.urls import reverse

from landhub.core.matrix import NOT_FOUND, PERSONAS, REDIRECT, UNAUTH, Case, only, signed_in

STAFF = {"hana"}
EVERYONE = dict.fromkeys(PERSONAS, 200)
READERS = signed_in(anonymous=NOT_FOUND)


def _plan(w):
    """A network strategic plan of 2026: a goal, an objective, a milestone tied to MX1."""
    from landhub.governance import services
    from landhub.governance.models import Plan
    from landhub.mel.models import Indicator

    found = Plan.objects.filter(title="Matrix plan").first()
    if found is not None:
        return found
    plan = services.plan_create(actor=w.hana, kind="strategic", year=2026, title="Matrix plan")
    goal = services.plan_item_create(actor=w.hana, plan=plan, level="goal", title="Matrix goal")
    objective = services.plan_item_create(actor=w.hana, plan=plan, level="objective",
                                          parent=goal, title="Matrix objective")  # fmt: skip
    milestone = services.plan_item_create(actor=w.hana, plan=plan, level="milestone",
                                          parent=objective, title="Matrix milestone")  # fmt: skip
    indicator = Indicator.objects.filter(code="MX1").first() or Indicator.objects.create(
        code="MX1", name="Matrix indicator", definition="x", measure="count", aggregation="sum"
    )
    services.milestone_tie_indicator(actor=w.hana, item=milestone, indicator=indicator)
    Indicator.objects.get_or_create(code="MX2", defaults={
        "name": "Second indicator", "definition": "x", "measure": "count",
        "aggregation": "sum"})  # fmt: skip
    return plan


def _item(w, title):
    return _plan(w).items.get(title=title)


def PID(w):  # noqa: N802 - reads like the other matrices' constants
    return _plan(w).pk


def MID(w):  # noqa: N802
    return _item(w, "Matrix milestone").pk


def OID(w):  # noqa: N802
    return _item(w, "Matrix objective").pk


def LID(w):  # noqa: N802
    return _item(w, "Matrix milestone").indicator_links.get().pk


def url(name, *args):
    return lambda w: reverse(f"governance:{name}", args=[a(w) if callable(a) else a for a in args])


def _plan_form(w):
    return {"kind": "scaling", "year": 2030, "title": "Matrix scaling", "visibility": "network"}


PAGES = [
    Case("governance:plan_list", url("plan_list"), expect=EVERYONE),
    Case("governance:plan_list_csv", url("plan_list_csv"), expect=EVERYONE),
    Case("governance:plan_create", url("plan_create"), expect=only(STAFF)),
    Case("governance:plan_create", url("plan_create"), method="post", data=_plan_form,
         expect=only(STAFF, yes=REDIRECT)),
    Case("governance:plan_detail", url("plan_detail", PID), expect=READERS),
    Case("governance:plan_timeline", url("plan_timeline", PID), expect=READERS),
    Case("governance:plan_export_csv", url("plan_export_csv", PID), expect=READERS),
    Case("governance:plan_edit", url("plan_edit", PID), expect=only(STAFF)),
    Case("governance:plan_edit", url("plan_edit", PID), method="post",
         data=lambda w: {"year": 2026, "title": "Matrix plan (edited)", "visibility": "network",
                         "version": _plan(w).version},
         expect=only(STAFF, yes=REDIRECT)),
    Case("governance:plan_new_version", url("plan_new_version", PID), method="post",
         data={"year": 2031}, expect=only(STAFF, yes=REDIRECT)),
    Case("governance:plan_adopt", url("plan_adopt", PID), method="post",
         data=lambda w: {"version": _plan(w).version}, expect=only(STAFF, yes=REDIRECT)),
    Case("governance:plan_item_create", url("plan_item_create", PID), expect=only(STAFF)),
    Case("governance:plan_item_create", url("plan_item_create", PID), method="post",
         data={"level": "goal", "title": "Matrix goal 2", "status": "not_started"},
         expect=only(STAFF, yes=REDIRECT)),
    Case("governance:plan_item_edit", url("plan_item_edit", MID), expect=only(STAFF)),
    Case("governance:plan_item_edit", url("plan_item_edit", MID), method="post",
         data=lambda w: {"title": "Matrix milestone (edited)", "status": "on_track",
                         "version": _item(w, "Matrix milestone").version},
         expect=only(STAFF, yes=REDIRECT)),
    Case("governance:plan_item_move", url("plan_item_move", OID), method="post",
         data=lambda w: {"move-parent": _item(w, "Matrix goal").pk, "move-position": 1},
         expect=only(STAFF, yes=REDIRECT)),
    Case("governance:plan_item_archive", url("plan_item_archive", MID), method="post",
         expect=only(STAFF, yes=REDIRECT)),
    Case("governance:plan_item_tie", url("plan_item_tie", MID), method="post",
         data={"indicator": "MX2"}, expect=only(STAFF, yes=REDIRECT)),
    Case("governance:plan_item_untie", url("plan_item_untie", MID, LID), method="post",
         expect=only(STAFF, yes=REDIRECT)),
]  # fmt: skip

API = "/api/v1/governance"


def _api(allowed=STAFF, *, yes=200) -> dict:
    return only(allowed, yes=yes, anonymous=UNAUTH)


API_CASES = [
    Case(f"GET {API}/plans", lambda w: f"{API}/plans", expect=EVERYONE),
    Case(f"POST {API}/plans", lambda w: f"{API}/plans", method="post", json=True,
         data=_plan_form, expect=_api(yes=201)),
    Case(f"GET {API}/plans/{{plan_id}}", lambda w: f"{API}/plans/{PID(w)}", expect=READERS),
    Case(f"PATCH {API}/plans/{{plan_id}}", lambda w: f"{API}/plans/{PID(w)}", method="patch",
         json=True, data=lambda w: {"version": _plan(w).version, "title": "Matrix plan (API)"},
         expect=_api()),
    Case(f"POST {API}/plans/{{plan_id}}/versions", lambda w: f"{API}/plans/{PID(w)}/versions",
         method="post", json=True, data={"year": 2032}, expect=_api(yes=201)),
    Case(f"POST {API}/plans/{{plan_id}}/adopt", lambda w: f"{API}/plans/{PID(w)}/adopt",
         method="post", json=True, data={}, expect=_api()),
    Case(f"POST {API}/plans/{{plan_id}}/items", lambda w: f"{API}/plans/{PID(w)}/items",
         method="post", json=True, data={"level": "goal", "title": "API goal"},
         expect=_api(yes=201)),
    Case(f"PATCH {API}/plan-items/{{item_id}}", lambda w: f"{API}/plan-items/{MID(w)}",
         method="patch", json=True,
         data=lambda w: {"version": _item(w, "Matrix milestone").version, "progress": 30},
         expect=_api()),
    Case(f"POST {API}/plan-items/{{item_id}}/indicators",
         lambda w: f"{API}/plan-items/{MID(w)}/indicators", method="post", json=True,
         data={"indicator": "MX2"}, expect=_api(yes=201)),
    Case(f"DELETE {API}/plan-items/{{item_id}}/indicators/{{link_id}}",
         lambda w: f"{API}/plan-items/{MID(w)}/indicators/{LID(w)}", method="delete",
         expect=_api(yes=204)),
]  # fmt: skip

CASES = [*PAGES, *API_CASES]
