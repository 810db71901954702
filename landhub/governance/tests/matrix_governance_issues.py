"""Permission matrix of key issues.

The steering committee's records are open to the network, so every signed-in persona reads
its issue, the register and the exports; the anonymous public reads none (pages send to
sign in, the API answers 401). Seat holders (pablo, sofia, lena) and hub staff raise issues;
the issue's author (sofia, while it is raised) and hub staff edit and archive it; hub staff
move it on (the committee's officers are not personas). A **confidential** issue is read by
the committee's members (sofia, pablo) and hub staff only: a 404 for everybody else.
"""

from __future__ import annotations

from django.urls import reverse

from landhub.core.matrix import NOT_FOUND, REDIRECT, UNAUTH, Case, only, signed_in

STAFF = {"hana"}
RAISERS = {"hana", "pablo", "sofia", "lena"}
EDITORS = {"hana", "sofia"}


def _gov(w):
    from landhub.governance.testing import governance_world

    return governance_world(w)


def _issue(w, *, confidential: bool = False):
    """An issue sofia raised to the steering committee (open to the network), or a
    confidential one."""
    from landhub.governance import services
    from landhub.governance.models import KeyIssue

    title = "Matrix confidential issue" if confidential else "Matrix issue"
    found = KeyIssue.objects.filter(title=title).first()
    if found is not None:
        return found
    gov = _gov(w)
    return services.issue_raise(
        actor=w.sofia, body=gov.sc, title=title, background="Why it matters.",
        confidential=confidential,
        evidence=[{"path": "/mel/dashboards/", "label": "MEL dashboards"}],
    )  # fmt: skip


def IID(w):  # noqa: N802 - reads like the other matrices' constants
    return _issue(w).pk


def CID(w):  # noqa: N802
    return _issue(w, confidential=True).pk


def url(name, *args):
    """The URL, with the governance world built first (the bodies and seats the personas'
    rights come from)."""

    def build(w):
        _gov(w)
        return reverse(f"governance:{name}", args=[a(w) if callable(a) else a for a in args])

    return build


def _issue_form(w):
    return {"body": _gov(w).sc.pk, "title": "Matrix raised issue", "background": "Because.",
            "urgency": "normal", "evidence_path": ["/mel/dashboards/"],
            "evidence_label": ["MEL dashboards"]}  # fmt: skip


def _edit_form(w):
    issue = _issue(w)
    return {"title": "Matrix issue (edited)", "background": "Because.", "urgency": "high",
            "version": issue.version}  # fmt: skip


CONFIDENTIAL_READERS = {"hana": 200, "sofia": 200, "pablo": 200, "lena": NOT_FOUND,
                        "nora": NOT_FOUND, "oscar": NOT_FOUND, "anonymous": REDIRECT}  # fmt: skip

PAGES = [
    Case("governance:issue_list", url("issue_list"), expect=signed_in()),
    Case("governance:issue_export", url("issue_export", "csv"), expect=signed_in()),
    Case("governance:issue_export", url("issue_export", "xlsx"), expect=signed_in(),
         label="xlsx"),
    Case("governance:issue_create", url("issue_create"), expect=only(RAISERS)),
    Case("governance:issue_create", url("issue_create"), method="post", data=_issue_form,
         expect=only(RAISERS, yes=REDIRECT)),
    Case("governance:issue_detail", url("issue_detail", IID), expect=signed_in()),
    Case("governance:issue_detail", url("issue_detail", CID), expect=CONFIDENTIAL_READERS,
         label="confidential"),
    Case("governance:issue_edit", url("issue_edit", IID), expect=only(EDITORS)),
    Case("governance:issue_edit", url("issue_edit", IID), method="post", data=_edit_form,
         expect=only(EDITORS, yes=REDIRECT)),
    Case("governance:issue_transition", url("issue_transition", IID), method="post",
         data=lambda w: {"status": "scheduled", "version": _issue(w).version},
         expect=only(STAFF, yes=REDIRECT)),
    Case("governance:issue_transition", url("issue_transition", IID), method="post",
         data=lambda w: {"status": "closed", "note": "Withdrawn.", "version": _issue(w).version},
         expect=only(EDITORS, yes=REDIRECT), label="withdraw"),  # hub staff, the raiser
    Case("governance:issue_archive", url("issue_archive", IID), method="post",
         data=lambda w: {"version": _issue(w).version}, expect=only(EDITORS, yes=REDIRECT)),
]  # fmt: skip

API = "/api/v1/governance"
API_READERS = {**signed_in(), "anonymous": UNAUTH}

API_CASES = [
    Case(f"GET {API}/issues", lambda w: f"{API}/issues", expect=API_READERS),
    Case(f"POST {API}/issues", lambda w: f"{API}/issues", method="post", json=True,
         data=lambda w: {"body": _gov(w).sc.slug, "title": "API issue", "background": "Why.",
                         "evidence": [{"path": "/mel/dashboards/", "label": "MEL"}]},
         expect=only(RAISERS, yes=201, anonymous=UNAUTH)),
    Case(f"GET {API}/issues/{{issue_id}}", lambda w: f"{API}/issues/{IID(w)}",
         expect=API_READERS),
    Case(f"GET {API}/issues/{{issue_id}}", lambda w: f"{API}/issues/{CID(w)}",
         expect={**CONFIDENTIAL_READERS, "anonymous": UNAUTH}, label="confidential"),
    Case(f"PATCH {API}/issues/{{issue_id}}", lambda w: f"{API}/issues/{IID(w)}",
         method="patch", json=True,
         data=lambda w: {"version": _issue(w).version, "urgency": "urgent"},
         expect=only(EDITORS, anonymous=UNAUTH)),
    Case(f"POST {API}/issues/{{issue_id}}/transition",
         lambda w: f"{API}/issues/{IID(w)}/transition", method="post", json=True,
         data=lambda w: {"version": _issue(w).version, "status": "scheduled"},
         expect=only(STAFF, anonymous=UNAUTH)),
]  # fmt: skip

CASES = [*PAGES, *API_CASES]
