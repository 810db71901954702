"""Contribution claims and value reports: the services (alternatives required, one subject,
stale versions), the report's figures with known requests and feedback, who may read what,
bounded queries on the pages, and the API."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from landhub.coordination.factories import OfferingFactory
from landhub.coordination.tests.test_value_selectors import _at, make_request
from landhub.core.exceptions import ConflictError
from landhub.directory import factories as f
from landhub.mel import selectors, services
from landhub.mel.models import ContributionClaim, OutcomeStatement, Story

pytestmark = pytest.mark.django_db

ALTERNATIVES = [
    {
        "explanation": "New central bank rules",
        "plausibility": "medium",
        "reasoning": "They came a year later.",
    }
]


def _outcome(world, title="Bank adopts criteria", **kw):
    defaults = {
        "description": "It did.",
        "actor_name": "Regional Bank",
        "actor_type": "financial_institution",
        "change_type": "policy",
        "domain": "financial_sector",
        "occurred_on": dt.date(2025, 6, 1),
        "contribution": "Coaching.",
        "status": "published",
        "visibility": "network",
        "recorded_by": world.lena,
    }
    defaults.update(kw)
    return OutcomeStatement.objects.create(title=title, **defaults)


def _claim(world, outcome, **kw):
    kw.setdefault("offering", world.offering)
    return services.claim_create(
        actor=world.hana,
        outcome=outcome,
        text="The clinic helped.",
        evidence="Interviews.",
        confidence="medium",
        confidence_reason="Two sources agree.",
        alternatives=kw.pop("alternatives", ALTERNATIVES),
        **kw,
    )


# --- claim services --------------------------------------------------------------------------


def test_a_claim_is_recorded_with_its_alternatives_and_tells_the_harvester(world):
    outcome = _outcome(world)
    claim = _claim(world, outcome)
    assert [a.plausibility for a in claim.alternatives.all()] == ["medium"]
    assert claim.history.first().history_user == world.hana
    note = world.lena.notifications.get(kind="mel.claim")
    assert "Bank adopts criteria" in note.title and note.url == claim.get_absolute_url()


def test_a_claim_without_an_alternative_is_refused_with_the_reason(world):
    outcome = _outcome(world)
    with pytest.raises(ValidationError) as caught:
        _claim(world, outcome, alternatives=[{"explanation": "", "plausibility": ""}])
    assert "contribution analysis weighs what else" in caught.value.message_dict["alternatives"][0]
    assert not ContributionClaim.objects.exists()


def test_claim_refusals_and_bad_input(world):
    outcome = _outcome(world)
    with pytest.raises(PermissionDenied):
        services.claim_create(
            actor=world.pablo,
            outcome=outcome,
            offering=world.offering,
            text="x",
            evidence="y",
            confidence="low",
            confidence_reason="z",
            alternatives=ALTERNATIVES,
        )
    with pytest.raises(ValidationError) as caught:
        _claim(world, outcome, partner=world.core_org)  # both an offering and a partner
    assert "not both" in caught.value.message_dict["offering"][0]
    with pytest.raises(ValidationError) as caught:
        services.claim_create(
            actor=world.hana,
            outcome=outcome,
            text="",
            evidence="",
            confidence="sure",
            alternatives=[{"explanation": "Luck", "plausibility": "huge"}],
        )
    errors = caught.value.message_dict
    assert {
        "offering",
        "claim",
        "evidence",
        "confidence",
        "confidence_reason",
        "alternatives",
    } <= set(errors)
    assert "choose how plausible" in errors["alternatives"][0]
    with pytest.raises(ValidationError):
        _claim(world, outcome, evidence_url="not a link")


def test_claim_update_replaces_alternatives_and_checks_the_version(world):
    claim = _claim(world, _outcome(world))
    services.claim_update(
        actor=world.hana,
        claim=claim,
        version=claim.version,
        confidence="high",
        alternatives=[
            {"explanation": "A", "plausibility": "low"},
            {"explanation": "B", "plausibility": "ruled_out"},
        ],
    )
    claim.refresh_from_db()
    assert claim.confidence == "high" and claim.alternatives.count() == 2
    with pytest.raises(ConflictError):
        services.claim_update(
            actor=world.hana, claim=claim, version=claim.version - 1, confidence="low"
        )
    with pytest.raises(ValidationError, match="contribution analysis"):
        services.claim_update(actor=world.hana, claim=claim, version=claim.version, alternatives=[])
    with pytest.raises(ValidationError):
        services.claim_update(actor=world.hana, claim=claim, version=claim.version, outcome=None)
    with pytest.raises(PermissionDenied):
        services.claim_update(actor=world.nora, claim=claim, version=claim.version)
    services.claim_archive(actor=world.hana, claim=claim, version=claim.version)
    claim.refresh_from_db()
    assert claim.archived_at is not None
    with pytest.raises(ValidationError, match="archived"):
        services.claim_update(actor=world.hana, claim=claim, version=claim.version, text="x")


# --- value report ----------------------------------------------------------------------------


@pytest.fixture
def report_data(world):
    """The clinic: three requests in 2025 (delivered after 4, 10 and 30 days; ratings 5, 4,
    2), one outcome published, one draft, a story, a claim."""
    offering = world.offering
    b = f.LandscapeFactory(name="Lake Basin", visibility="public")
    make_request(
        offering,
        world.landscape,
        _at(2025, 1, 1),
        status="delivered",
        delivered=_at(2025, 1, 5),
        rating=5,
        text="Our first bankable plan.",
        days=Decimal(3),
    )
    make_request(
        offering,
        b,
        _at(2025, 2, 1),
        status="delivered",
        delivered=_at(2025, 2, 11),
        rating=4,
        text="Useful templates.",
    )
    make_request(
        offering,
        b,
        _at(2025, 3, 1),
        status="delivered",
        delivered=_at(2025, 3, 31),
        rating=2,
        text="Too generic.",
        recommend=False,
    )
    published = _outcome(world, "Bank adopts criteria")
    published.offerings.add(offering)
    draft = _outcome(world, "Draft outcome", status="draft")
    draft.offerings.add(offering)
    story = Story.objects.create(
        title="A farmer's loan",
        landscape=world.landscape,
        storyteller="Amina",
        domain="markets_and_finance",
        told_on=dt.date(2025, 7, 1),
        story="I got a loan.",
        why_significant="First time.",
        visibility="network",
    )
    story.offerings.add(offering)
    _claim(world, published)
    return offering


def test_value_report_figures_have_known_answers(world, report_data):
    period = selectors.value_period("custom", "2025-01-01", "2025-12-31")
    report = selectors.value_report(
        user=world.nora, kind="offering", slug=report_data.slug, period=period
    )
    figures = report.figures
    assert figures["requests"] == 3 and figures["landscapes_received"] == 2
    assert report.delivery == {"median": 10, "quickest": 4, "slowest": 30}
    assert figures["distribution"] == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
    assert figures["recommend"] == 2
    assert [o.title for o in report.outcomes] == ["Bank adopts criteria"]  # not the draft
    assert [s.title for s in report.stories] == ["A farmer's loan"]
    assert [c.outcome.title for c in report.claims] == ["Bank adopts criteria"]
    earlier = selectors.value_report(
        user=world.nora,
        kind="offering",
        slug=report_data.slug,
        period=selectors.value_period("custom", "", "2024-12-31"),
    )
    assert earlier.figures["requests"] == 0 and earlier.outcomes == []


def test_value_period_presets_and_bad_dates(world):
    this_year = dt.date.today().year
    assert selectors.value_period("this_year").start == dt.date(this_year, 1, 1)
    assert selectors.value_period("last_year").end == dt.date(this_year - 1, 12, 31)
    bad = selectors.value_period("custom", "yesterday", "2025-13-01")
    assert bad.preset == "all" and len(bad.errors) == 2
    reversed_ = selectors.value_period("custom", "2025-12-01", "2025-01-01")
    assert reversed_.start is None and reversed_.errors


def test_the_report_page_shows_numbers_words_and_a_chart(
    client_for, world, report_data, django_assert_max_num_queries
):
    client = client_for("nora")
    url = reverse("mel:value_offering", args=[report_data.slug])
    with django_assert_max_num_queries(30):
        response = client.get(url, {"period": "custom", "from": "2025-01-01", "to": "2025-12-31"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "median 10 · quickest 4 · slowest 30" in html
    assert "Our first bankable plan." in html and "Kenya Highlands" in html
    assert "Bank adopts criteria" in html and "Draft outcome" not in html
    assert "New central bank rules" in html and "ratings-chart-spec" in html
    assert "A farmer&#x27;s loan" in html or "A farmer's loan" in html
    # Nonsense dates do not break the page.
    assert client.get(url, {"period": "custom", "from": "x", "to": "99999"}).status_code == 200


def test_a_restricted_or_draft_offerings_report_is_hidden_from_outsiders(client_for, world):
    hidden = OfferingFactory(
        title="Private tool", providers=[world.core_org], visibility="restricted"
    )
    url = reverse("mel:value_offering", args=[hidden.slug])
    assert client_for("oscar").get(url).status_code == 404
    assert client_for("pablo").get(url).status_code == 200  # staff of its provider
    assert client_for("hana").get(url).status_code == 200
    assert client_for("anonymous").get(url).status_code == 302
    draft = reverse("mel:value_offering", args=[world.draft_offering.slug])
    assert client_for("nora").get(draft).status_code == 404
    nobody = reverse("mel:value_partner", args=[world.other_org.slug])  # provides nothing
    assert client_for("nora").get(nobody).status_code == 404


def test_partner_report_combines_its_offerings(client_for, world, report_data):
    other = OfferingFactory(title="Second service", providers=[world.core_org])
    make_request(
        other,
        world.landscape,
        _at(2025, 4, 1),
        status="delivered",
        delivered=_at(2025, 4, 3),
        rating=3,
        text="Fine.",
    )
    report = selectors.value_report(
        user=world.nora,
        kind="partner",
        slug=world.core_org.slug,
        period=selectors.value_period("all"),
    )
    assert report.figures["requests"] == 4 and report.figures["ratings"] == 4
    assert {o.title for o in report.offerings} >= {"Landscape Finance Clinic", "Second service"}
    html = (
        client_for("nora")
        .get(reverse("mel:value_partner", args=[world.core_org.slug]))
        .content.decode()
    )
    assert "Second service" in html and "Fine." in html


def test_testimony_page_lists_every_quote(client_for, world, report_data):
    url = reverse("mel:value_quotes", args=["offering", report_data.slug])
    html = client_for("nora").get(url).content.decode()
    assert "3 testimonies" in html and "Too generic." in html
    assert (
        client_for("nora").get(reverse("mel:value_quotes", args=["nope", "x"])).status_code == 404
    )


def test_value_overview_sorts_pages_and_exports(
    client_for, world, report_data, django_assert_max_num_queries
):
    for n in range(6):
        OfferingFactory(title=f"Extra {n}", providers=[world.core_org])
    client = client_for("nora")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("mel:value_overview"), {"sort": "-rating"})
    html = response.content.decode()
    assert html.index("Landscape Finance Clinic") < html.index("Extra 0")
    with django_assert_max_num_queries(14):
        partners = client.get(reverse("mel:value_overview"), {"tab": "partners"})
    assert "Commonland Test" in partners.content.decode()
    csv = client.get(reverse("mel:value_overview_csv"), {"q": "clinic"})
    text = b"".join(csv.streaming_content).decode()
    assert "Landscape Finance Clinic,3,3,3,3.67,1" in text
    assert client.get(reverse("mel:value_overview"), {"sort": "drop table"}).status_code == 200


# --- claim pages -----------------------------------------------------------------------------


def _claim_post(outcome, offering, **extra):
    data = {
        "outcome": outcome.pk,
        "offering": f"{offering.title} (#{offering.pk})",  # as a chosen suggestion reads
        "claim": "It helped.",
        "evidence": "Minutes.",
        "confidence": "low",
        "confidence_reason": "One source.",
        "alt-TOTAL_FORMS": "2",
        "alt-INITIAL_FORMS": "0",
        "alt-MIN_NUM_FORMS": "0",
        "alt-MAX_NUM_FORMS": "20",
        "alt-0-explanation": "",
        "alt-0-plausibility": "",
        "alt-1-explanation": "",
        "alt-1-plausibility": "",
    }
    data.update(extra)
    return data


def test_claim_page_refuses_a_claim_without_alternatives_then_saves(client_for, world):
    outcome = _outcome(world)
    client = client_for("hana")
    url = reverse("mel:claim_create") + f"?outcome={outcome.pk}"
    assert outcome.title in client.get(url).content.decode()
    response = client.post(url, _claim_post(outcome, world.offering))
    assert response.status_code == 400
    assert "contribution analysis weighs what else" in response.content.decode()
    response = client.post(
        url,
        _claim_post(
            outcome, world.offering, **{"alt-0-explanation": "Luck", "alt-0-plausibility": "low"}
        ),
    )
    assert response.status_code == 302
    claim = ContributionClaim.objects.get()
    detail = client_for("nora").get(reverse("mel:claim_detail", args=[claim.pk]))
    assert "Luck" in detail.content.decode()


def test_claim_edit_with_a_stale_version_is_a_conflict(client_for, world):
    claim = _claim(world, _outcome(world))
    stale = claim.version
    services.claim_update(actor=world.hana, claim=claim, version=stale, confidence="high")
    data = _claim_post(
        claim.outcome,
        world.offering,
        version=stale,
        **{"alt-0-explanation": "Luck", "alt-0-plausibility": "low"},
    )
    response = client_for("hana").post(reverse("mel:claim_edit", args=[claim.pk]), data)
    assert response.status_code == 409


def test_claims_of_hidden_outcomes_are_hidden(client_for, world, django_assert_max_num_queries):
    visible = _claim(world, _outcome(world, "Seen"))
    hidden = _claim(world, _outcome(world, "Unseen", status="draft", recorded_by=world.hana))
    client = client_for("nora")
    with django_assert_max_num_queries(15):
        html = client.get(reverse("mel:claim_list"), {"confidence": "medium"}).content.decode()
    assert "Seen" in html and "Unseen" not in html
    assert client.get(reverse("mel:claim_detail", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("mel:claim_list"), {"outcome": "9" * 40}).status_code == 200
    assert client.get(reverse("mel:claim_detail", args=[visible.pk])).status_code == 200
    csv = b"".join(client.get(reverse("mel:claim_export_csv")).streaming_content).decode()
    assert "New central bank rules (Medium)" in csv and "Unseen" not in csv


# --- API -------------------------------------------------------------------------------------


def _api(client, method, url, body=None):
    response = getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")
    return response.status_code, json.loads(response.content or b"null")


def test_claim_api_create_update_conflict_archive(client_for, world):
    outcome = _outcome(world)
    client = client_for("hana")
    body = {
        "outcome": outcome.pk,
        "offering": world.offering.slug,
        "claim": "It helped.",
        "evidence": "Minutes.",
        "confidence": "low",
        "confidence_reason": "One source.",
    }
    status, data = _api(client, "post", "/api/v1/mel/claims", body)
    assert status == 422 and "alternatives" in data["errors"]
    status, data = _api(
        client, "post", "/api/v1/mel/claims", {**body, "alternatives": ALTERNATIVES}
    )
    assert status == 201 and data["alternatives"][0]["plausibility"] == "medium"
    pk, version = data["id"], data["version"]
    status, data = _api(
        client, "patch", f"/api/v1/mel/claims/{pk}", {"version": version, "confidence": "high"}
    )
    assert status == 200 and data["confidence"] == "high"
    status, _data = _api(
        client, "patch", f"/api/v1/mel/claims/{pk}", {"version": version, "confidence": "low"}
    )
    assert status == 409
    listed = json.loads(client.get("/api/v1/mel/claims", {"offering": world.offering.slug}).content)
    assert listed["count"] == 1
    assert client.delete(f"/api/v1/mel/claims/{pk}").status_code == 204
    status, _data = _api(
        client,
        "post",
        "/api/v1/mel/claims",
        {**body, "outcome": 999999, "alternatives": ALTERNATIVES},
    )
    assert status == 422


def test_value_api_reports_and_overview(client_for, world, report_data):
    client = client_for("nora")
    data = json.loads(
        client.get(
            f"/api/v1/mel/value/offerings/{report_data.slug}",
            {"from": "2025-01-01", "to": "2025-12-31"},
        ).content
    )
    assert data["delivery_days_median"] == 10 and data["rating_distribution"]["5"] == 1
    assert data["outcome_count"] == 1 and data["claims"][0]["confidence"] == "medium"
    partner = json.loads(client.get(f"/api/v1/mel/value/partners/{world.core_org.slug}").content)
    assert partner["requests"] == 3
    overview = json.loads(client.get("/api/v1/mel/value", {"sort": "-requests"}).content)
    assert overview["items"][0]["name"] == "Landscape Finance Clinic"
    assert client.get(f"/api/v1/mel/value/offerings/{world.draft_offering.slug}").status_code == 404


def test_claim_archive_refuses_a_stale_version_and_outsiders(world):
    claim = _claim(world, _outcome(world))
    stale = claim.version
    services.claim_update(actor=world.hana, claim=claim, version=stale, confidence="low")
    with pytest.raises(ConflictError):
        services.claim_archive(actor=world.hana, claim=claim, version=stale)
    with pytest.raises(PermissionDenied):
        services.claim_archive(actor=world.lena, claim=claim, version=claim.version)
    assert ContributionClaim.objects.get(pk=claim.pk).archived_at is None


def test_lists_answer_htmx_with_their_results_only(client_for, world, report_data):
    client = client_for("nora")
    partial = client.get(reverse("mel:value_overview"), {"tab": "partners"}, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "<html" not in html and "Commonland Test" in html
    claims = client.get(reverse("mel:claim_list"), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in claims and "1 claim" in claims
    csv = client.get(reverse("mel:value_overview_csv"), {"tab": "partners", "q": "commonland"})
    text = b"".join(csv.streaming_content).decode()
    assert text.splitlines()[1].startswith("Commonland Test,1,3,3,3,3.67,1")
