"""Bodies and seats through the API: lists and filters, a body with its current seats and
missing core partners, people named only to signed-in readers, one voting seat per core
partner refused with the message, stale versions answered 409."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

API = "/api/v1/governance"


def test_list_and_detail(gov, client_for, client):
    data = client.get(f"{API}/bodies", {"kind": "advisory"}).json()
    assert [b["slug"] for b in data["items"]] == ["llag"]
    assert data["items"][0]["advises"] == "steering-committee"
    detail = client_for("nora").get(f"{API}/bodies/steering-committee").json()
    assert detail["one_seat_per_core_partner"] is True
    assert detail["missing_core_partners"] == []
    names = {s["person_name"] for s in detail["seats"]}
    assert {"Chidi Chair", "Sam Secretary"} <= names
    alternate = next(s for s in detail["seats"] if s["role"] == "alternate")
    assert alternate["principal"] == gov.seats.sofia.pk
    public = client.get(f"{API}/bodies/steering-committee").json()
    assert {s["person_name"] for s in public["seats"]} == {""}  # people are never public
    assert client.get(f"{API}/bodies/no-such-body").status_code == 404


def test_second_voting_seat_refused_through_the_api(gov, client_for, world):
    client = client_for("hana")
    answer = client.post(f"{API}/bodies/steering-committee/seats", {
        "person": world.nora.email, "organization": gov.orgs[0].slug, "role": "voting",
        "term_start": "2026-01-01"}, content_type="application/json")  # fmt: skip
    assert answer.status_code == 422
    message = answer.json()["errors"]["organization"][0]
    assert "already holds a voting seat on Steering Committee" in message
    alternate = client.post(f"{API}/bodies/steering-committee/seats", {
        "person": world.nora.email, "organization": gov.orgs[0].slug, "role": "alternate",
        "principal": gov.seats.sofia.pk, "term_start": "2026-01-01"},
        content_type="application/json")  # fmt: skip
    assert alternate.status_code == 201


def test_ending_a_seat_shows_the_missing_partner(gov, client_for):
    client = client_for("hana")
    seat = gov.seats.members[0]
    answer = client.post(f"{API}/seats/{seat.pk}/end",
                         {"version": seat.version, "term_end": "2025-06-30"},
                         content_type="application/json")  # fmt: skip
    assert answer.status_code == 200
    assert answer.json()["missing_core_partners"] == [seat.organization.slug]


def test_create_and_patch_a_body_with_409(gov, client_for):
    client = client_for("hana")
    created = client.post(f"{API}/bodies", {"name": "Comms Working Group",
                                             "kind": "working_group", "mandate": "Outreach.",
                                             "advises": "steering-committee"},
                          content_type="application/json")  # fmt: skip
    assert created.status_code == 201
    body = created.json()
    assert body["slug"] == "comms-working-group" and body["advises"] == "steering-committee"
    bad = client.post(f"{API}/bodies", {"name": "X", "kind": "club", "mandate": "",
                                         "time_zone": "Nowhere"},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 422
    assert {"kind", "mandate", "time_zone"} <= set(bad.json()["errors"])
    url = f"{API}/bodies/comms-working-group"
    ok = client.patch(url, {"version": body["version"], "mandate": "Outreach and press."},
                      content_type="application/json")  # fmt: skip
    assert ok.status_code == 200
    stale = client.patch(url, {"version": body["version"], "mandate": "Mine."},
                         content_type="application/json")  # fmt: skip
    assert stale.status_code == 409
    nulled = client.patch(url, {"version": ok.json()["version"], "kind": None},
                          content_type="application/json")  # fmt: skip
    assert nulled.status_code == 422


def test_writes_refused_to_members(gov, client_for):
    client = client_for("sofia")
    assert client.post(f"{API}/bodies", {"name": "Mine", "kind": "working_group",
                                          "mandate": "x"},
                       content_type="application/json").status_code == 403  # fmt: skip
    seat = gov.seats.sofia
    assert client.patch(f"{API}/seats/{seat.pk}", {"version": seat.version, "role": "chair"},
                        content_type="application/json").status_code == 403  # fmt: skip


def test_list_bounded_queries(gov, client_for, django_assert_max_num_queries):
    client = client_for("sofia")
    with django_assert_max_num_queries(12):
        assert client.get(f"{API}/bodies").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(f"{API}/bodies/steering-committee").status_code == 200
