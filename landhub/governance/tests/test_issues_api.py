"""Key issues through the API: raise with evidence (a foreign link refused with the field
message), filters, the confidential issue's 404, edit with version (409), transitions and
their refusals."""

from __future__ import annotations

import pytest

from landhub.governance import services

pytestmark = pytest.mark.django_db

API = "/api/v1/governance"


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def _patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def test_raise_with_evidence_and_read_back(gov, client_for):
    client = client_for("pablo")  # sofia's alternate on the committee
    foreign = _post(client, f"{API}/issues", {
        "body": "steering-committee", "title": "Pipeline overlap", "background": "Two bids.",
        "evidence": [{"path": "https://example.com/report", "label": "Report"}]})  # fmt: skip
    assert foreign.status_code == 422
    assert "is not a page of the hub" in foreign.json()["errors"]["evidence"][0]
    created = _post(client, f"{API}/issues", {
        "body": "steering-committee", "title": "Pipeline overlap", "background": "Two bids.",
        "urgency": "high", "evidence": [{"path": "/mel/dashboards/", "label": "MEL"}]})  # fmt: skip
    assert created.status_code == 201
    issue = created.json()
    assert issue["evidence"] == [{"path": "/mel/dashboards/", "label": "MEL"}]
    assert issue["status"] == "raised" and issue["steps"][0]["status"] == "raised"
    unknown = _post(client, f"{API}/issues", {"body": "finance-team", "title": "T",
                                               "background": "B"})  # fmt: skip
    assert unknown.status_code == 422 and "body" in unknown.json()["errors"]
    assert _post(client_for("nora"), f"{API}/issues", {
        "body": "steering-committee", "title": "T",
        "background": "B"}).status_code == 403  # fmt: skip


def test_filters_and_confidential_404(gov, client_for, world):
    services.issue_raise(actor=world.sofia, body=gov.sc, title="Open one", background="B")
    secret = services.issue_raise(actor=world.sofia, body=gov.sc, title="Secret one",
                                  background="B", confidential=True)  # fmt: skip
    nora = client_for("nora")
    titles = {i["title"] for i in nora.get(f"{API}/issues").json()["items"]}
    assert titles == {"Open one"}
    assert nora.get(f"{API}/issues/{secret.pk}").status_code == 404
    assert client_for("pablo").get(f"{API}/issues/{secret.pk}").status_code == 200
    data = client_for("hana").get(f"{API}/issues", {"q": "Secret", "sort": "title"}).json()
    assert [i["title"] for i in data["items"]] == ["Secret one"]
    assert client_for("anonymous").get(f"{API}/issues").status_code == 401


def test_patch_with_version_and_transitions(gov, client_for, world):
    issue = services.issue_raise(actor=world.sofia, body=gov.sc, title="T", background="B")
    sofia = client_for("sofia")
    url = f"{API}/issues/{issue.pk}"
    ok = _patch(sofia, url, {"version": issue.version, "urgency": "urgent"})
    assert ok.status_code == 200 and ok.json()["urgency"] == "urgent"
    assert _patch(sofia, url, {"version": issue.version, "title": "Stale"}).status_code == 409
    assert _patch(sofia, url, {"version": ok.json()["version"],
                               "title": None}).status_code == 422  # fmt: skip
    hana = client_for("hana")
    wrong = _post(hana, f"{url}/transition", {"status": "decided"})
    assert wrong.status_code == 422
    assert "possible next steps: scheduled, closed." in wrong.json()["errors"]["status"][0]
    unexplained = _post(hana, f"{url}/transition", {"status": "closed"})
    assert "closed without a decision" in unexplained.json()["errors"]["note"][0]
    assert _post(sofia, f"{url}/transition", {"status": "scheduled"}).status_code == 403
    moved = _post(hana, f"{url}/transition", {"status": "scheduled", "note": "March"})
    assert moved.status_code == 200
    assert [s["status"] for s in moved.json()["steps"]] == ["raised", "scheduled"]
    # once scheduled, the author no longer edits it
    assert _patch(sofia, url, {"version": moved.json()["version"],
                               "title": "Late"}).status_code == 403  # fmt: skip


def test_list_bounded_queries(gov, client_for, world, django_assert_max_num_queries):
    for n in range(20):
        services.issue_raise(actor=world.sofia, body=gov.sc, title=f"I{n}", background="B")
    client = client_for("sofia")
    with django_assert_max_num_queries(12):
        assert client.get(f"{API}/issues").status_code == 200
