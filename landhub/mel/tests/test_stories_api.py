"""Most significant change, the API: stories (list with filters, detail, create, update with
409, consent, archive), rounds (create, add stories, select, close) and the list
communications reads."""

from __future__ import annotations

import json

import pytest

from landhub.mel.models import Story

from .test_stories import make_msc

pytestmark = pytest.mark.django_db


@pytest.fixture
def msc(world):
    return make_msc(world)


def _json(client, method, url, data=None):
    response = getattr(client, method)(url, data=json.dumps(data) if data is not None else None,
                                       content_type="application/json")  # fmt: skip
    return response.status_code, (response.json() if response.content else None)


def test_the_api_lists_and_filters_stories_by_visibility(client_for, world, msc):
    lena = client_for("lena")
    status, body = _json(lena, "get", "/api/v1/mel/stories?sort=title")
    assert status == 200 and body["count"] == 3
    assert [s["title"] for s in body["items"]] == ["A spring flows again", "A youth tree nursery",
                                                   "Terraces of 2024"]  # fmt: skip
    assert body["items"][0]["landscape"] == world.landscape.slug
    status, body = _json(lena, "get", "/api/v1/mel/stories?tag=msc-water&limit=1")
    assert body["count"] == 1 and body["items"][0]["consent"] == "named"
    status, body = _json(client_for("hana"), "get", "/api/v1/mel/stories?domain=institutions")
    assert [s["title"] for s in body["items"]] == ["A quiet by-law"]
    assert _json(lena, "get", f"/api/v1/mel/stories/{msc.hidden.pk}")[0] == 404
    status, body = _json(lena, "get", f"/api/v1/mel/stories/{msc.spring.pk}")
    assert status == 200 and body["tags"] == ["msc-water"] and body["rounds"] == []
    assert _json(lena, "get", "/api/v1/mel/stories?limit=1000")[0] == 422
    assert client_for("anonymous").get("/api/v1/mel/stories").status_code == 401


def test_the_api_collects_and_edits_a_story_with_versions(client_for, world, msc):
    lena = client_for("lena")
    payload = {"title": "Bees in the coffee", "landscape": world.landscape.slug,
               "storyteller": "Grace", "domain": "markets_and_finance", "told_on": "2025-10-01",
               "story": "Honey pays school fees.", "why_significant": "A second income.",
               "offerings": [world.offering.slug], "tags": ["msc-water"]}  # fmt: skip
    status, body = _json(lena, "post", "/api/v1/mel/stories", {**payload, "tags": ["nope"]})
    assert status == 422 and body["errors"] == {"tags": ["Unknown: nope"]}
    status, body = _json(lena, "post", "/api/v1/mel/stories",
                         {**payload, "landscape": world.restricted_landscape.slug})  # fmt: skip
    assert status == 422 and "landscape" in body["errors"]  # she may not even see it
    status, body = _json(lena, "post", "/api/v1/mel/stories", {**payload, "visibility": "public"})
    assert status == 422 and "consented to publication" in body["errors"]["visibility"][0]
    status, body = _json(lena, "post", "/api/v1/mel/stories", payload)
    assert status == 201 and body["offerings"] == [world.offering.slug] and body["version"] == 1
    url = f"/api/v1/mel/stories/{body['id']}"
    status, body = _json(lena, "patch", url, {"version": 1, "title": "Bees and coffee",
                                              "story": "Honey pays the fees."})  # fmt: skip
    assert status == 200 and body["title"] == "Bees and coffee" and body["version"] == 2
    assert body["story"] == "Honey pays the fees."
    status, body = _json(lena, "patch", url, {"version": 1, "title": "Stale"})
    assert status == 409 and body["current"]["title"] == "Bees and coffee"
    status, body = _json(lena, "patch", url, {"version": 2, "title": None})
    assert status == 422 and body["errors"] == {"title": ["This field cannot be null."]}
    assert _json(client_for("nora"), "patch", url, {"version": 2, "title": "x"})[0] == 403
    status, body = _json(lena, "post", f"{url}/consent", {"version": 2, "consent": "anonymous",
                                                          "recorded_on": "2025-10-02"})  # fmt: skip
    assert status == 200 and body["consent"] == "anonymous" and body["version"] == 3
    status, body = _json(lena, "post", f"{url}/consent", {"version": 3, "consent": "named"})
    assert status == 422 and "consent_recorded_on" in body["errors"]
    status, body = _json(lena, "post", f"{url}/archive", {"version": 3})
    assert status == 200 and body["archived"] is True
    assert _json(lena, "post", f"{url}/archive", {"version": 3, "archived": False})[0] == 409


