"""Recommended offerings: a landscape with known needs gets a known ranking and reasons."""

from __future__ import annotations

import pytest
from django.urls import reverse

from landhub.coordination.factories import OfferingFactory
from landhub.coordination.matching import recommended_offerings
from landhub.directory import factories as f
from landhub.directory.models import LandscapeILMProgress, Vocabulary

pytestmark = pytest.mark.django_db


def _term(vocabulary, slug):
    return f.term(vocabulary, slug)


@pytest.fixture
def plains(world):
    """A Kenyan landscape needing finance (high) and mapping (low), still working on its
    vision, whose people speak Spanish; lena leads it."""
    landscape = f.LandscapeFactory(name="Mara Plains")
    landscape.countries.set(["KE"])
    f.LandscapeNeedFactory(landscape=landscape, priority="high")
    f.LandscapeNeedFactory(landscape=landscape, priority="low",
                           capability=_term(Vocabulary.CAPABILITY, "gis-and-mapping"))  # fmt: skip
    for element in f.Term.objects.of(Vocabulary.ILM_ELEMENT):
        stage = "in_progress" if element.slug == "vision-and-planning" else "established"
        LandscapeILMProgress.objects.create(landscape=landscape, element=element, stage=stage)
    speaker = f.PersonFactory(languages=["es"])
    f.LandscapeMembershipFactory(person=speaker, landscape=landscape)
    f.LandscapeMembershipFactory(person=world.people["lena"], landscape=landscape, role="leader")
    return landscape


@pytest.fixture
def catalog(world):
    finance = _term(Vocabulary.CAPABILITY, "landscape-finance")
    mapping = _term(Vocabulary.CAPABILITY, "gis-and-mapping")
    vision = _term(Vocabulary.ILM_ELEMENT, "vision-and-planning")
    made = {
        "finance": OfferingFactory(title="Finance Desk", capabilities=[finance, mapping],
                                   is_global=True, languages=",es,", cost="free"),
        "mapping": OfferingFactory(title="Mapping Help", capabilities=[mapping],
                                   regions="Africa", languages=",en,", cost="paid"),
        "americas": OfferingFactory(title="Andes Finance", capabilities=[finance],
                                    regions="Americas"),
        "vision": OfferingFactory(title="Visioning Kit", cost="paid", languages=",en,"),
        "draft": OfferingFactory(title="Draft Finance", capabilities=[finance], is_global=True,
                                 status="draft"),
        "other": OfferingFactory(title="Beekeeping", is_global=True,
                                 capabilities=[_term(Vocabulary.CAPABILITY, "agroforestry")]),
    }  # fmt: skip
    made["vision"].ilm_elements.set([vision])
    made["vision"].countries.set(["KE"])
    return made


def test_the_best_fit_comes_first_with_its_reasons(plains, catalog, world):
    ranked = recommended_offerings(user=world.nora, landscape=plains)
    titles = [r.offering.title for r in ranked]
    assert titles[0] == "Finance Desk"
    assert set(titles) == {
        "Finance Desk",
        "Mapping Help",
        "Visioning Kit",
        "Landscape Finance Clinic",
    }
    best = ranked[0]
    assert best.score == 9.5  # high need 6 + low need 2 + Spanish 1 + free 0.5
    assert "addresses your high-priority need “Landscape finance”" in best.reasons
    assert "addresses your low-priority need “GIS and mapping”" in best.reasons
    assert "available in Spanish" in best.reasons and "free" in best.reasons
    by_title = {r.offering.title: r for r in ranked}
    assert by_title["Mapping Help"].score == 2.0
    assert "available in Africa" in by_title["Mapping Help"].reasons
    assert by_title["Visioning Kit"].score == 1.5
    assert "supports “Vision and planning”, which your partnership is working on" in (
        by_title["Visioning Kit"].reasons)  # fmt: skip


def test_leaders_set_a_recommendation_aside_and_bring_it_back(client_for, plains, catalog):
    url = reverse("coordination:landscape_recommendations", args=[plains.slug])
    lena = client_for("lena")
    assert "Finance Desk" in lena.get(url).content.decode()
    response = lena.post(url, {"offering": catalog["finance"].slug, "reason": "already_have",
                               "note": "Our bank already helps."})  # fmt: skip
    assert response.status_code == 302
    page = lena.get(url).content.decode()
    assert "We already have this — Our bank already helps." in page
    assert page.count(catalog["finance"].get_absolute_url()) == 1  # only in the set-aside list
    assert client_for("nora").post(url, {"offering": catalog["finance"].slug,
                                         "reason": "other"}).status_code == 403  # fmt: skip
    lena.post(url, {"offering": catalog["finance"].slug, "restore": "1"})
    assert "Offerings set aside</h2>" not in lena.get(url).content.decode()


