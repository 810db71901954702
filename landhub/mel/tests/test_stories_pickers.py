"""The story form names outcome statements and offerings by typing, with suggestions
(``mel:learning_suggest``), and the landscape too for those who collect for many (hub staff and
MEL reviewers collect for every landscape): never a select of every record. Before, selects cut
at the first 500 by title made the others impossible to link, and the landscape select listed
all 1,000 landscapes. Here: linking records beyond the old cut by typing, clear messages for a
name that matches none or several, an edited story keeping its links (even those its editor
may not read or that were archived since), and the create page staying small and bounded."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from landhub.coordination.models import Offering
from landhub.directory.models import Landscape
from landhub.mel import services
from landhub.mel.models import OutcomeStatement, Story

from .test_stories import _story

pytestmark = pytest.mark.django_db

# More than the old cut of the selects (500), and more than the 300 of the page-size budget.
MANY = 520
LANDSCAPE_SELECT = re.compile(r'<select[^>]* name="landscape"')


def _outcome(world, title, **extra):
    values = {
        "title": title, "description": "It did.", "actor_name": "Regional Bank",
        "actor_type": "financial_institution", "change_type": "policy",
        "domain": "financial_sector", "occurred_on": dt.date(2025, 6, 1),
        "contribution": "Coaching.", "status": "published", "visibility": "network",
        "recorded_by": world.lena,
    }  # fmt: skip
    values.update(extra)
    return OutcomeStatement.objects.create(**values)


@pytest.fixture
def crowd(world):
    """Many landscapes, outcome statements and offerings, made in bulk, all titled so that
    they sort before the ones the tests link ("Zebra …")."""
    Landscape.objects.bulk_create([Landscape(name=f"Crowd Landscape {n:03}",
                                             slug=f"crowd-landscape-{n:03}", summary="x")
                                   for n in range(MANY)])  # fmt: skip
    OutcomeStatement.objects.bulk_create([OutcomeStatement(
        title=f"Crowd outcome {n:03}", description="x", actor_name="x",
        actor_type="financial_institution", change_type="policy", domain="financial_sector",
        occurred_on=dt.date(2025, 6, 1), contribution="x", status="published",
        visibility="network", recorded_by=world.lena) for n in range(MANY)])  # fmt: skip
    Offering.objects.bulk_create([Offering(
        title=f"Crowd Offering {n:03}", slug=f"crowd-offering-{n:03}", summary="x",
        type="service", status="published", languages=",en,") for n in range(MANY)])  # fmt: skip
    return type("Crowd", (), {
        "outcome": _outcome(world, "Zebra grazing plan adopted"),
        "offering": Offering.objects.create(title="Zebra Finance Lab", slug="zebra-finance-lab",
                                            summary="x", type="service", status="published",
                                            languages=",en,"),
    })  # fmt: skip


def _data(world, **extra):
    data = {
        "title": "The grazing plan", "landscape": world.landscape.pk,
        "storyteller": "Joseph Mwangi", "domain": "institutions", "told_on": "2025-09-10",
        "language": "en", "story": "The elders agreed a grazing plan.",
        "why_significant": "The pasture recovers.", "consent": "not_asked",
        "visibility": "network",
    }  # fmt: skip
    data.update(extra)
    return data


def _errors(response) -> str:
    return " ".join(re.findall(r'role="alert">(.*?)</div>', response.content.decode(), re.S))


# --- linking by typing -----------------------------------------------------------------------


def test_outcomes_and_offerings_beyond_the_old_cut_are_linked_by_typing(client_for, world, crowd):
    lena = client_for("lena")
    # The suggestions find them by a few words of the title.
    suggest = reverse("mel:learning_suggest")
    found = lena.get(suggest, {"kind": "outcome", "q": "zebra"}).json()["results"]
    label = f"Zebra grazing plan adopted (#{crowd.outcome.pk})"
    assert found == [{"id": crowd.outcome.pk, "label": label}]
    # A chosen suggestion ("Title (#id)") and a whole title typed in any case both work.
    done = lena.post(
        reverse("mel:story_create"),
        _data(world, outcomes=[label], offerings=["zebra finance lab", "Landscape Finance Clinic"]),
    )
    assert done.status_code == 302
    story = Story.objects.get(title="The grazing plan")
    assert list(story.outcomes.all()) == [crowd.outcome]
    assert set(story.offerings.all()) == {crowd.offering, world.offering}
    # The story page names them.
    page = lena.get(story.get_absolute_url()).content.decode()
    assert "Zebra grazing plan adopted" in page and "Zebra Finance Lab" in page


def test_a_name_that_matches_none_or_several_is_refused_beside_its_field(client_for, world):
    _outcome(world, "Twin outcome")
    _outcome(world, "Twin outcome", actor_name="Another bank")
    lena = client_for("lena")
    url = reverse("mel:story_create")
    refused = lena.post(
        url,
        _data(
            world, outcomes=["Twin outcome"], offerings=["Nothing like this", "Soil Carbon Toolkit"]
        ),
    )
    assert refused.status_code == 400
    errors = _errors(refused)
    assert ("More than one outcome statement is called “Twin outcome”: choose from the "
            "suggestions.") in errors  # fmt: skip
    assert "No offering called “Nothing like this” was found: choose from the suggestions." in (
        errors)  # fmt: skip
    # A draft offering lena may not read is as unknown to her as one that does not exist.
    assert "No offering called “Soil Carbon Toolkit” was found" in errors
    # What she typed stays in the boxes, to correct.
    assert 'value="Nothing like this"' in refused.content.decode()
    # An id no database could hold, or a bare number, names nothing; never an error page.
    huge = lena.post(url, _data(world, outcomes=[f"Twin (#{2**70})"], offerings=[str(2**70)]))
    assert huge.status_code == 400
    assert "No outcome statement called “Twin” was found" in _errors(huge)
    assert not Story.objects.filter(title="The grazing plan").exists()


def test_hub_staff_type_the_landscape_and_members_choose_from_theirs(client_for, world, crowd):
    hana, lena = client_for("hana"), client_for("lena")
    url = reverse("mel:story_create")
    # A member collects for one landscape: a select of it.
    mine = lena.get(url).content.decode()
    assert LANDSCAPE_SELECT.search(mine) and "Crowd Landscape" not in mine
    # Hub staff collect for every landscape: a typed box, already filled from a landscape's
    # page (?landscape=<id>).
    form = hana.get(url, {"landscape": world.landscape.pk}).content.decode()
    assert not LANDSCAPE_SELECT.search(form)
    assert 'data-autocomplete-url="/mel/learning/suggest/?kind=landscape"' in form
    assert f'value="Kenya Highlands (#{world.landscape.pk})"' in form
    unknown = hana.post(url, _data(world, landscape="Atlantis"))
    assert unknown.status_code == 400
    assert "No landscape called “Atlantis” was found: choose from the suggestions." in _errors(
        unknown)  # fmt: skip
    assert hana.post(url, _data(world, landscape=f"Atlantis (#{2**70})")).status_code == 400
    # The name typed whole, the chosen suggestion, the slug or the id all name it.
    for n, named in enumerate(
        [
            "hidden valley",
            f"Hidden Valley (#{world.restricted_landscape.pk})",
            world.restricted_landscape.slug,
            world.restricted_landscape.pk,
        ]
    ):
        done = hana.post(url, _data(world, landscape=named, title=f"Typed {n}"))
        assert done.status_code == 302, named
        assert Story.objects.get(title=f"Typed {n}").landscape == world.restricted_landscape


# --- an edited story keeps its links ---------------------------------------------------------


def test_an_edited_story_shows_and_keeps_its_links(client_for, world):
    archived = _outcome(world, "Terraces rebuilt")
    unpublished = _outcome(world, "A draft outcome of hana", status="draft",
                           recorded_by=world.hana)  # fmt: skip
    story = _story(world.hana, world.landscape, outcomes=[archived, unpublished],
                   offerings=[world.offering, world.draft_offering])  # fmt: skip
    OutcomeStatement.objects.filter(pk=archived.pk).update(archived_at=timezone.now())
    lena = client_for("lena")  # the landscape's leader: may edit, may not read the drafts
    edit = reverse("mel:story_edit", args=[story.pk])
    form = lena.get(edit).content.decode()
    shown = [f"Terraces rebuilt (#{archived.pk})",
             f"Landscape Finance Clinic (#{world.offering.pk})"]  # fmt: skip
    assert all(f'value="{label}"' in form for label in shown)
    assert "A draft outcome of hana" not in form and "Soil Carbon Toolkit" not in form
    assert form.count("1 more is linked that you may not read; it is kept.") == 2
    data = _data(world, title="Terraces, again", version=story.version, outcomes=[shown[0]],
                 offerings=[shown[1]])  # fmt: skip
    data.pop("consent")
    assert lena.post(edit, data).status_code == 302
    story.refresh_from_db()
    assert story.title == "Terraces, again"
    assert set(story.outcomes.all()) == {archived, unpublished}
    assert set(story.offerings.all()) == {world.offering, world.draft_offering}
    # Emptying a box unlinks what it named; what she may not read stays.
    data.update(outcomes=[""], offerings=[""], version=story.version)
    assert lena.post(edit, data).status_code == 302
    assert list(story.outcomes.all()) == [unpublished]
    assert list(story.offerings.all()) == [world.draft_offering]
    # Hub staff read everything: every link shows, and the landscape in its typed box.
    staff = client_for("hana").get(edit).content.decode()
    assert f'value="A draft outcome of hana (#{unpublished.pk})"' in staff
    assert "may not read" not in staff


def test_the_service_keeps_an_archived_link_but_refuses_a_new_one(world):
    kept = _outcome(world, "Kept outcome")
    story = _story(world.lena, world.landscape, outcomes=[kept])
    OutcomeStatement.objects.filter(pk=kept.pk).update(archived_at=timezone.now())
    fresh = _outcome(world, "Archived before linking")
    OutcomeStatement.objects.filter(pk=fresh.pk).update(archived_at=timezone.now())
    services.story_update(actor=world.lena, story=story, version=story.version,
                          changes={"title": "Still linked", "outcomes": [kept.pk]})  # fmt: skip
    assert list(story.outcomes.all()) == [kept]
    with pytest.raises(ValidationError) as refused:
        services.story_update(actor=world.lena, story=story, version=story.version,
                              changes={"outcomes": [kept.pk, fresh.pk]})  # fmt: skip
    assert "not yours to link" in " ".join(refused.value.messages)
    assert list(story.outcomes.all()) == [kept]


# --- the page stays small --------------------------------------------------------------------


def test_the_create_page_for_hub_staff_stays_small_and_bounded(
    client_for, world, crowd, django_assert_max_num_queries
):
    hana = client_for("hana")
    url = reverse("mel:story_create")
    with django_assert_max_num_queries(10):
        page = hana.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Crowd" not in html and "Zebra" not in html
    # Only the fixed lists remain as selects (domains, languages, consent, tags, visibility):
    # none grows with the landscapes, outcome statements or offerings.
    assert html.count("<option") < 200
    assert len(page.content) < 80_000
    for kind in ("landscape", "outcome", "offering"):
        assert f'data-autocomplete-url="/mel/learning/suggest/?kind={kind}"' in html
    # Editing costs a bounded number of queries too, whatever the links.
    story = _story(world.hana, world.landscape, outcomes=[crowd.outcome],
                   offerings=[crowd.offering])  # fmt: skip
    with django_assert_max_num_queries(18):
        edit = hana.get(reverse("mel:story_edit", args=[story.pk]))
    assert edit.status_code == 200 and edit.content.decode().count("<option") < 200