def test_the_api_runs_a_round_and_feeds_communications(client_for, world, msc):
    hana, lena = client_for("hana"), client_for("lena")
    status, body = _json(hana, "post", "/api/v1/mel/rounds", {
        "title": "LLAG 2025", "panel_name": "LLAG", "panel": ["lena@example.org"],
        "period_start": "2025-01-01", "period_end": "2025-12-31"})  # fmt: skip
    assert status == 201 and body["story_count"] == 2 and body["panel"] == ["lena@example.org"]
    url = f"/api/v1/mel/rounds/{body['id']}"
    status, body = _json(hana, "post", "/api/v1/mel/rounds", {
        "title": "Bad", "panel_name": "LLAG", "panel": ["ghost@example.org"],
        "period_start": "2025-12-31", "period_end": "2025-01-01"})  # fmt: skip
    assert status == 422 and body["errors"]["panel"] == ["Nobody signs in with: ghost@example.org"]
    status, body = _json(hana, "post", f"{url}/stories", {"stories": [msc.old.pk]})
    assert status == 200 and body["story_count"] == 3
    status, body = _json(lena, "post", f"{url}/select", {"story": msc.spring.pk})
    assert status == 422 and body["errors"] == {"reason": ["Say why the panel selects this story."]}
    status, body = _json(lena, "post", f"{url}/select",
                         {"story": msc.spring.pk, "reason": "Water for all."})  # fmt: skip
    assert status == 200 and body["selected_count"] == 1
    assert [e["reason"] for e in body["entries"] if e["selected"]] == ["Water for all."]
    status, body = _json(lena, "post", f"{url}/select",
                         {"story": msc.nursery.pk, "reason": "Youth."})  # fmt: skip
    assert _json(lena, "post", f"{url}/close", {"version": 1})[0] == 403
    assert _json(hana, "post", f"{url}/close", {"version": 0})[0] == 409
    status, body = _json(hana, "post", f"{url}/close", {"version": 1, "notes": "Done."})
    assert status == 200 and body["status"] == "closed" and body["notes"] == "Done."
    assert _json(lena, "post", f"{url}/select", {"story": msc.old.pk, "reason": "x"})[0] == 422
    status, body = _json(client_for("nora"), "get", "/api/v1/mel/stories/for-communications")
    assert status == 200 and body["count"] == 2
    by_title = {s["title"]: s for s in body["items"]}
    assert by_title["A spring flows again"]["name_shown"] is True
    assert by_title["A spring flows again"]["storyteller"] == "Wanjiru Otieno"
    # Anonymous consent: the name is withheld by the API itself.
    assert by_title["A youth tree nursery"]["name_shown"] is False
    assert by_title["A youth tree nursery"]["storyteller"] == ""
    assert by_title["A youth tree nursery"]["selections"][0]["reason"] == "Youth."
    status, body = _json(client_for("oscar"), "get", url)
    assert status == 200 and len(body["entries"]) == 3  # closed: every member reads it
    status, body = _json(client_for("oscar"), "get", "/api/v1/mel/rounds?status=closed")
    assert body["count"] == 1
    spring = Story.objects.get(pk=msc.spring.pk)
    assert spring.selected_at is not None


def test_ids_beyond_the_databases_integers_are_not_found_not_errors(client_for, world, msc):
    hana, big = client_for("hana"), 2**70
    assert _json(hana, "get", f"/api/v1/mel/stories/{big}")[0] in (404, 422)
    assert _json(hana, "get", f"/api/v1/mel/rounds/{big}")[0] in (404, 422)
    assert hana.get(f"/mel/stories/{big}/").status_code == 404
    assert hana.get(f"/mel/rounds/{big}/").status_code == 404
    payload = {"title": "Big", "landscape": world.landscape.slug, "storyteller": "X",
               "domain": "other", "told_on": "2025-01-01", "story": "S.", "why_significant": "W.",
               "outcomes": [big], "storyteller_person": big}  # fmt: skip
    status, body = _json(hana, "post", "/api/v1/mel/stories", payload)
    assert status == 422 and "storyteller_person" in body["errors"]
    payload.pop("storyteller_person")
    status, body = _json(hana, "post", "/api/v1/mel/stories", payload)
    assert status == 422 and "outcomes" in body["errors"]
    status, body = _json(hana, "post", "/api/v1/mel/rounds", {
        "title": "R", "panel_name": "P", "period_start": "2025-01-01",
        "period_end": "2025-12-31", "add_stories": False})  # fmt: skip
    url = f"/api/v1/mel/rounds/{body['id']}"
    assert _json(hana, "post", f"{url}/stories", {"stories": [big]})[0] == 422
    assert _json(hana, "post", f"{url}/select", {"story": big, "reason": "x"})[0] == 422
    page = hana.post(f"/mel/rounds/{body['id']}/select/", {"story": big, "reason": "x"})
    assert page.status_code == 302  # back to the round with the message
