"""Most significant change, the pages: the story list (filters, CSV), collecting and editing a
story, consent, a round where the panel selects and hub staff close, the stories for
communications, and what each page costs in queries."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from landhub.mel import services
from landhub.mel.models import SelectionRound, Story

from .test_stories import _round, _story, make_msc

pytestmark = pytest.mark.django_db


@pytest.fixture
def msc(world):
    return make_msc(world)


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_the_list_filters_sorts_and_exports(client_for, world, msc):
    lena = client_for("lena")
    page = lena.get(reverse("mel:story_list")).content.decode()
    assert "3 stories" in page and "A quiet by-law" not in page
    assert "Collect a story" in page
    only = lena.get(reverse("mel:story_list"), {"domain": "peoples_lives"}).content.decode()
    assert "1 story" in only and "A youth tree nursery" in only and "Terraces" not in only
    partial = lena.get(reverse("mel:story_list"), {"year": "2024"}, HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert "<html" not in text and "Terraces of 2024" in text and "A spring" not in text
    own = lena.get(reverse("mel:story_list"), {"landscape": world.landscape.slug})
    assert "Stories of change: Kenya Highlands" in own.content.decode()
    rows = _csv(lena.get(reverse("mel:story_export_csv"), {"sort": "title", "consent": "named"}))
    assert rows[0][:4] == ["Id", "Title", "Landscape", "Region"]
    assert [r[1] for r in rows[1:]] == ["A spring flows again"]
    assert rows[1][9] == "May be published with the storyteller's name"
    assert rows[1][12] == "Water (MSC test)"
    sorted_rows = _csv(lena.get(reverse("mel:story_export_csv"), {"sort": "title"}))
    assert [r[1] for r in sorted_rows[1:]] == ["A spring flows again", "A youth tree nursery",
                                               "Terraces of 2024"]  # fmt: skip
    # Nonsense filters are ignored or match nothing; never an error.
    odd = lena.get(reverse("mel:story_list"), {"year": "x", "sort": "nope", "page": "999",
                                               "selected": "maybe"})  # fmt: skip
    assert odd.status_code == 200
    # Nora is a member of no landscape: nothing to collect.
    assert (
        "Collect a story" not in client_for("nora").get(reverse("mel:story_list")).content.decode()
    )
    assert client_for("nora").get(reverse("mel:story_create")).status_code == 403


def test_a_member_collects_a_story_and_edits_it(client_for, world):
    lena = client_for("lena")
    url = reverse("mel:story_create")
    form = lena.get(url, {"landscape": world.landscape.pk}).content.decode()
    assert "Hidden Valley" not in form and "Kenya Highlands" in form
    data = {"title": "The by-law on river banks", "landscape": world.landscape.pk,
            "storyteller": "Joseph Mwangi", "storyteller_role": "district officer",
            "domain": "institutions", "told_on": "2025-09-10", "language": "sw",
            "story": "The council **passed** a by-law.", "why_significant": "The river is ours.",
            "consent": "named", "visibility": "network"}  # fmt: skip
    refused = lena.post(url, data)
    assert refused.status_code == 400
    assert "Give the date the storyteller&#x27;s consent was recorded." in refused.content.decode()
    done = lena.post(url, {**data, "consent_recorded_on": "2025-09-10"})
    story = Story.objects.get(title="The by-law on river banks")
    assert done.status_code == 302 and done.url == story.get_absolute_url()
    page = lena.get(story.get_absolute_url()).content.decode()
    assert "may be published with the storyteller's name." in page
    assert "<strong>passed</strong>" in page and "Swahili" in page
    edit = reverse("mel:story_edit", args=[story.pk])
    form = {**data, "title": "The river by-law", "version": 1}
    form.pop("consent")
    assert lena.post(edit, form).status_code == 302
    stale = lena.post(edit, {**form, "title": "Someone else's title"})
    assert stale.status_code == 409 and "Someone else saved this story" in stale.content.decode()
    story.refresh_from_db()
    assert story.title == "The river by-law" and story.version == 2
    history = lena.get(story.get_absolute_url()).content.decode()
    assert "The by-law on river banks" in history  # the old title in the history
    assert client_for("oscar").get(edit).status_code == 403


def test_consent_is_withdrawn_on_the_story_page(client_for, world, msc):
    lena = client_for("lena")
    url = reverse("mel:story_consent", args=[msc.nursery.pk])
    missing = lena.post(url, {"consent": "named", "version": msc.nursery.version})
    assert missing.status_code == 400
    done = lena.post(url, {"consent": "refused", "consent_recorded_on": "2025-07-01",
                           "consent_note": "By phone.",
                           "version": msc.nursery.version})  # fmt: skip
    assert done.status_code == 302
    page = lena.get(msc.nursery.get_absolute_url()).content.decode()
    assert "the storyteller refused; not to be published." in page and "By phone." in page
    stale = lena.post(url, {"consent": "named", "consent_recorded_on": "2025-07-02",
                            "version": msc.nursery.version})  # fmt: skip
    assert stale.status_code == 409
    archive = lena.post(reverse("mel:story_archive", args=[msc.old.pk]), {"version": 1})
    assert archive.status_code == 302
    assert Story.objects.get(pk=msc.old.pk).archived_at is not None


def test_the_panel_selects_on_the_round_page_and_staff_close_it(client_for, world, msc):
    hana, sofia = client_for("hana"), client_for("sofia")
    created = hana.post(reverse("mel:round_create"), {
        "title": "LLAG 2025", "panel_name": "Landscape Leaders Advisory Group",
        "panel": "sofia@example.org", "domain": "", "period_start": "2025-01-01",
        "period_end": "2025-12-31", "held_on": "2026-01-20", "add_stories": "on"})  # fmt: skip
    selection_round = SelectionRound.objects.get(title="LLAG 2025")
    assert created.status_code == 302 and created.url == selection_round.get_absolute_url()
    unknown = hana.post(reverse("mel:round_create"), {
        "title": "x", "panel_name": "y", "panel": "ghost@example.org",
        "period_start": "2025-01-01", "period_end": "2025-12-31"})  # fmt: skip
    assert unknown.status_code == 400
    assert "Nobody signs in to the hub with: ghost@example.org" in unknown.content.decode()
    url = selection_round.get_absolute_url()
    page = sofia.get(url).content.decode()
    assert "You sit on this panel" in page and "2 stories before the panel" in page
    assert "Read the whole story" in page and "Close the round" not in page
    select = reverse("mel:round_select", args=[selection_round.pk])
    refused = sofia.post(select, {"story": msc.spring.pk, "selected": "1", "reason": ""},
                         HTTP_HX_REQUEST="true")  # fmt: skip
    card = refused.content.decode()
    assert refused.status_code == 400 and card.lstrip().startswith("<article")
    assert "Say why the panel selects this story." in card
    chosen = sofia.post(select, {"story": msc.spring.pk, "selected": "1",
                                 "reason": "Water for the whole village."},
                        HTTP_HX_REQUEST="true")  # fmt: skip
    card = chosen.content.decode()
    assert chosen.status_code == 200 and "Selected by Sofia" in card and "Unselect" in card
    assert client_for("oscar").get(url).status_code == 404  # open: not his to read
    assert client_for("lena").post(select, {"story": msc.nursery.pk, "reason": "x"}
                                   ).status_code == 404  # fmt: skip
    staff_page = hana.get(url).content.decode()
    assert "Close the round" in staff_page and "Water for the whole village." in staff_page
    close = reverse("mel:round_close", args=[selection_round.pk])
    stale = hana.post(close, {"notes": "x", "version": 0})
    assert stale.status_code == 409
    assert hana.post(close, {"notes": "Warm discussion.", "version": 1}).status_code == 302
    closed = client_for("oscar").get(url).content.decode()
    assert "Warm discussion." in closed and "Closed" in closed
    story = client_for("nora").get(msc.spring.get_absolute_url()).content.decode()
    assert "Selected as most significant" in story and "Water for the whole village." in story
    comms = client_for("nora").get(reverse("mel:stories_for_communications")).content.decode()
    assert "A spring flows again" in comms and "Name may be shown" in comms
    assert "Told by Wanjiru Otieno" in comms
    assert "A youth tree nursery" not in comms  # not selected
    edit = hana.get(reverse("mel:round_edit", args=[selection_round.pk]))
    assert edit.status_code == 200  # the form shows; saving is refused: closed
    again = hana.post(reverse("mel:round_edit", args=[selection_round.pk]), {
        "title": "x", "panel_name": "y", "panel": "", "period_start": "2025-01-01",
        "period_end": "2025-12-31", "version": 2})  # fmt: skip
    assert again.status_code == 400 and "This round is closed" in again.content.decode()


def test_pages_cost_the_same_few_queries_whatever_the_number_of_stories(
    client_for,
    world,
    msc,
    django_assert_max_num_queries,
):
    hana = client_for("hana")
    # A closed round (so communications has stories) and an open one the panel reads.
    closed = _round(world, title="Closed round")
    services.round_add_stories(actor=world.hana, selection_round=closed, stories=[msc.spring])
    services.round_select(actor=world.hana, selection_round=closed, story=msc.spring,
                          reason="Significant.")  # fmt: skip
    services.round_close(actor=world.hana, selection_round=closed, version=1)
    selection_round = _round(world)

    def costs():
        measured = []
        for name, args, limit in (
            ("mel:story_list", [], 16), ("mel:stories_for_communications", [], 10),
            ("mel:round_list", [], 10), ("mel:round_detail", [selection_round.pk], 18),
            ("mel:story_detail", [msc.spring.pk], 18),
        ):  # fmt: skip
            with django_assert_max_num_queries(limit) as captured:
                assert hana.get(reverse(name, args=args)).status_code == 200
            measured.append(len(captured.captured_queries))
        with django_assert_max_num_queries(8):
            assert hana.get("/api/v1/mel/stories?limit=100").status_code == 200
        return measured

    def select_all():
        services.round_add_stories(actor=world.hana, selection_round=selection_round)
        for entry in selection_round.entries.filter(selected=False):
            services.round_select(actor=world.hana, selection_round=selection_round,
                                  story=entry.story_id, reason="Significant.")  # fmt: skip

    select_all()
    small = costs()
    for n in range(6):
        _story(world.lena, world.landscape, title=f"More {n}", consent="anonymous",
               consent_recorded_on=dt.date(2025, 3, 1),
               told_on=dt.date(2025, 2, n + 1))  # fmt: skip
    select_all()
    assert costs() == small


def test_forms_refuse_ids_no_database_could_hold(client_for, world):
    big = str(2**70)
    refused = client_for("lena").post(reverse("mel:story_create"), {
        "title": "x", "landscape": big, "outcomes": [big], "offerings": [big], "tags": [big],
        "storyteller": "y", "domain": "other", "told_on": "2025-01-01", "language": "en",
        "story": "s", "why_significant": "w", "consent": "not_asked",
        "visibility": "network"})  # fmt: skip
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    selection_round = _round(world)
    added = client_for("hana").post(reverse("mel:round_add_stories", args=[selection_round.pk]),
                                    {"story": [big]})  # fmt: skip
    assert added.status_code == 302 and not selection_round.entries.exists()


def test_stories_and_sessions_are_counted_by_tag_and_the_counts_filter(client_for, world, msc):
    """The lists of stories and of reflection sessions say how many of what they show carry
    each tag; a count's link narrows the list to that tag, keeping the other filters."""
    from landhub.directory import factories as f
    from landhub.directory.models import Vocabulary

    water, finance = f.term(Vocabulary.THEME, "water"), f.term(Vocabulary.THEME, "finance")
    msc.spring.tags.set([water, finance])
    msc.nursery.tags.set([water])
    msc.hidden.tags.set([finance, water])  # lena may not read it: not counted for her
    services.session_create(actor=world.hana, title="Water check-in", held_on=msc.spring.told_on,
                            reflections="x", tags=[water])  # fmt: skip
    lena = client_for("lena")
    page = lena.get(reverse("mel:story_list"), {"domain": ""}).context
    assert [(slug, n) for slug, _label, n in page["tag_counts"]] == [
        (water.slug, 2), (finance.slug, 1)]  # fmt: skip
    text = lena.get(reverse("mel:story_list"), {"sort": "title"}).content.decode()
    assert "Most used tags" in text and f"?sort=title&amp;tag={water.slug}" in text
    only = lena.get(reverse("mel:story_list"), {"sort": "title", "tag": finance.slug})
    assert [s.title for s in only.context["page"].object_list] == [msc.spring.title]
    sessions = lena.get(reverse("mel:session_list")).context["tag_counts"]
    assert [(slug, n) for slug, _label, n in sessions] == [(water.slug, 1)]


def test_the_landscape_filter_is_typed_by_name_or_slug(client_for, world, msc):
    """A text box with suggestions (a select of every landscape grew with the network)."""
    lena = client_for("lena")
    page = lena.get(reverse("mel:story_list")).content.decode()
    assert 'data-autocomplete-url="/search/autocomplete/?type=landscape"' in page
    for value in ("kenya highlands", world.landscape.slug):
        found = lena.get(reverse("mel:story_list"), {"landscape": value}).context["page"]
        assert {s.landscape_id for s in found.object_list} == {world.landscape.pk}
    nothing = lena.get(reverse("mel:story_list"), {"landscape": "Atlantis"}).context["page"]
    assert list(nothing.object_list) == []