def test_the_landscape_page_shows_the_top_recommendations(client, plains, catalog):
    body = client.get(plains.get_absolute_url()).content.decode()
    section = body[body.index('id="recommendations"') :]
    assert section.index("Finance Desk") < section.index("Mapping Help")
    assert "Beekeeping" not in section and "Draft Finance" not in section


def test_ranking_cost_does_not_grow_with_the_catalog(
    plains, catalog, world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as few:
        recommended_offerings(user=world.nora, landscape=plains)
    finance = f.term(Vocabulary.CAPABILITY, "landscape-finance")
    for i in range(30):
        OfferingFactory(title=f"More Finance {i}", capabilities=[finance], is_global=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        ranked = recommended_offerings(user=world.nora, landscape=plains)
    assert len(ranked) == 10


def test_ratings_of_landscapes_with_similar_ecosystems_lift_an_offering(plains, world):
    from landhub.coordination.models import ServiceRequest, ValueFeedback

    mountain = _term(Vocabulary.ECOSYSTEM, "mountain")
    plains.ecosystems.set([mountain])
    neighbour = f.LandscapeFactory(name="Similar Hills")
    neighbour.ecosystems.set([mountain])
    finance = _term(Vocabulary.CAPABILITY, "landscape-finance")
    first = OfferingFactory(title="Alpha Fund Help", capabilities=[finance], is_global=True)
    second = OfferingFactory(title="Beta Fund Help", capabilities=[finance], is_global=True)
    for offering, usefulness in ((first, 2), (second, 5)):
        done = ServiceRequest.objects.create(offering=offering, landscape=neighbour,
                                             message="Done for the neighbours.",
                                             status="delivered")  # fmt: skip
        ValueFeedback.objects.create(request=done, usefulness=usefulness, what_changed="x",
                                     would_recommend=usefulness > 3)  # fmt: skip
    ranked = [r for r in recommended_offerings(user=world.nora, landscape=plains)
              if r.offering.title.endswith("Fund Help")]  # fmt: skip
    assert [r.offering.title for r in ranked] == ["Beta Fund Help", "Alpha Fund Help"]
    assert "rated 5.0/5 by 1 landscape with similar ecosystems" in ranked[0].reasons
    assert ranked[0].score - ranked[1].score == pytest.approx(1.0)  # +2/3 and -1/3


def test_recommendations_are_cached_until_the_next_write(plains, catalog, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = recommended_offerings(user=world.nora, landscape=plains)
    with CaptureQueriesContext(connection) as queries:
        again = recommended_offerings(user=world.nora, landscape=plains)
    assert [r.offering.pk for r in again] == [r.offering.pk for r in first]
    assert len(queries.captured_queries) <= 1  # the generation check at most
    OfferingFactory(title="Newest Finance Desk",
                    capabilities=[f.term(Vocabulary.CAPABILITY, "landscape-finance")],
                    is_global=True, languages=",es,")  # fmt: skip
    titles = [r.offering.title for r in recommended_offerings(user=world.nora, landscape=plains)]
    assert "Newest Finance Desk" in titles


def test_the_api_recommends_and_leaders_set_aside(client, plains, catalog, world):
    import json

    from landhub.accounts.services import api_token_create

    url = f"/api/v1/offerings/recommended/{plains.slug}"
    data = client.get(url).json()
    assert data[0]["offering"]["title"] == "Finance Desk" and data[0]["score"] == 9.5
    assert "available in Spanish" in data[0]["reasons"]
    _token, plain = api_token_create(actor=world.lena, name="t", scope="write")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {plain}"}
    body = json.dumps({"offering": catalog["finance"].slug, "reason": "not_now"})
    assert client.post(f"{url}/dismiss", body, content_type="application/json",
                       **auth).status_code == 204  # fmt: skip
    assert "Finance Desk" not in [r["offering"]["title"] for r in client.get(url).json()]
    bad = json.dumps({"offering": catalog["finance"].slug, "reason": "bored"})
    assert client.post(f"{url}/dismiss", bad, content_type="application/json",
                       **auth).status_code == 422  # fmt: skip
    body = json.dumps({"offering": catalog["finance"].slug})
    assert client.post(f"{url}/restore", body, content_type="application/json",
                       **auth).status_code == 204  # fmt: skip
    assert client.get(url).json()[0]["offering"]["title"] == "Finance Desk"
