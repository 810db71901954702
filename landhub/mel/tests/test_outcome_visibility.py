"""One rule for reading outcome statements, wherever they appear: an outcome that is not yet
published (here: substantiated, waiting for publication) is read by its author, the reviewers
and hub staff only — on its own page, on the stories and reflection sessions that cite it, and
on the value report of the offering that contributed to it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from landhub.mel import services
from landhub.mel.models import OutcomeStatement

pytestmark = pytest.mark.django_db

TITLE = "Lakeside bank adopts landscape criteria"


@pytest.fixture
def cited(world):
    """A substantiated (unpublished) outcome cited by a story, a session and a claim."""
    outcome = OutcomeStatement.objects.create(
        title=TITLE, description="It did.", actor_name="Lakeside Bank",
        actor_type="financial_institution", change_type="policy", domain="financial_sector",
        occurred_on=dt.date(2025, 6, 1), contribution="Coaching.", status="substantiated",
        visibility="network", recorded_by=world.hana,
    )  # fmt: skip
    outcome.landscapes.add(world.landscape)
    outcome.offerings.add(world.offering)
    story = services.story_create(
        actor=world.hana, title="The bank came to the village", landscape=world.landscape,
        storyteller="Amina", domain="markets_and_finance", told_on=dt.date(2025, 7, 1),
        story="Loans for terraces.", why_significant="First loans here.", outcomes=[outcome.pk],
    )  # fmt: skip
    session = services.session_create(
        actor=world.hana, title="Finance reflection", held_on=dt.date(2025, 8, 1),
        reflections="Banks move slowly.", outcomes=[outcome],
    )  # fmt: skip
    return outcome, story, session


@pytest.mark.parametrize("persona, shown", [("nora", False), ("pablo", False), ("hana", True)])
def test_an_unpublished_outcome_is_hidden_wherever_it_is_cited(client_for, world, cited,
                                                                persona, shown):  # fmt: skip
    outcome, story, session = cited
    client = client_for(persona)
    assert (client.get(outcome.get_absolute_url()).status_code == 200) is shown
    pages = [story.get_absolute_url(), session.get_absolute_url(),
             reverse("mel:value_offering", args=[world.offering.slug])]  # fmt: skip
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert (TITLE in response.content.decode()) is shown, url


def test_once_published_members_read_it_everywhere(client_for, world, cited):
    outcome, story, session = cited
    OutcomeStatement.objects.filter(pk=outcome.pk).update(status="published")
    nora = client_for("nora")
    for url in (outcome.get_absolute_url(), story.get_absolute_url(),
                session.get_absolute_url()):  # fmt: skip
        assert TITLE in nora.get(url).content.decode(), url


def test_an_outcomes_page_shows_its_claims_and_stories(client_for, world, cited,
                                                       django_assert_max_num_queries):  # fmt: skip
    outcome, story, _session = cited
    alternatives = [{"explanation": "A new law", "plausibility": "low", "reasoning": "Later."}]
    for _ in range(3):
        services.claim_create(actor=world.hana, outcome=outcome, offering=world.offering,
                              text="The clinic helped.", evidence="Interviews.",
                              confidence="high", confidence_reason="Three sources.",
                              alternatives=alternatives)  # fmt: skip
    hana = client_for("hana")
    with django_assert_max_num_queries(30):
        page = hana.get(outcome.get_absolute_url()).content.decode()
    assert page.count("confidence: High") == 3 and story.title in page
    assert f"{reverse('mel:claim_create')}?outcome={outcome.pk}" in page
    OutcomeStatement.objects.filter(pk=outcome.pk).update(status="published")
    page = client_for("nora").get(outcome.get_absolute_url()).content.decode()
    assert "confidence: High" in page and story.title in page
    assert reverse("mel:claim_create") not in page  # claims are the reviewers' analysis


def test_a_claim_through_an_offering_the_reader_may_not_see_stays_hidden(client_for, world,
                                                                          cited):  # fmt: skip
    from landhub.coordination.factories import OfferingFactory

    outcome, _story, _session = cited
    OutcomeStatement.objects.filter(pk=outcome.pk).update(status="published")
    hidden = OfferingFactory(title="Closed-door clinic", visibility="restricted")
    alternatives = [{"explanation": "A new law", "plausibility": "low", "reasoning": "Later."}]
    for offering, confidence in ((world.offering, "high"), (hidden, "low")):
        services.claim_create(actor=world.hana, outcome=outcome, offering=offering,
                              text="It helped.", evidence="Interviews.", confidence=confidence,
                              confidence_reason="Sources.", alternatives=alternatives)  # fmt: skip
    nora = client_for("nora").get(outcome.get_absolute_url()).content.decode()
    assert "confidence: High" in nora and "Closed-door clinic" not in nora
    hana = client_for("hana").get(outcome.get_absolute_url()).content.decode()
    assert "Closed-door clinic" in hana and "confidence: Low" in hana
