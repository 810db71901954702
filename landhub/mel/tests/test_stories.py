"""Most significant change: the services' rules and messages (stories, consent, selection
rounds), who reads what, and the list communications reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from landhub.core.exceptions import ConflictError
from landhub.core.models import Notification
from landhub.directory import factories as f
from landhub.directory.models import Term
from landhub.mel import services
from landhub.mel.models import RoundStory, SelectionRound, Story
from landhub.mel.selectors import (
    round_detail,
    round_list,
    round_selection_log,
    stories_for_communications,
    story_detail,
    story_list,
)

pytestmark = pytest.mark.django_db

TOLD = dt.date(2025, 3, 1)


def _messages(exc) -> str:
    return " ".join(exc.value.messages)


def _story(actor, landscape, **extra) -> Story:
    values = {
        "title": "A spring flows again", "landscape": landscape, "storyteller": "Wanjiru Otieno",
        "storyteller_role": "farmer", "domain": "land_and_nature", "told_on": TOLD,
        "story": "We fenced the spring and planted bamboo. Now water runs all year.",
        "why_significant": "My daughters no longer walk two hours for water.",
    }  # fmt: skip
    values.update(extra)
    return services.story_create(actor=actor, **values)


@pytest.fixture
def msc(world):
    return make_msc(world)


def make_msc(world):
    """Four stories: two of lena's landscape (one public with consent, one network), one
    restricted in the Hidden Valley (hub staff's), one from 2024; a theme tag."""
    tag = Term.objects.create(vocabulary="theme", slug="msc-water", name_en="Water (MSC test)")
    spring = _story(world.lena, world.landscape, consent="named", tags=[tag],
                    consent_recorded_on=dt.date(2025, 3, 2),
                    consent_note="Signed form.")  # fmt: skip
    nursery = _story(world.lena, world.landscape, title="A youth tree nursery",
                     storyteller="Kamau", domain="peoples_lives", told_on=dt.date(2025, 6, 1),
                     consent="anonymous", consent_recorded_on=dt.date(2025, 6, 1),
                     visibility="public")  # fmt: skip
    hidden = _story(world.hana, world.restricted_landscape, title="A quiet by-law",
                    domain="institutions", told_on=dt.date(2025, 4, 1), consent="internal",
                    consent_recorded_on=dt.date(2025, 4, 1), visibility="restricted")  # fmt: skip
    old = _story(world.lena, world.landscape, title="Terraces of 2024", told_on=dt.date(2024, 5, 1))
    return type("Msc", (), {"spring": spring, "nursery": nursery, "hidden": hidden, "old": old,
                            "tag": tag})  # fmt: skip


def _round(world, **extra) -> SelectionRound:
    values = {"title": "LLAG 2025", "panel_name": "Landscape Leaders Advisory Group",
              "period_start": dt.date(2025, 1, 1), "period_end": dt.date(2025, 12, 31),
              "panel": [world.sofia], "held_on": dt.date(2026, 1, 20)}  # fmt: skip
    values.update(extra)
    return services.round_create(actor=world.hana, **values)


# --- story_create ----------------------------------------------------------------------------


def test_a_member_collects_a_story_with_its_links_and_history(world, msc):
    story = msc.spring
    assert story.collected_by == world.lena and story.version == 1
    assert list(story.tags.all()) == [msc.tag]
    assert story.history.count() == 1
    outcome_free = _story(world.lena, world.landscape, offerings=[world.offering],
                          language="SW")  # fmt: skip
    assert list(outcome_free.offerings.all()) == [world.offering]
    assert outcome_free.language == "sw"


def test_collecting_is_for_the_landscapes_members_hub_staff_and_reviewers(world, mel):
    for persona in ("oscar", "nora", "pablo"):
        with pytest.raises(PermissionDenied):
            _story(getattr(world, persona), world.landscape)
    with pytest.raises(PermissionDenied):  # lena is not a member of the Hidden Valley
        _story(world.lena, world.restricted_landscape)
    assert _story(mel.reviewer, world.restricted_landscape).collected_by == world.sofia
    member = f.LandscapeMembershipFactory(person=world.people["nora"], landscape=world.landscape,
                                          role="member")  # fmt: skip
    assert _story(world.nora, member.landscape).pk


def test_a_story_refuses_bad_input_with_a_message_per_field(world):
    def refused(**extra):
        with pytest.raises(ValidationError) as exc:
            _story(world.lena, world.landscape, **extra)
        return exc.value.message_dict

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert refused(told_on=tomorrow) == {
        "told_on": ["The day the story was told cannot be in the future."]
    }
    assert refused(told_on="1st of May") == {"told_on": ["Enter a date as YYYY-MM-DD."]}
    assert refused(consent="named") == {
        "consent_recorded_on": ["Give the date the storyteller's consent was recorded."]
    }
    assert refused(consent="maybe") == {"consent": ["Choose the storyteller's consent."]}
    assert refused(visibility="public") == {
        "visibility": ["A story is public only when its storyteller consented to publication."]
    }
    assert refused(language="klingon")["language"] == [
        "Choose a language by its code, such as en, es, sw or am."
    ]
    assert refused(domain="weather") == {"domain": ["Choose a domain of change."]}
    assert refused(title="  ", why_significant="")["title"] == ["This field is required."]
    assert "why_significant" in refused(why_significant="")
    ecosystem = Term.objects.create(vocabulary="ecosystem", slug="msc-bog", name_en="Bog")
    assert "tags" in refused(tags=[ecosystem])
    assert "offerings" in refused(offerings=[world.draft_offering])  # a draft lena cannot see
    assert not Story.objects.exists()


def test_consent_not_asked_keeps_no_date_or_note(world):
    story = _story(world.lena, world.landscape, consent_recorded_on=TOLD, consent_note="x")
    assert story.consent == "not_asked" and story.consent_recorded_on is None
    assert story.consent_note == ""


# --- story_update, consent, archive ----------------------------------------------------------


def test_the_collector_and_leaders_edit_with_versions_and_history(world, msc):
    story = services.story_update(actor=world.lena, story=msc.spring, version=1,
                                  changes={"title": "The spring of Kiambu",
                                           "tags": []})  # fmt: skip
    assert story.version == 2 and story.title == "The spring of Kiambu"
    assert not story.tags.exists()
    with pytest.raises(ConflictError):
        services.story_update(
            actor=world.lena, story=msc.spring, version=1, changes={"title": "Stale"}
        )
    for persona in ("nora", "oscar", "pablo"):
        with pytest.raises(PermissionDenied):
            services.story_update(actor=getattr(world, persona), story=msc.spring, version=2,
                                  changes={"title": "Mine"})  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.story_update(
            actor=world.lena, story=msc.spring, version=2, changes={"collected_by": None}
        )
    assert exc.value.message_dict == {"collected_by": ["This field cannot be changed here."]}
    with pytest.raises(ValidationError) as exc:  # never asked: not public
        services.story_update(
            actor=world.lena, story=msc.old, version=1, changes={"visibility": "public"}
        )
    assert "consented to publication" in exc.value.message_dict["visibility"][0]
    with pytest.raises(ValidationError) as exc:
        services.story_update(actor=world.lena, story=msc.old, version=1,
                              changes={"told_on": "someday", "storyteller": ""})  # fmt: skip
    assert set(exc.value.message_dict) == {"told_on", "storyteller"}
    assert story.history.count() == 2
    # Moving it to a landscape she is not a member of: refused.
    with pytest.raises(PermissionDenied):
        services.story_update(actor=world.lena, story=msc.spring, version=2,
                              changes={"landscape": world.restricted_landscape})  # fmt: skip
    assert Story.objects.get(pk=msc.spring.pk).title == "The spring of Kiambu"


def test_withdrawing_consent_makes_a_public_story_network_and_is_in_the_history(world, msc):
    story = msc.nursery
    assert story.visibility == "public"
    story = services.story_set_consent(actor=world.lena, story=story, version=story.version,
                                       consent="refused", recorded_on=dt.date(2025, 7, 1),
                                       note="Phoned; she changed her mind.")  # fmt: skip
    assert story.visibility == "network" and story.consent == "refused"
    assert story.history.first().history_change_reason == "Consent to publication withdrawn"
    with pytest.raises(ConflictError):
        services.story_set_consent(actor=world.lena, story=story, version=1, consent="named",
                                   recorded_on=dt.date(2025, 7, 2))  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.story_set_consent(actor=world.lena, story=story, version=story.version,
                                   consent="named")  # fmt: skip
    assert "consent_recorded_on" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.story_set_consent(actor=world.nora, story=story, version=story.version,
                                   consent="named", recorded_on=TOLD)  # fmt: skip


def test_archiving_hides_a_story_from_the_list_and_it_can_be_restored(world, msc):
    story = services.story_archive(actor=world.lena, story=msc.old, version=1)
    assert story.archived_at is not None and story.version == 2
    assert msc.old not in story_list(user=world.lena)
    assert msc.old in story_list(user=world.lena, filters={"archived": "1"})
    with pytest.raises(ValidationError):
        services.story_archive(actor=world.lena, story=story, version=2)
    with pytest.raises(ValidationError) as exc:
        services.story_update(actor=world.lena, story=story, version=2, changes={"title": "x"})
    assert "archived" in _messages(exc)
    with pytest.raises(ConflictError):
        services.story_archive(actor=world.lena, story=story, version=1, archived=False)
    with pytest.raises(PermissionDenied):
        services.story_archive(actor=world.oscar, story=story, version=2, archived=False)
    assert services.story_archive(actor=world.lena, story=story, version=2,
                                  archived=False).archived_at is None  # fmt: skip


# --- visibility ------------------------------------------------------------------------------


def test_who_reads_which_story(world, msc):
    def titles(user):
        return set(story_list(user=user).values_list("title", flat=True))

    everyone = {"A spring flows again", "A youth tree nursery", "Terraces of 2024"}
    assert titles(world.hana) == everyone | {"A quiet by-law"}
    for persona in ("lena", "nora", "oscar", "pablo"):
        assert titles(getattr(world, persona)) == everyone
    from django.contrib.auth.models import AnonymousUser

    assert not story_list(user=AnonymousUser()).exists()
    from django.http import Http404

    with pytest.raises(Http404):
        story_detail(user=world.lena, pk=msc.hidden.pk)
    # A panel member reads the restricted story of her round.
    selection_round = _round(world, panel=[world.nora])
    services.round_add_stories(actor=world.hana, selection_round=selection_round,
                               stories=[msc.hidden])  # fmt: skip
    assert story_detail(user=world.nora, pk=msc.hidden.pk).title == "A quiet by-law"
    assert "A quiet by-law" not in titles(world.oscar)


def test_list_filters(world, msc):
    def titles(**filters):
        return set(story_list(user=world.lena, filters=filters).values_list("title", flat=True))

    assert titles(domain="peoples_lives") == {"A youth tree nursery"}
    assert titles(consent="named") == {"A spring flows again"}
    assert titles(year="2024") == {"Terraces of 2024"}
    assert titles(year="20x4") == titles()
    assert titles(tag="msc-water") == {"A spring flows again"}
    assert titles(landscape=world.landscape.slug) == titles()
    assert titles(landscape="atlantis") == set()
    assert titles(region="Africa") == titles()
    assert titles(language="en") == titles()
    assert titles(selected="yes") == set() and titles(selected="no") == titles()
    assert titles(q="nursery") == {"A youth tree nursery"}
    assert titles(q="daughters") == titles()  # words of why it is significant


# --- rounds ----------------------------------------------------------------------------------


def test_a_round_takes_the_visible_stories_of_its_period_and_tells_the_panel(world, msc):
    selection_round = _round(world)
    added = services.round_add_stories(actor=world.hana, selection_round=selection_round)
    # 2025, not archived, not restricted (restricted ones only when chosen).
    assert added == 2
    assert set(selection_round.entries.values_list("story__title", flat=True)) == {
        "A spring flows again", "A youth tree nursery"}  # fmt: skip
    told = Notification.objects.get(recipient=world.sofia, kind="mel.round_opened")
    assert told.url == selection_round.get_absolute_url()
    assert services.round_add_stories(actor=world.hana, selection_round=selection_round) == 0
    assert Notification.objects.filter(kind="mel.round_opened").count() == 1
    only_people = _round(world, title="People only", domain="peoples_lives")
    assert services.round_add_stories(actor=world.hana, selection_round=only_people) == 1
    assert services.round_add_stories(actor=world.hana, selection_round=only_people,
                                      stories=[msc.old, msc.hidden]) == 2  # fmt: skip
    with pytest.raises(ValidationError):
        services.round_add_stories(actor=world.hana, selection_round=only_people,
                                   stories=[999999])  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.round_add_stories(actor=world.sofia, selection_round=only_people)
    # A member added later to a round with stories is told too.
    updated = services.round_update(actor=world.hana, selection_round=selection_round,
                                    version=selection_round.version,
                                    panel=[world.sofia, world.lena])  # fmt: skip
    assert updated.version == 2
    assert Notification.objects.filter(recipient=world.lena, kind="mel.round_opened").exists()


def test_setting_up_a_round_is_for_hub_staff_and_checks_its_dates(world):
    with pytest.raises(PermissionDenied):
        services.round_create(actor=world.lena, title="x", panel_name="y", period_start=TOLD,
                              period_end=TOLD)  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        _round(world, period_end=dt.date(2024, 1, 1))
    assert exc.value.message_dict == {"period_end": ["The period ends before it starts."]}
    with pytest.raises(ValidationError) as exc:
        _round(world, title="", period_start="soon")
    assert exc.value.message_dict["title"] == ["This field is required."]
    assert exc.value.message_dict["period_start"] == ["Enter a date as YYYY-MM-DD."]
    with pytest.raises(ValidationError) as exc:
        _round(world, domain="weather")
    assert "domain" in exc.value.message_dict
    selection_round = _round(world)
    with pytest.raises(ConflictError):
        services.round_update(actor=world.hana, selection_round=selection_round, version=0,
                              title="Stale")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.round_update(actor=world.sofia, selection_round=selection_round, version=1,
                              title="Mine")  # fmt: skip


def test_the_panel_selects_with_a_reason_and_staff_close_the_round(world, msc):
    selection_round = _round(world)
    services.round_add_stories(actor=world.hana, selection_round=selection_round)
    with pytest.raises(ValidationError) as exc:
        services.round_select(actor=world.sofia, selection_round=selection_round,
                              story=msc.spring, reason="  ")  # fmt: skip
    assert exc.value.message_dict == {"reason": ["Say why the panel selects this story."]}
    with pytest.raises(PermissionDenied):
        services.round_select(actor=world.lena, selection_round=selection_round,
                              story=msc.spring, reason="Mine is best")  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.round_select(actor=world.sofia, selection_round=selection_round,
                              story=msc.old, reason="Old but gold")  # fmt: skip
    assert "not before this round's panel" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.round_close(actor=world.hana, selection_round=selection_round, version=1)
    assert "selected no story yet" in _messages(exc)
    entry = services.round_select(actor=world.sofia, selection_round=selection_round,
                                  story=msc.spring,
                                  reason="Water for a whole village.")  # fmt: skip
    assert entry.selected and entry.reason == "Water for a whole village."
    services.round_select(actor=world.hana, selection_round=selection_round, story=msc.nursery,
                          reason="Youth leading.")  # fmt: skip
    services.round_select(actor=world.sofia, selection_round=selection_round, story=msc.nursery,
                          selected=False)  # fmt: skip
    log = round_selection_log(selection_round)
    assert [(r.who, r.selected) for r in log[:3]] == [("Sofia", False), ("Hana", True),
                                                      ("Sofia", True)]  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.round_close(actor=world.sofia, selection_round=selection_round, version=1)
    with pytest.raises(ConflictError):
        services.round_close(actor=world.hana, selection_round=selection_round, version=0)
    closed = services.round_close(actor=world.hana, selection_round=selection_round, version=1,
                                  notes="A long and warm discussion.")  # fmt: skip
    assert closed.status == "closed" and closed.closed_at is not None
    spring = Story.objects.get(pk=msc.spring.pk)
    assert spring.selected_at == closed.closed_at
    assert Story.objects.get(pk=msc.nursery.pk).selected_at is None
    assert spring.history.first().history_change_reason == "Selected by LLAG 2025"
    # Lena collected it and leads its landscape: told once.
    told = Notification.objects.filter(kind="mel.story_selected", recipient=world.lena)
    assert told.count() == 1 and "Water for a whole village." in told.get().body
    # A closed round takes no changes.
    for call in (
        lambda: services.round_select(actor=world.hana, selection_round=closed,
                                      story=msc.nursery, reason="Late"),
        lambda: services.round_add_stories(actor=world.hana, selection_round=closed),
        lambda: services.round_update(actor=world.hana, selection_round=closed,
                                      version=closed.version, title="Renamed"),
        lambda: services.round_close(actor=world.hana, selection_round=closed,
                                     version=closed.version),
    ):  # fmt: skip
        with pytest.raises(ValidationError) as exc:
            call()
        assert "This round is closed" in _messages(exc)


def test_who_reads_a_round(world, msc, mel):
    open_round = _round(world, panel=[world.nora])
    services.round_add_stories(actor=world.hana, selection_round=open_round,
                               stories=[msc.spring, msc.hidden])  # fmt: skip
    assert set(round_list(user=world.oscar)) == set()
    assert set(round_list(user=world.nora)) == {open_round}
    assert set(round_list(user=mel.reviewer)) == {open_round}
    shown = round_detail(user=world.nora, pk=open_round.pk)
    assert shown.is_panel and len(shown.entries_shown) == 2
    services.round_select(actor=world.nora, selection_round=open_round, story=msc.spring,
                          reason="Clear change.")  # fmt: skip
    services.round_close(actor=world.hana, selection_round=open_round, version=1)
    # Closed: every member reads it, without the stories they may not read.
    shown = round_detail(user=world.oscar, pk=open_round.pk)
    assert [e.story for e in shown.entries_shown] == [msc.spring]
    assert round_list(user=world.oscar, filters={"status": "closed"}).get().selected_count == 1
    assert not round_list(user=world.oscar, filters={"status": "open"}).exists()
    assert round_list(user=world.nora, filters={"mine": "1"}).count() == 1
    assert round_list(user=world.oscar, filters={"domain": "all", "q": "llag"}).count() == 1
    story = story_detail(user=world.oscar, pk=msc.spring.pk)
    assert [e.reason for e in story.selections] == ["Clear change."]


# --- for communications ----------------------------------------------------------------------


def test_communications_lists_selected_stories_with_consent_and_says_whether_to_name(world, msc):
    selection_round = _round(world)
    services.round_add_stories(actor=world.hana, selection_round=selection_round,
                               stories=[msc.spring, msc.nursery, msc.old])  # fmt: skip
    for story in (msc.spring, msc.nursery, msc.old):
        services.round_select(actor=world.sofia, selection_round=selection_round, story=story,
                              reason=f"Because of {story.title}")  # fmt: skip
    assert not stories_for_communications(world.nora).exists()  # not closed yet
    services.round_close(actor=world.hana, selection_round=selection_round, version=1)
    rows = list(stories_for_communications(world.nora))
    # The 2024 story was never asked for consent: not listed.
    assert [(s.title, s.name_shown) for s in rows] == [("A youth tree nursery", False),
                                                       ("A spring flows again", True)]  # fmt: skip
    assert rows[1].selections[0].reason == "Because of A spring flows again"
    # Consent withdrawn: off the list at once, the selection stays.
    spring = Story.objects.get(pk=msc.spring.pk)
    services.story_set_consent(actor=world.lena, story=spring, version=spring.version,
                               consent="internal", recorded_on=dt.date(2025, 8, 1))  # fmt: skip
    assert [s.title for s in stories_for_communications(world.nora)] == ["A youth tree nursery"]
    assert RoundStory.objects.get(story=spring).selected
    assert Story.objects.get(pk=spring.pk).selected_at is not None
    # Archived: off the list too.
    nursery = Story.objects.get(pk=msc.nursery.pk)
    services.story_archive(actor=world.lena, story=nursery, version=nursery.version)
    assert not stories_for_communications(world.nora).exists()


# --- search ----------------------------------------------------------------------------------


def test_the_global_search_finds_stories_each_reader_may_read(world, msc):
    from django.contrib.auth.models import AnonymousUser

    from landhub.core.search import search_sections

    section = next(s for s in search_sections() if s.key == "story")
    assert str(section.label) == "Stories of change"
    assert [s.title for s in section.results(world.hana, "by-law")] == ["A quiet by-law"]
    assert not section.results(world.lena, "by-law").exists()  # restricted, not hers
    assert [s.title for s in section.results(world.lena, "nursery")] == ["A youth tree nursery"]
    assert section.results(world.lena, "bamboo").count() == 3  # words of the story itself
    assert not section.results(AnonymousUser(), "bamboo").exists()
    hit = section.hit(msc.spring)
    assert hit["url"] == msc.spring.get_absolute_url()
    assert hit["note"] == "Kenya Highlands · Changes in land, water and nature"
