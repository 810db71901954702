"""Offerings and partners are named by typing on the claim and trail forms and the claim list's
filter, with suggestions (``mel:learning_suggest``, kinds ``offering`` and ``organization``),
never in a select of every record: at scale (20,000 offerings, 4,000 organizations) a select
made the page megabytes. The pages stay small and their queries bounded however many offerings
and organizations there are; a typed name that matches none or several is refused with a clear
message; the claim list takes the offering and partner as slugs (value reports link so)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from landhub.coordination.factories import OfferingFactory
from landhub.coordination.models import Offering
from landhub.directory.models import Organization
from landhub.mel import services
from landhub.mel.models import ChangeTrail, ContributionClaim, OutcomeStatement

pytestmark = pytest.mark.django_db

MANY = 300
ALTERNATIVES = [{"explanation": "Luck", "plausibility": "low", "reasoning": ""}]


def _outcome(world, title="Bank adopts criteria"):
    return OutcomeStatement.objects.create(
        title=title, description="It did.", actor_name="Regional Bank",
        actor_type="financial_institution", change_type="policy", domain="financial_sector",
        occurred_on=dt.date(2025, 6, 1), contribution="Coaching.", status="published",
        visibility="network", recorded_by=world.lena,
    )  # fmt: skip


def _claim(world, outcome, **subject):
    return services.claim_create(
        actor=world.hana, outcome=outcome, text="It helped.", evidence="Minutes.",
        confidence="medium", confidence_reason="Two sources.", alternatives=ALTERNATIVES,
        **subject,
    )  # fmt: skip


@pytest.fixture
def crowd(world):
    """Many offerings and organizations, made in bulk (the pages must not list them)."""
    kind = world.core_org.kind
    Organization.objects.bulk_create(
        [Organization(name=f"Crowd Org {n:03}", slug=f"crowd-org-{n:03}", kind=kind)
         for n in range(MANY)]
    )  # fmt: skip
    Offering.objects.bulk_create(
        [Offering(title=f"Crowd Offering {n:03}", slug=f"crowd-offering-{n:03}",
                  summary="x", type="service", status="published", languages=",en,")
         for n in range(MANY)]
    )  # fmt: skip


def _claim_post(outcome, **extra):
    data = {
        "outcome": outcome.pk, "offering": "", "partner": "", "claim": "It helped.",
        "evidence": "Minutes.", "confidence": "low", "confidence_reason": "One source.",
        "alt-TOTAL_FORMS": "1", "alt-INITIAL_FORMS": "0", "alt-MIN_NUM_FORMS": "0",
        "alt-MAX_NUM_FORMS": "20", "alt-0-explanation": "Luck", "alt-0-plausibility": "low",
    }  # fmt: skip
    data.update(extra)
    return data


# --- suggestions -----------------------------------------------------------------------------


def test_offerings_and_organizations_are_suggested_by_what_is_typed(client_for, world):
    url = reverse("mel:learning_suggest")
    nora = client_for("nora")
    found = nora.get(url, {"kind": "offering", "q": "finance"}).json()["results"]
    assert found == [{"id": world.offering.pk,
                      "label": f"Landscape Finance Clinic (#{world.offering.pk})"}]  # fmt: skip
    # A draft offering is not suggested to someone who may not see it; its provider's staff
    # and hub staff see it.
    assert nora.get(url, {"kind": "offering", "q": "soil"}).json()["results"] == []
    staff = client_for("hana").get(url, {"kind": "offering", "q": "soil"}).json()["results"]
    assert [r["id"] for r in staff] == [world.draft_offering.pk]
    partners = nora.get(url, {"kind": "organization", "q": "common"}).json()["results"]
    assert partners == [{"id": world.core_org.pk,
                         "label": f"Commonland Test (#{world.core_org.pk})"}]  # fmt: skip
    # Too short, an unknown kind, or nobody signed in: nothing.
    assert nora.get(url, {"kind": "offering", "q": "f"}).json()["results"] == []
    assert nora.get(url, {"kind": "nonsense", "q": "finance"}).json()["results"] == []
    assert client_for("anonymous").get(url, {"kind": "organization", "q": "common"}).json() == {
        "results": []}  # fmt: skip


# --- the claim form --------------------------------------------------------------------------


def test_the_claim_form_stays_small_with_many_offerings_and_organizations(
    client_for, world, crowd, django_assert_max_num_queries
):
    outcome = _outcome(world)
    hana = client_for("hana")
    url = reverse("mel:claim_create") + f"?outcome={outcome.pk}"
    with django_assert_max_num_queries(14):
        page = hana.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Crowd Offering" not in html and "Crowd Org" not in html
    assert 'data-autocomplete-url="/mel/learning/suggest/?kind=offering"' in html
    assert 'data-autocomplete-url="/mel/learning/suggest/?kind=organization"' in html
    assert len(page.content) < 60_000


def test_a_claim_names_its_offering_or_partner_by_typing(client_for, world):
    outcome = _outcome(world)
    hana = client_for("hana")
    url = reverse("mel:claim_create")
    # A title typed whole works; so does a chosen suggestion ("Title (#id)").
    saved = hana.post(url, _claim_post(outcome, offering="landscape finance clinic"))
    assert saved.status_code == 302
    assert ContributionClaim.objects.get().offering == world.offering
    saved = hana.post(url, _claim_post(outcome, partner=f"Commonland Test (#{world.core_org.pk})"))
    assert saved.status_code == 302
    assert ContributionClaim.objects.filter(partner=world.core_org).count() == 1


def test_a_typed_name_that_matches_none_or_several_is_refused_beside_its_field(client_for, world):
    outcome = _outcome(world)
    OfferingFactory(title="Twin Toolkit", slug="twin-toolkit-1")
    OfferingFactory(title="Twin Toolkit", slug="twin-toolkit-2")
    hana = client_for("hana")
    url = reverse("mel:claim_create")
    unknown = hana.post(url, _claim_post(outcome, offering="Moon Toolkit"))
    assert unknown.status_code == 400
    assert "No offering called “Moon Toolkit” was found" in unknown.content.decode()
    twins = hana.post(url, _claim_post(outcome, offering="Twin Toolkit"))
    assert twins.status_code == 400
    assert "More than one offering is called “Twin Toolkit”" in twins.content.decode()
    assert 'value="Twin Toolkit"' in twins.content.decode()  # what was typed stays
    nobody = hana.post(url, _claim_post(outcome, partner="Nobody Known"))
    assert "No organization called “Nobody Known” was found" in nobody.content.decode()
    assert ContributionClaim.objects.count() == 0


def test_the_claim_edit_form_shows_the_chosen_offering_in_its_box(client_for, world):
    claim = _claim(world, _outcome(world), offering=world.offering)
    html = client_for("hana").get(reverse("mel:claim_edit", args=[claim.pk])).content.decode()
    assert f'value="Landscape Finance Clinic (#{world.offering.pk})"' in html


# --- the claim list filter -------------------------------------------------------------------


def test_the_claim_list_filters_by_slug_or_typed_name_and_stays_small(
    client_for, world, crowd, django_assert_max_num_queries
):
    other = OfferingFactory(title="Watershed Coaching", providers=[world.other_org])
    by_offering = _claim(world, _outcome(world, "Bank A adopts"), offering=world.offering)
    by_other = _claim(world, _outcome(world, "Bank B adopts"), offering=other)
    by_partner = _claim(world, _outcome(world, "Ministry adopts"), partner=world.core_org)
    nora = client_for("nora")
    url = reverse("mel:claim_list")
    with django_assert_max_num_queries(14):
        page = nora.get(url)
    html = page.content.decode()
    assert "Crowd Offering" not in html and "Crowd Org" not in html
    assert len(page.content) < 60_000
    assert 'list="offering-suggestions"' in html and 'list="organization-suggestions"' in html

    def outcomes(params):
        with django_assert_max_num_queries(14):
            response = nora.get(url, params)
        assert response.status_code == 200
        text = response.content.decode()
        return {c.outcome.title for c in (by_offering, by_other, by_partner)
                if c.outcome.title in text}  # fmt: skip

    # Slugs, as the value reports link; a chosen suggestion; a unique title typed whole.
    assert outcomes({"offering": world.offering.slug}) == {"Bank A adopts"}
    assert outcomes({"offering": f"Watershed Coaching (#{other.pk})"}) == {"Bank B adopts"}
    assert outcomes({"offering": "watershed coaching"}) == {"Bank B adopts"}
    assert outcomes({"partner": world.core_org.slug}) == {"Ministry adopts"}
    assert outcomes({"partner": "Commonland Test"}) == {"Ministry adopts"}
    # A name that matches nothing shows no claim and says why.
    response = nora.get(url, {"offering": "Moon Toolkit"})
    assert "No offering called “Moon Toolkit” was found" in response.content.decode()
    assert "0 claims" in response.content.decode()
    # The CSV follows the same filter.
    csv = b"".join(nora.get(reverse("mel:claim_export_csv"),
                            {"partner": "Commonland Test"}).streaming_content).decode()  # fmt: skip
    assert "Ministry adopts" in csv and "Bank A adopts" not in csv


def test_the_value_reports_link_to_their_claims_by_slug(client_for, world):
    _claim(world, _outcome(world), offering=world.offering)
    nora = client_for("nora")
    report = nora.get(reverse("mel:value_offering", args=[world.offering.slug])).content.decode()
    link = f"{reverse('mel:claim_list')}?offering={world.offering.slug}"
    assert link in report
    assert "Bank adopts criteria" in nora.get(link).content.decode()


# --- the trail form --------------------------------------------------------------------------


def test_the_trail_form_names_the_directory_actor_by_typing(
    client_for, world, crowd, django_assert_max_num_queries
):
    hana = client_for("hana")
    url = reverse("mel:trail_create")
    with django_assert_max_num_queries(10):
        page = hana.get(url)
    assert "Crowd Org" not in page.content.decode() and len(page.content) < 40_000
    data = {"actor_organization": "Commonland Test", "actor_type": "civil_society",
            "domain": "other_institutions", "visibility": "network"}  # fmt: skip
    assert hana.post(url, data).status_code == 302
    trail = ChangeTrail.objects.get(actor_organization=world.core_org)
    edit = hana.get(reverse("mel:trail_edit", args=[trail.pk])).content.decode()
    assert f'value="Commonland Test (#{world.core_org.pk})"' in edit
    refused = hana.post(url, {**data, "actor_organization": "Nobody Known"})
    assert refused.status_code == 400
    assert "No organization called “Nobody Known” was found" in refused.content.decode()
