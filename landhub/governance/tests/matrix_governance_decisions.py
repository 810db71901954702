"""Permission matrix of decisions, votes and advice.

The steering committee's records are open to the network (public summaries), so every
signed-in member reads its decisions, the register and the advice asked on them; anyone reads
the public summaries. Only its officers and hub staff (hana; the world's chair and secretary
are not personas) propose, edit, open, close, record and withdraw, and ask for advice; only
the LLAG's officers and hub staff answer it (lena, a member, may not). Votes and conflict
declarations are for the body's voting seats: sofia, and pablo her alternate (by written
procedure he may vote for her while she has not). Hub staff hold no seat: they may not vote,
and have no seat to recuse (a field message, not a refusal).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from landhub.core.matrix import PERSONAS, REDIRECT, UNAUTH, Case, only, signed_in

STAFF = {"hana"}
VOTERS = {"sofia", "pablo"}


def _gov(w):
    from landhub.governance.testing import governance_world

    return governance_world(w)


def _decision(w, title, *, method="vote", opened=False):
    """A decision of the steering committee by written procedure, proposed by its secretary
    (opened for a vote when ``opened``)."""
    from landhub.governance import services
    from landhub.governance.models import Decision

    found = Decision.objects.filter(title=title).first()
    if found is not None:
        return found
    gov = _gov(w)
    decision = services.decision_propose(actor=gov.sam, body=gov.sc, title=title,
                                         text="Matrix text.", method=method)  # fmt: skip
    if opened:
        decision = services.vote_open(actor=gov.sam, decision=decision,
                                      version=decision.version,
                                      closes_at=timezone.now() + dt.timedelta(days=2))  # fmt: skip
    return decision


def PROPOSED(w):  # noqa: N802 - reads like the other matrices' constants
    return _decision(w, "Matrix decision").pk


def VOTING(w):  # noqa: N802
    return _decision(w, "Matrix vote", opened=True).pk


def CONSENSUS(w):  # noqa: N802
    return _decision(w, "Matrix consensus", method="consensus").pk


def _advice(w):
    from landhub.governance import services
    from landhub.governance.models import AdviceRequest

    found = AdviceRequest.objects.filter(question="Matrix question?").first()
    if found is not None:
        return found
    gov = _gov(w)
    decision = _decision(w, "Matrix decision")
    return services.advice_request_create(actor=gov.sam, adviser=gov.llag, decision=decision,
                                          question="Matrix question?")  # fmt: skip


def ADVICE(w):  # noqa: N802
    return _advice(w).pk


def url(name, *args, query=""):
    def build(w):
        path = reverse(f"governance:{name}", args=[a(w) if callable(a) else a for a in args])
        return path + (query(w) if callable(query) else query)

    return build


def _version(builder):
    def data(w, **extra):
        from landhub.governance.models import Decision

        return {"version": Decision.objects.get(pk=builder(w)).version, **extra}

    return data


def _closes(w):
    return (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")


def _decision_form(w, **extra):
    return {"title": "Matrix proposal", "text": "Proposed.", "method": "vote",
            "threshold": "majority", **extra}  # fmt: skip


def _gov_body(w):
    _gov(w)
    return "?body=steering-committee"


def _on_decision(w):
    return f"?decision={PROPOSED(w)}"


def _llag_pk(w):
    return _gov(w).llag.pk


EVERYONE = dict.fromkeys(PERSONAS, 200)
VOTE = {**only(VOTERS, yes=REDIRECT)}
CONFLICT_PAGE = {**only(VOTERS, yes=REDIRECT), "hana": 400}

PAGES = [
    Case("governance:decision_list", url("decision_list"), expect=signed_in()),
    Case("governance:decision_export", url("decision_export", "csv"), expect=signed_in()),
    Case("governance:decision_export", url("decision_export", "xlsx"), expect=signed_in(),
         label="xlsx"),
    Case("governance:decision_public", url("decision_public"), expect=EVERYONE),
    Case("governance:decision_create", url("decision_create", query=_gov_body),
         expect=only(STAFF)),
    Case("governance:decision_create", url("decision_create", query=_gov_body), method="post",
         data=_decision_form, expect=only(STAFF, yes=REDIRECT)),
    Case("governance:decision_detail", url("decision_detail", PROPOSED), expect=signed_in()),
    Case("governance:decision_detail", url("decision_detail", VOTING), expect=signed_in(),
         label="voting"),
    Case("governance:decision_edit", url("decision_edit", PROPOSED), expect=only(STAFF)),
    Case("governance:decision_edit", url("decision_edit", PROPOSED), method="post",
         data=lambda w: _decision_form(w, **_version(PROPOSED)(w)),
         expect=only(STAFF, yes=REDIRECT)),
    Case("governance:decision_open", url("decision_open", PROPOSED), method="post",
         data=lambda w: _version(PROPOSED)(w, closes_at=_closes(w)),
         expect=only(STAFF, yes=REDIRECT)),
    Case("governance:decision_vote", url("decision_vote", VOTING), method="post",
         data={"choice": "yes"}, expect=VOTE),
    Case("governance:decision_close", url("decision_close", VOTING), method="post",
         data=_version(VOTING), expect=only(STAFF, yes=REDIRECT)),
    Case("governance:decision_record", url("decision_record", CONSENSUS), method="post",
         data=lambda w: _version(CONSENSUS)(w, adopted="1"), expect=only(STAFF, yes=REDIRECT)),
    Case("governance:decision_withdraw", url("decision_withdraw", PROPOSED), method="post",
         data=_version(PROPOSED), expect=only(STAFF, yes=REDIRECT)),
    Case("governance:decision_conflict", url("decision_conflict", VOTING), method="post",
         data={"nature": "I advise the grantee."}, expect=CONFLICT_PAGE),
    Case("governance:advice_create", url("advice_create", query=_on_decision),
         expect=only(STAFF)),
    Case("governance:advice_create", url("advice_create", query=_on_decision), method="post",
         data=lambda w: {"adviser": _llag_pk(w), "question": "What do you advise?"},
         expect=only(STAFF, yes=REDIRECT)),
    Case("governance:advice_detail", url("advice_detail", ADVICE), expect=signed_in()),
    Case("governance:advice_give", url("advice_give", ADVICE), method="post",
         data=lambda w: {"recommendation": "support", "advice": "Go ahead.",
                         "version": _advice(w).version},
         expect=only(STAFF, yes=REDIRECT)),
    Case("governance:advice_decline", url("advice_decline", ADVICE), method="post",
         data=lambda w: {"reason": "Not ours.", "version": _advice(w).version},
         expect=only(STAFF, yes=REDIRECT)),
    Case("governance:body_advice", url("body_advice", lambda w: _gov(w).llag.slug),
         expect=signed_in()),
    Case("governance:body_advice_csv", url("body_advice_csv", lambda w: _gov(w).llag.slug),
         expect=signed_in()),
]  # fmt: skip

API = "/api/v1/governance"
API_USERS = {**signed_in(), "anonymous": UNAUTH}


def _api(allowed: set[str], *, yes=200, **extra) -> dict:
    return {**only(allowed, yes=yes, anonymous=UNAUTH), **extra}


def _api_decision(w):
    _gov(w)
    return {"body": "steering-committee", "title": "API proposal", "text": "Proposed.",
            "method": "vote"}  # fmt: skip


def _api_closes(w):
    return (timezone.now() + dt.timedelta(days=3)).isoformat()


API_CASES = [
    Case(f"GET {API}/decisions", lambda w: f"{API}/decisions", expect=API_USERS),
    Case(f"POST {API}/decisions", lambda w: f"{API}/decisions", method="post", json=True,
         data=_api_decision, expect=_api(STAFF, yes=201)),
    Case(f"GET {API}/decisions/public", lambda w: f"{API}/decisions/public", expect=EVERYONE),
    Case(f"GET {API}/decisions/{{decision_id}}", lambda w: f"{API}/decisions/{PROPOSED(w)}",
         expect=API_USERS),
    Case(f"PATCH {API}/decisions/{{decision_id}}", lambda w: f"{API}/decisions/{PROPOSED(w)}",
         method="patch", json=True,
         data=lambda w: _version(PROPOSED)(w, title="Matrix decision (API)"),
         expect=_api(STAFF)),
    Case(f"POST {API}/decisions/{{decision_id}}/open",
         lambda w: f"{API}/decisions/{PROPOSED(w)}/open", method="post", json=True,
         data=lambda w: _version(PROPOSED)(w, closes_at=_api_closes(w)), expect=_api(STAFF)),
    Case(f"POST {API}/decisions/{{decision_id}}/votes",
         lambda w: f"{API}/decisions/{VOTING(w)}/votes", method="post", json=True,
         data={"choice": "no", "comment": "Not yet."}, expect=_api(VOTERS, yes=201)),
    Case(f"POST {API}/decisions/{{decision_id}}/close",
         lambda w: f"{API}/decisions/{VOTING(w)}/close", method="post", json=True,
         data=_version(VOTING), expect=_api(STAFF)),
    Case(f"POST {API}/decisions/{{decision_id}}/record",
         lambda w: f"{API}/decisions/{CONSENSUS(w)}/record", method="post", json=True,
         data=lambda w: _version(CONSENSUS)(w, adopted=True), expect=_api(STAFF)),
    Case(f"POST {API}/decisions/{{decision_id}}/withdraw",
         lambda w: f"{API}/decisions/{PROPOSED(w)}/withdraw", method="post", json=True,
         data=_version(PROPOSED), expect=_api(STAFF)),
    Case(f"POST {API}/decisions/{{decision_id}}/conflicts",
         lambda w: f"{API}/decisions/{VOTING(w)}/conflicts", method="post", json=True,
         data={"nature": "I advise the grantee."}, expect=_api(VOTERS, yes=201, hana=422)),
    Case(f"POST {API}/advice", lambda w: f"{API}/advice", method="post", json=True,
         data=lambda w: {"adviser": "llag", "decision": PROPOSED(w), "question": "Advise?"},
         expect=_api(STAFF, yes=201)),
    Case(f"GET {API}/advice/{{advice_id}}", lambda w: f"{API}/advice/{ADVICE(w)}",
         expect=API_USERS),
    Case(f"POST {API}/advice/{{advice_id}}/give", lambda w: f"{API}/advice/{ADVICE(w)}/give",
         method="post", json=True,
         data=lambda w: {"version": _advice(w).version, "advice": "Go ahead.",
                         "recommendation": "support"},
         expect=_api(STAFF)),
    Case(f"POST {API}/advice/{{advice_id}}/decline",
         lambda w: f"{API}/advice/{ADVICE(w)}/decline", method="post", json=True,
         data=lambda w: {"version": _advice(w).version}, expect=_api(STAFF)),
]  # fmt: skip

CASES = [*PAGES, *API_CASES]
