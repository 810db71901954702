"""The catalog as its users meet it: draft, review, publish; browse with facets; the API."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from landhub.accounts.services import api_token_create
from landhub.coordination import services
from landhub.coordination.factories import OfferingFactory
from landhub.coordination.models import Offering, OfferingStatus
from landhub.core.models import Notification
from landhub.directory import factories as f
from landhub.directory.models import Vocabulary

pytestmark = pytest.mark.django_db

CATALOG = reverse("coordination:offering_list")


def _form(**changes):
    data = {
        "title": "Restoration Finance Academy", "summary": "Six weeks on blended finance.",
        "type": "training", "providers": [], "delivery_format": "online", "cost": "free",
        "access_mode": "hub", "visibility": "public", "languages": ["en", "pt"],
        "regions": ["Africa"],
    }  # fmt: skip
    data.update(changes)
    return data


def _transition(client, offering, action, comment=""):
    offering.refresh_from_db()
    return client.post(
        reverse("coordination:offering_transition", args=[offering.slug]),
        {"action": action, "version": offering.version, "comment": comment},
    )


def test_a_provider_drafts_and_the_hub_reviews_returns_and_publishes(client_for, world):
    pablo, hana = client_for("pablo"), client_for("hana")
    response = pablo.post(reverse("coordination:offering_create"),
                          _form(providers=[world.core_org.pk]))  # fmt: skip
    assert response.status_code == 302
    offering = Offering.objects.get(title="Restoration Finance Academy")
    assert offering.status == OfferingStatus.DRAFT and offering.language_codes == ["en", "pt"]
    assert "Restoration Finance Academy" not in client_for("nora").get(CATALOG).content.decode()

    _transition(pablo, offering, "submit")
    assert Notification.objects.filter(recipient=world.hana,
                                       kind="coordination.offering_submitted").exists()  # fmt: skip
    refused = _transition(hana, offering, "return")  # no comment
    assert refused.status_code == 302
    offering.refresh_from_db()
    assert offering.status == OfferingStatus.IN_REVIEW
    _transition(hana, offering, "return", "Add the course dates.")
    page = pablo.get(offering.get_absolute_url()).content.decode()
    assert "Returned by the hub:" in page and "Add the course dates." in page
    assert Notification.objects.filter(recipient=world.pablo,
                                       kind="coordination.offering_return").exists()  # fmt: skip

    _transition(pablo, offering, "submit")
    _transition(hana, offering, "publish")
    offering.refresh_from_db()
    assert offering.status == OfferingStatus.PUBLISHED and offering.published_at
    assert "Restoration Finance Academy" in client_for("anonymous").get(CATALOG).content.decode()
    history = hana.get(reverse("coordination:offering_history", args=[offering.slug]))
    assert history.status_code == 200


def test_a_return_needs_a_comment_and_steps_out_of_order_are_refused(world):
    draft = world.draft_offering
    with pytest.raises(Exception, match="cannot be sent"):
        services.offering_transition(actor=world.hana, offering=draft, action="retire",
                                     version=draft.version)  # fmt: skip
    services.offering_transition(actor=world.pablo, offering=draft, action="submit",
                                 version=draft.version)  # fmt: skip
    with pytest.raises(Exception, match="Say what needs to change"):
        services.offering_transition(actor=world.hana, offering=draft, action="return",
                                     version=draft.version)  # fmt: skip


def test_provider_staff_cannot_put_other_organizations_name_on_an_offering(client_for, world):
    nora = client_for("nora")  # member of River Friends only
    response = nora.post(reverse("coordination:offering_create"),
                         _form(providers=[world.core_org.pk]))  # fmt: skip
    assert response.status_code == 200  # the form comes back with a message
    assert not Offering.objects.filter(title="Restoration Finance Academy").exists()
    response = nora.post(reverse("coordination:offering_create"),
                         _form(providers=[world.other_org.pk]))  # fmt: skip
    assert response.status_code == 302


def test_form_errors_are_said_next_to_the_fields(client_for, world):
    pablo = client_for("pablo")
    url = reverse("coordination:offering_create")
    response = pablo.post(url, _form(providers=[world.core_org.pk], title=""))
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    response = pablo.post(url, _form(providers=[world.core_org.pk], access_mode="link"))
    assert response.status_code == 200
    assert "Give the link where the offering is found." in response.content.decode()
    assert not Offering.objects.filter(title="Restoration Finance Academy").exists()


def test_facets_count_each_choice_with_the_other_filters_applied(client, world):
    finance = f.term(Vocabulary.CAPABILITY, "landscape-finance")
    for i in range(3):
        OfferingFactory(title=f"Finance Tool {i}", type="tool", capabilities=[finance],
                        languages=",fr,")  # fmt: skip
    OfferingFactory(title="Mapping Course", type="training", languages=",fr,")
    body = client.get(CATALOG, {"language": "fr"}).content.decode()
    assert "4 offerings" in body
    assert ">Tool (3)</option>" in body and ">Training (1)</option>" in body
    body = client.get(CATALOG, {"language": "fr", "type": "tool"}).content.decode()
    assert "3 offerings" in body
    assert ">Training (1)</option>" in body  # other types still counted
    assert ">French (3)</option>" in body  # the language facet follows the chosen type


def test_region_and_country_follow_where_an_offering_is_available(client, world):
    kenya_only = OfferingFactory(title="Kenya Water Clinic")
    kenya_only.countries.set(["KE"])
    OfferingFactory(title="Andes Seed Bank", regions="Americas")
    africa = client.get(CATALOG, {"region": "Africa"}).content.decode()
    assert "Kenya Water Clinic" in africa and "Andes Seed Bank" not in africa
    assert "Landscape Finance Clinic" in africa  # global
    peru = client.get(CATALOG, {"country": "PE"}).content.decode()
    assert "Andes Seed Bank" in peru and "Kenya Water Clinic" not in peru


def test_search_csv_and_drafts_stay_with_their_providers(client, client_for, world):
    body = client.get(CATALOG, {"q": "finance clinic"}).content.decode()
    assert "Landscape Finance Clinic" in body
    assert "Soil Carbon Toolkit" not in client.get(CATALOG).content.decode()
    mine = client_for("pablo").get(CATALOG, {"status": "draft"}).content.decode()
    assert "Soil Carbon Toolkit" in mine
    assert (
        "Soil Carbon Toolkit"
        not in client_for("nora").get(CATALOG, {"status": "draft"}).content.decode()
    )
    OfferingFactory(title="=HYPERLINK(evil)")
    csv = b"".join(client.get(reverse("coordination:offering_export_csv")).streaming_content)
    assert b"'=HYPERLINK(evil)" in csv and b"Landscape Finance Clinic" in csv
    assert b"Soil Carbon Toolkit" not in csv


def test_catalog_queries_do_not_grow_with_the_catalog(client, world, django_assert_max_num_queries):
    from landhub.core.counts import bump_generation

    client.get(CATALOG)
    bump_generation()
    with django_assert_max_num_queries(40) as few:
        client.get(CATALOG)
    for i in range(30):
        OfferingFactory(title=f"Bulk {i}", providers=[f.OrganizationFactory(), world.core_org])
    bump_generation()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(CATALOG)


def test_the_api_lists_with_facets_creates_and_refuses_stale_edits(client, world):
    _token, plain = api_token_create(actor=world.pablo, name="t", scope="write")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {plain}"}
    data = client.get("/api/v1/offerings", {"language": "es"}).json()
    assert [o["title"] for o in data["items"]] == ["Landscape Finance Clinic"]
    assert {"value": "service", "label": "Service", "count": 1} in data["facets"]["type"]

    payload = {"title": "Grazing Planner", "summary": "Plan rotational grazing.", "type": "tool",
               "providers": [world.core_org.slug], "languages": ["en"], "regions": ["Africa"],
               "capabilities": ["landscape-finance"]}  # fmt: skip
    created = client.post("/api/v1/offerings", json.dumps(payload),
                          content_type="application/json", **auth)  # fmt: skip
    assert created.status_code == 201 and created.json()["status"] == "draft"
    assert created.json()["providers"] == [
        {"organization": world.core_org.slug, "name": "Commonland Test", "lead": True}
    ]

    wrong = {**payload, "languages": ["xx"], "regions": ["Atlantis"]}
    bad = client.post("/api/v1/offerings", json.dumps(wrong), content_type="application/json",
                      **auth)  # fmt: skip
    assert bad.status_code == 422
    assert bad.json()["errors"]["languages"] == ["Unknown language code: xx."]
    assert bad.json()["errors"]["regions"][0].startswith("Unknown region: Atlantis.")

    url = f"/api/v1/offerings/{created.json()['slug']}"
    version = created.json()["version"]
    first = client.patch(url, json.dumps({"version": version, "summary": "First."}),
                         content_type="application/json", **auth)  # fmt: skip
    assert first.status_code == 200
    stale = client.patch(url, json.dumps({"version": version, "summary": "Second."}),
                         content_type="application/json", **auth)  # fmt: skip
    assert stale.status_code == 409 and stale.json()["current"]["summary"] == "First."
