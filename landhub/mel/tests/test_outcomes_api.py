"""The outcomes API: the register with filters and paging, create with names of related
records, change with 409 on a stale version, the transitions, and the dashboard's counts."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group

from landhub.mel.models import OutcomeStatement
from landhub.mel.rules import REVIEWERS_GROUP

pytestmark = pytest.mark.django_db

URL = "/api/v1/mel/outcomes"

NEW = {
    "title": "Ministry adopts an ILM policy", "description": "A national policy.",
    "actor_name": "Ministry of Environment", "actor_type": "government",
    "change_type": "policy", "domain": "government_policy", "occurred_on": "2025-04-02",
    "landscapes": ["kenya-highlands"], "countries": ["ke"],
    "contribution": "Partners drafted the policy with the ministry.",
    "contributing_partners": ["commonland-test"], "offerings": [], "tags": ["sdg:sdg-15"],
    "visibility": "public",
}  # fmt: skip


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def _patch(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def reviewer(world):
    world.sofia.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    return world.sofia


def test_the_whole_way_through_the_api(client_for, world, reviewer, mailoutbox,
                                       django_capture_on_commit_callbacks):  # fmt: skip
    lena, sofia = client_for("lena"), client_for("sofia")
    created = _post(lena, URL, NEW)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "draft" and body["tags"] == ["sdg:sdg-15"]
    assert body["countries"] == ["KE"] and body["contributing_partners"] == ["commonland-test"]
    one = f"{URL}/{body['id']}"
    changed = _patch(lena, one, {"version": 1, "significance_level": "high"})
    assert changed.json()["version"] == 2 and changed.json()["landscapes"] == ["kenya-highlands"]
    stale = _patch(lena, one, {"version": 1, "title": "Older"})
    assert stale.status_code == 409
    assert _post(lena, f"{one}/submit", {"version": 2}).json()["status"] == "under_review"
    with django_capture_on_commit_callbacks(execute=True):
        asked = _post(sofia, f"{one}/substantiations",
                      {"name": "Ana", "email": "ana@example.net", "language": "fr"})  # fmt: skip
    assert asked.status_code == 201 and asked.json()["answered_at"] is None
    token = mailoutbox[-1].body.split("/mel/substantiate/")[1].split("/")[0]
    refused = _post(sofia, f"{one}/substantiate", {})
    assert refused.status_code == 422 and "No substantiator" in refused.content.decode()
    answer = {"statement_agreement": "fully", "contribution_agreement": "fully"}
    assert client_for("anonymous").post(f"/mel/substantiate/{token}/", answer).status_code == 200
    assert _post(sofia, f"{one}/substantiate", {}).json()["status"] == "substantiated"
    assert _post(lena, f"{one}/publish", {}).status_code == 403
    published = _post(sofia, f"{one}/publish", {}).json()
    assert published["status"] == "published" and published["published_at"]
    assert published["substantiations"][0]["statement_agreement"] == "fully"
    counts = client_for("anonymous").get(f"{URL}/dashboard").json()
    assert counts["total"] == 1
    assert {r["key"]: r["count"] for r in counts["by_domain"]}["government_policy"] == 1


def test_create_refuses_unknown_names_and_bad_input_with_field_messages(client_for, world):
    lena = client_for("lena")
    response = _post(lena, URL, {**NEW, "landscapes": ["atlantis", "hidden-valley"],
                                 "tags": ["ecosystem:wetland", "nonsense"]})  # fmt: skip
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "atlantis" in errors["landscapes"][0] and "hidden-valley" in errors["landscapes"][0]
    assert "nonsense" in " ".join(errors["tags"])
    response = _post(lena, URL, {**NEW, "tags": ["ecosystem:wetland"], "occurred_on": "2999-01-01"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"tags", "occurred_on"}
    assert _post(client_for("nora"), URL, NEW).status_code == 403
    assert _post(client_for("anonymous"), URL, NEW).status_code == 401


def test_list_filters_pages_and_hides_drafts_from_others(client_for, world):
    lena = client_for("lena")
    for i in range(3):
        _post(lena, URL, {**NEW, "title": f"Outcome {i}"})
    mine = lena.get(URL, {"domain": "government_policy", "limit": 2, "offset": 1}).json()
    assert mine["count"] == 3 and len(mine["items"]) == 2
    assert client_for("nora").get(URL).json()["count"] == 0
    hidden = OutcomeStatement.objects.first()
    assert client_for("nora").get(f"{URL}/{hidden.pk}").status_code == 404
    assert client_for("nora").get(URL, {"limit": 0}).status_code == 422


def test_ids_beyond_the_databases_integers_are_not_found_not_errors(client_for, world):
    lena = client_for("lena")
    assert lena.get(f"{URL}/{2**70}").status_code in (404, 422)
    assert client_for("anonymous").get(f"/mel/outcomes/{2**70}/").status_code == 404
    response = _post(lena, URL, {**NEW, "activities": [2**70]})
    assert response.status_code == 422
