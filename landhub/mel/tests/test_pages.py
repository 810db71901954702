"""The MEL pages and API a user sees: frameworks with their diagram, the indicator library
with its filters, reference sheet, CSV and search entry."""

from __future__ import annotations

import pytest
from django.urls import reverse

from landhub.mel import services
from landhub.mel.models import DisaggregationOption, DisaggregationScheme, Indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(world):
    sex = DisaggregationScheme.objects.create(name="Sex", slug="sex")
    DisaggregationOption.objects.create(scheme=sex, label="Women", code="women")
    hectares = services.indicator_create(
        actor=world.hana, code="n1", name="Hectares under restoration",
        definition="Land where **restoration** practices are applied.", measure="area",
        unit="ha", aggregation="latest", cumulative_mode="cumulative_not_summed",
        sdg_code="15.3.1",
    )  # fmt: skip
    share = services.indicator_create(
        actor=world.hana, code="S1", name="Women in partnership decisions",
        definition="Share of seats.", measure="percentage", aggregation="weighted_average",
        schemes=[sex],
    )  # fmt: skip
    return hectares, share


def test_a_framework_page_draws_the_diagram_and_lists_assumptions(client_for, world):
    framework = services.framework_create(actor=world.hana, title="Initiative ToC",
                                          template="initiative")  # fmt: skip
    body = client_for("nora").get(framework.get_absolute_url()).content.decode()
    assert "<svg" in body and body.count("<rect") == framework.nodes.count()
    assert "Investors fund well-prepared cases." in body  # an assumption, in the table
    assert "Add a node" not in body  # nora may read, not change
    staff = client_for("hana")
    response = staff.post(reverse("mel:framework_node_add", args=[framework.slug]),
                          {"node-kind": "output", "node-code": "P4",
                           "node-title": "Policy briefs written"})  # fmt: skip
    assert response.status_code == 302
    assert "Policy briefs written" in staff.get(framework.get_absolute_url()).content.decode()
    staff.post(reverse("mel:framework_publish", args=[framework.slug]),
               {"version": framework.version})  # fmt: skip
    more = {"node-kind": "output", "node-code": "P5", "node-title": "More"}
    refused = staff.post(reverse("mel:framework_node_add", args=[framework.slug]), more)
    assert refused.status_code == 400
    assert "Say why a published framework changes." in refused.content.decode()


def test_a_leader_creates_her_landscape_framework_from_a_template(client_for, world):
    lena = client_for("lena")
    page = lena.get(reverse("mel:framework_create")).content.decode()
    assert world.landscape.name in page and world.restricted_landscape.name not in page
    response = lena.post(reverse("mel:framework_create"), {
        "title": "Kenya Highlands 4 Returns", "template": "four_returns",
        "landscape": world.landscape.pk})  # fmt: skip
    assert response.status_code == 302
    body = lena.get(response.url).content.decode()
    assert "Return of inspiration" in body and "The framework of Kenya Highlands" in body
    missing = lena.post(reverse("mel:framework_create"), {"title": "", "template": "nope"})
    assert missing.status_code == 400


def test_the_library_filters_sorts_exports_and_shows_a_reference_sheet(client_for, library):
    hectares, share = library
    nora = client_for("nora")
    body = nora.get(reverse("mel:indicator_list"), {"measure": "percentage"}).content.decode()
    assert "S1" in body and "Hectares under restoration" not in body
    body = nora.get(reverse("mel:indicator_list"), {"q": "restoration"}).content.decode()
    assert "N1" in body and "Women in partnership" not in body
    csv = b"".join(nora.get(reverse("mel:indicator_export_csv")).streaming_content).decode()
    assert "N1,Hectares under restoration" in csv and "Sex" in csv
    sheet = nora.get(hectares.get_absolute_url()).content.decode()
    assert "Indicator reference sheet" in sheet and "<strong>restoration</strong>" in sheet
    assert "SDG 15.3.1" in sheet and "Cumulative, not summed" in sheet
    assert "Edit" not in sheet.split('id="reference-sheet"')[0].split("</h1>")[1]


def test_indicator_rules_are_explained_next_to_their_fields(client_for, world, library):
    staff = client_for("hana")
    response = staff.post(reverse("mel:indicator_create"), {
        "code": "P2", "name": "Share of farms", "definition": "Farms.", "measure": "percentage",
        "direction": "increase", "aggregation": "average", "cumulative_mode": "non_cumulative",
        "frequency": "year"})  # fmt: skip
    assert response.status_code == 400
    assert "choose the weighted average" in response.content.decode()
    response = staff.post(reverse("mel:indicator_create"), {
        "code": "F1", "name": "Finance raised", "definition": "Money.", "measure": "currency",
        "currency": "dollars", "direction": "increase", "aggregation": "sum",
        "cumulative_mode": "cumulative", "frequency": "year"})  # fmt: skip
    assert "ISO 4217" in response.content.decode()
    response = staff.post(reverse("mel:indicator_create"), {
        "code": "n1", "name": "Duplicate code", "definition": "x", "measure": "count",
        "direction": "increase", "aggregation": "sum", "cumulative_mode": "cumulative",
        "frequency": "year"})  # fmt: skip
    assert response.status_code == 400 and "already exists" in response.content.decode()


def test_the_api_reads_and_changes_indicators_with_versions(client, client_for, library):
    hectares, _share = library
    nora = client_for("nora")
    data = nora.get("/api/v1/mel/indicators", {"measure": "area"}).json()
    assert [i["code"] for i in data["items"]] == ["N1"]
    assert client.get("/api/v1/mel/indicators").status_code == 401
    staff = client_for("hana")
    url = f"/api/v1/mel/indicators/{hectares.code}"
    ok = staff.patch(url, {"version": hectares.version, "unit": "hectares",
                           "reason": "Spell it out."}, content_type="application/json")  # fmt: skip
    assert ok.status_code == 200 and ok.json()["unit"] == "hectares"
    stale = staff.patch(url, {"version": hectares.version, "unit": "ha"},
                        content_type="application/json")  # fmt: skip
    assert stale.status_code == 409
    bad = staff.post("/api/v1/mel/indicators", {
        "code": "Y1", "name": "A yes or no", "definition": "x", "measure": "yes_no",
        "aggregation": "count_meeting"}, content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and "threshold" in str(bad.json())
    assert Indicator.objects.get(code="N1").history.first().history_change_reason == (
        "Spell it out."
    )


def test_the_api_builds_a_framework_from_a_template(client_for, world):
    staff = client_for("hana")
    created = staff.post("/api/v1/mel/frameworks", {"title": "Pillars", "template": "landscale"},
                         content_type="application/json")  # fmt: skip
    assert created.status_code == 201
    data = created.json()
    assert {n["code"] for n in data["nodes"]} >= {"I1", "L1", "L2", "L3", "L4"}
    edge = {
        "source": "L4",
        "target": "L2",
        "assumption": "Farm income feeds families.",
        "evidence": "moderate",
    }
    link = staff.post(
        f"/api/v1/mel/frameworks/{data['slug']}/links", edge, content_type="application/json"
    )
    assert link.status_code == 201
    added = [e for e in link.json()["edges"] if (e["source"], e["target"]) == ("L4", "L2")]
    assert [(e["assumption"], e["evidence"]) for e in added] == [
        ("Farm income feeds families.", "moderate")
    ]
