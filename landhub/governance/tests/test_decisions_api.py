"""Decisions, the API: the register with filters, proposing and editing with versions (409),
opening, the caller's vote (201; a second vote, a vote after closing or by a recused seat:
422 with the reason, never a 500), closing with the tally, recording a consensus, withdrawing,
declaring a conflict, advice asked and given, and the public summaries."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from landhub.governance import services
from landhub.governance.models import Decision

from .test_decision_pages import everyone, meeting_with, open_vote

pytestmark = pytest.mark.django_db
API = "/api/v1/governance"


def call(client, method, url, data=None):
    response = getattr(client, method)(url, data=json.dumps(data) if data is not None else None,
                                       content_type="application/json")  # fmt: skip
    return response.status_code, (response.json() if response.content else None)


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_propose_edit_and_open_through_the_api(gov, world, client_for):
    hana = client_for("hana")
    payload = {"body": "steering-committee", "title": "Admit a seventh partner",
               "text": "Admitted.", "method": "vote"}  # fmt: skip
    status, body = call(hana, "post", f"{API}/decisions", {**payload, "body": "nope"})
    assert status == 422 and "body" in body["errors"]
    status, body = call(hana, "post", f"{API}/decisions", {**payload, "method": "chair"})
    assert status == 422 and "chair decide alone" in body["errors"]["method"][0]
    status, body = call(hana, "post", f"{API}/decisions", {**payload, "plan_items": [999999]})
    assert status == 422 and body["errors"] == {"plan_items": ["Unknown: 999999"]}
    status, body = call(hana, "post", f"{API}/decisions", payload)
    assert status == 201 and body["status"] == "proposed" and body["threshold"] == "majority"
    assert body["body"] == "steering-committee" and body["meeting"] is None
    assert body["rules"][0] == "Threshold: Simple majority (more than half)."
    pk, version = body["id"], body["version"]
    assert call(client_for("sofia"), "post", f"{API}/decisions", payload)[0] == 403
    status, body = call(hana, "patch", f"{API}/decisions/{pk}",
                        {"version": version, "title": "Admit a seventh core partner"})  # fmt: skip
    assert status == 200 and body["title"] == "Admit a seventh core partner"
    status, body = call(hana, "patch", f"{API}/decisions/{pk}", {"version": version, "text": "x"})
    assert status == 409 and body["current"]["title"] == "Admit a seventh core partner"
    status, body = call(hana, "patch", f"{API}/decisions/{pk}",
                        {"version": version + 1, "title": None})  # fmt: skip
    assert status == 422
    naive = call(hana, "post", f"{API}/decisions/{pk}/open",
                 {"version": version + 1, "closes_at": "2020-01-01T10:00:00"})  # fmt: skip
    assert naive[0] == 422  # no offset: read as UTC, and in the past
    past = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    status, body = call(hana, "post", f"{API}/decisions/{pk}/open",
                        {"version": version + 1, "closes_at": past})  # fmt: skip
    assert status == 422 and "closes_at" in body["errors"]
    closes = (timezone.now() + dt.timedelta(days=2)).isoformat()
    status, body = call(hana, "post", f"{API}/decisions/{pk}/open",
                        {"version": version + 1, "closes_at": closes})  # fmt: skip
    assert status == 200 and body["status"] == "voting"
    status, body = call(hana, "patch", f"{API}/decisions/{pk}",
                        {"version": body["version"], "text": "Changed after opening."})  # fmt: skip
    assert status == 422 and "fixed" in body["errors"]["__all__"][0]


def test_votes_through_the_api(gov, world, client_for):
    _meeting, item = meeting_with(gov, present=everyone(gov))
    decision = open_vote(gov, item)
    url = f"{API}/decisions/{decision.pk}/votes"
    sofia = client_for("sofia")
    status, body = call(sofia, "get", f"{API}/decisions/{decision.pk}")
    assert body["your_vote"] == {"can_vote": True, "seat": gov.seats.sofia.pk,
                                 "seat_holder": "Sofia", "as_alternate": False, "voted": "",
                                 "reason": ""}  # fmt: skip
    assert call(sofia, "post", url, {"choice": "maybe"})[0] == 422
    status, body = call(sofia, "post", url, {"choice": "yes", "comment": "Fine."})
    assert status == 201 and body["your_vote"]["voted"] == "yes"
    assert body["tally"]["votes_cast"] == 1 and body["votes"][0]["comment"] == "Fine."
    status, body = call(sofia, "post", url, {"choice": "no"})
    assert status == 422
    assert body["errors"]["__all__"] == ["This seat has already voted; each seat votes once."]
    status, body = call(client_for("pablo"), "post", url, {"choice": "no"})
    assert status == 403 and "alternate only" in body["detail"]
    assert call(client_for("nora"), "post", url, {"choice": "no"})[0] == 403
    # Network members read the decision, not who voted how.
    status, body = call(client_for("nora"), "get", f"{API}/decisions/{decision.pk}")
    assert status == 200 and body["votes"] == [] and body["your_vote"]["can_vote"] is False
    for user in (gov.chidi, *gov.members[:3]):
        call(as_user(user), "post", url, {"choice": "yes"})
    decision.refresh_from_db()
    status, body = call(client_for("hana"), "post", f"{API}/decisions/{decision.pk}/close",
                        {"version": decision.version, "casting_vote": "maybe"})  # fmt: skip
    assert status == 422 and "casting_vote" in body["errors"]
    status, body = call(client_for("hana"), "post", f"{API}/decisions/{decision.pk}/close",
                        {"version": decision.version})  # fmt: skip
    assert status == 200 and body["status"] == "adopted"
    assert body["tally"] == {"yes": 5, "no": 0, "abstain": 0, "eligible_seats": 6,
                             "present_seats": 6, "quorum_required": 4,
                             "casting_vote_used": False, "votes_cast": 5}  # fmt: skip
    assert "5 in favour" in body["result_note"]
    status, body = call(as_user(gov.members[3]), "post", url, {"choice": "yes"})
    assert status == 422 and body["errors"]["__all__"] == ["This vote is not open."]


def test_a_vote_after_closing_time_and_a_recused_seat_answer_422(gov, world, client_for):
    decision = open_vote(gov, None, hours=48)
    sofia = client_for("sofia")
    status, body = call(sofia, "post", f"{API}/decisions/{decision.pk}/conflicts",
                        {"nature": "I sit on the grantee's board."})  # fmt: skip
    assert status == 201 and body["seat"] == gov.seats.sofia.pk
    status, body = call(sofia, "post", f"{API}/decisions/{decision.pk}/votes", {"choice": "yes"})
    assert status == 422 and "conflict of interest" in body["errors"]["__all__"][0]
    status, body = call(sofia, "get", f"{API}/decisions/{decision.pk}")
    assert body["recusals"][0]["nature"] == "I sit on the grantee's board."
    assert "conflict of interest" in body["your_vote"]["reason"]
    now = timezone.now()
    Decision.objects.filter(pk=decision.pk).update(
        opens_at=now - dt.timedelta(hours=2), closes_at=now - dt.timedelta(minutes=1)
    )
    status, body = call(as_user(gov.chidi), "post", f"{API}/decisions/{decision.pk}/votes",
                        {"choice": "yes"})  # fmt: skip
    assert status == 422 and "This vote closed at" in body["errors"]["__all__"][0]


def test_record_withdraw_and_the_public_summaries(gov, world, client_for):
    hana = client_for("hana")
    decision = services.decision_propose(actor=gov.sam, body=gov.sc, title="Open the call",
                                         text="Internal text.", method="consensus",
                                         public_summary="The call opens in May.")  # fmt: skip
    status, body = call(hana, "post", f"{API}/decisions/{decision.pk}/record",
                        {"version": decision.version, "adopted": True})  # fmt: skip
    assert status == 200 and body["result_note"] == "Adopted by consensus."
    status, body = call(hana, "post", f"{API}/decisions/{decision.pk}/withdraw",
                        {"version": body["version"]})  # fmt: skip
    assert status == 422
    status, body = call(Client(), "get", f"{API}/decisions/public")
    assert status == 200 and body["count"] == 1
    assert body["items"][0] == {"id": decision.pk, "title": "Open the call",
                                "body": "Steering Committee",
                                "decided_at": body["items"][0]["decided_at"],
                                "effective_on": None,
                                "public_summary": "The call opens in May."}  # fmt: skip
    assert Client().get(f"{API}/decisions").status_code == 401
    status, body = call(client_for("sofia"), "get", f"{API}/decisions?status=adopted&sort=title")
    assert [d["title"] for d in body["items"]] == ["Open the call"]
    assert call(client_for("sofia"), "get", f"{API}/decisions?limit=1000")[0] == 422
    assert call(client_for("oscar"), "get", f"{API}/decisions/999999999999999999999")[0] in (
        404, 422)  # fmt: skip


def test_advice_through_the_api(gov, world, client_for):
    hana = client_for("hana")
    decision = services.decision_propose(actor=gov.sam, body=gov.sc, title="Landscape fee",
                                         text="A fee.", method="vote")  # fmt: skip
    status, body = call(hana, "post", f"{API}/advice", {"adviser": "llag", "question": "Fee?"})
    assert status == 422 and "decision" in body["errors"]
    status, body = call(hana, "post", f"{API}/advice",
                        {"adviser": "steering-committee", "decision": decision.pk,
                         "question": "Fee?"})  # fmt: skip
    assert status == 422 and body["errors"]["adviser"] == ["A body does not advise itself."]
    asked = {"adviser": "llag", "decision": decision.pk, "question": "Fee?"}
    status, body = call(hana, "post", f"{API}/advice", asked)
    assert status == 201 and body["status"] == "requested"
    pk, version = body["id"], body["version"]
    answer = {"version": version, "advice": "No.", "recommendation": "oppose"}
    assert call(client_for("lena"), "post", f"{API}/advice/{pk}/give", answer)[0] == 403
    chair = as_user(gov.seats.llag_chair.person.user)
    status, body = call(chair, "post", f"{API}/advice/{pk}/give",
                        {"version": version, "advice": " ", "recommendation": "maybe"})  # fmt: skip
    assert status == 422 and set(body["errors"]) == {"advice", "recommendation"}
    status, body = call(chair, "post", f"{API}/advice/{pk}/give",
                        {"version": version, "advice": "Not in year one.",
                         "recommendation": "oppose"})  # fmt: skip
    assert status == 200 and body["status"] == "given"
    status, body = call(chair, "post", f"{API}/advice/{pk}/decline", {"version": version})
    assert status == 422 and "already answered" in body["errors"]["__all__"][0]
    status, body = call(client_for("sofia"), "get", f"{API}/decisions/{decision.pk}")
    assert body["advice"][0]["recommendation"] == "oppose"
    assert body["advice"][0]["advice"] == "Not in year one."
    assert call(client_for("oscar"), "get", f"{API}/advice/{pk}")[0] == 200  # network body
