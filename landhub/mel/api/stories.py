"""API of most significant change (``/api/v1/mel/stories…``, ``/api/v1/mel/rounds…``).

Same selectors and services as the pages. A story's landscape and offerings are named by
slug, its tags by slug (themes, capabilities, SDGs, ILM elements), its outcome statements by
id; panel members by the e-mail they sign in with. Edits send ``version``; a stale one
answers 409 with the current record. ``GET /stories/for-communications`` is the list the
communications app reads (selected stories whose storyteller consented to publication, with
``name_shown``).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema, Status

from landhub.core.lists import sort_queryset
from landhub.directory.api.common import MAX_OFFSET, paged, require_user

from .. import services
from ..models import Consent
from ..selectors import (
    ROUND_SORTS,
    STORY_SORTS,
    round_detail,
    round_list,
    stories_for_communications,
    story_detail,
    story_list,
)

router = Router(tags=["mel"])


# --- schemas ---------------------------------------------------------------------------------


class StoryOut(Schema):
    id: int
    title: str
    landscape: str = Field(..., description="slug")
    region: str
    storyteller: str
    storyteller_role: str
    domain: str
    told_on: dt.date
    language: str
    consent: str
    consent_recorded_on: dt.date | None
    selected_at: dt.datetime | None
    visibility: str
    archived: bool
    version: int
    updated_at: dt.datetime

    @staticmethod
    def resolve_landscape(obj):
        return obj.landscape.slug

    @staticmethod
    def resolve_region(obj):
        return obj.landscape.region

    @staticmethod
    def resolve_archived(obj):
        return obj.archived_at is not None


class StoryRoundOut(Schema):
    round: int
    title: str
    status: str
    selected: bool
    reason: str


class StoryDetailOut(StoryOut):
    story: str
    why_significant: str
    consent_note: str
    storyteller_person: int | None = None
    outcomes: list[int] = Field(..., description="ids of the outcome statements you may see")
    offerings: list[str] = Field(..., description="slugs of the offerings you may see")
    tags: list[str] = Field(..., description="slugs")
    rounds: list[StoryRoundOut]

    @staticmethod
    def resolve_storyteller_person(obj):
        return obj.storyteller_person_id

    @staticmethod
    def resolve_outcomes(obj):
        return [o.pk for o in obj.visible_outcomes]

    @staticmethod
    def resolve_offerings(obj):
        return [o.slug for o in obj.visible_offerings]

    @staticmethod
    def resolve_tags(obj):
        return [t.slug for t in obj.tags.all()]

    @staticmethod
    def resolve_rounds(obj):
        return [{"round": e.round_id, "title": e.round.title, "status": e.round.status,
                 "selected": e.selected, "reason": e.reason} for e in obj.entries]  # fmt: skip


class StoryPage(Schema):
    count: int
    items: list[StoryOut]


class StoryFilters(Schema):
    q: str = ""
    landscape: str = Field("", description="slug")
    region: str = ""
    domain: str = ""
    language: str = ""
    consent: str = ""
    selected: str = Field("", description="yes or no")
    tag: str = Field("", description="slug")
    year: str = Field("", description="the year it was told")
    archived: str = Field("", description="1: the archived stories")
    sort: str = "-told"
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class StoryIn(Schema):
    title: str = Field(..., max_length=200)
    landscape: str = Field(..., description="slug")
    storyteller: str = Field(..., max_length=200)
    storyteller_role: str = Field("", max_length=200)
    storyteller_person: int | None = Field(None, description="id of a person in the directory")
    domain: str
    told_on: dt.date
    language: str = Field("en", max_length=8)
    story: str = Field(..., max_length=100_000)
    why_significant: str = Field(..., max_length=20_000)
    consent: str = Consent.NOT_ASKED
    consent_recorded_on: dt.date | None = None
    consent_note: str = Field("", max_length=5000)
    outcomes: list[int] = Field([], max_length=200)
    offerings: list[str] = Field([], description="slugs", max_length=200)
    tags: list[str] = Field([], description="slugs", max_length=200)
    visibility: str = "network"


class StoryPatch(Schema):
    version: int
    title: str | None = Field(None, max_length=200)
    landscape: str | None = Field(None, description="slug")
    storyteller: str | None = Field(None, max_length=200)
    storyteller_role: str | None = Field(None, max_length=200)
    storyteller_person: int | None = None
    domain: str | None = None
    told_on: dt.date | None = None
    language: str | None = Field(None, max_length=8)
    story: str | None = Field(None, max_length=100_000)
    why_significant: str | None = Field(None, max_length=20_000)
    outcomes: list[int] | None = Field(None, max_length=200)
    offerings: list[str] | None = Field(None, max_length=200)
    tags: list[str] | None = Field(None, max_length=200)
    visibility: str | None = None


class ConsentIn(Schema):
    version: int
    consent: str
    recorded_on: dt.date | None = None
    note: str = Field("", max_length=5000)


class ArchiveIn(Schema):
    version: int | None = None
    archived: bool = True


class CommunicationsOut(StoryOut):
    name_shown: bool = Field(..., description="the storyteller consented to be named")
    why_significant: str
    selections: list[StoryRoundOut]

    @staticmethod
    def resolve_storyteller(obj):
        # Withheld when the storyteller did not consent to be named: the reader need not
        # remember to hide it.
        return obj.storyteller if obj.name_shown else ""

    @staticmethod
    def resolve_selections(obj):
        return [{"round": e.round_id, "title": e.round.title, "status": e.round.status,
                 "selected": True, "reason": e.reason} for e in obj.selections]  # fmt: skip


class CommunicationsPage(Schema):
    count: int
    items: list[CommunicationsOut]


class RoundOut(Schema):
    id: int
    title: str
    panel_name: str
    domain: str
    period_start: dt.date
    period_end: dt.date
    held_on: dt.date | None
    status: str
    notes: str
    closed_at: dt.datetime | None
    story_count: int
    selected_count: int
    version: int


class RoundEntryOut(Schema):
    story: int
    title: str
    landscape: str
    selected: bool
    reason: str


class RoundDetailOut(RoundOut):
    panel: list[str] = Field(..., description="e-mails of the panel members")
    entries: list[RoundEntryOut]

    @staticmethod
    def resolve_panel(obj):
        return [m.email for m in obj.panel_members]

    @staticmethod
    def resolve_entries(obj):
        return [{"story": e.story_id, "title": e.story.title,
                 "landscape": e.story.landscape.slug, "selected": e.selected,
                 "reason": e.reason} for e in obj.entries_shown]  # fmt: skip


class RoundPage(Schema):
    count: int
    items: list[RoundOut]


class RoundFilters(Schema):
    q: str = ""
    status: str = Field("", description="open or closed")
    domain: str = Field("", description="a domain, or 'all' for rounds of every domain")
    mine: str = Field("", description="1: rounds whose panel you sit on")
    sort: str = "-period"
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class RoundIn(Schema):
    title: str = Field(..., max_length=200)
    panel_name: str = Field(..., max_length=200)
    panel: list[str] = Field([], description="e-mails", max_length=100)
    domain: str = Field("", description="empty: every domain")
    period_start: dt.date
    period_end: dt.date
    held_on: dt.date | None = None
    add_stories: bool = Field(True, description="add every story of the period and domain")


class RoundStoriesIn(Schema):
    stories: list[int] | None = Field(None, description="ids; none: the period and domain's",
                                      max_length=1000)  # fmt: skip


class SelectIn(Schema):
    story: int
    selected: bool = True
    reason: str = Field("", max_length=4000, description="required to select")


class CloseIn(Schema):
    version: int
    notes: str = Field("", max_length=20_000)


# --- lookups ---------------------------------------------------------------------------------


def _landscape(actor, slug: str):
    from landhub.directory.models import Landscape

    landscape = Landscape.objects.visible_to(actor).filter(slug=slug).first()
    if landscape is None:
        raise ValidationError({"landscape": ["No landscape you may see has this slug."]})
    return landscape


def _person(pk):
    from landhub.directory.models import Person

    if pk is None:
        return None
    person = Person.objects.filter(pk=pk).first() if 0 < pk < 2**63 else None
    if person is None:
        raise ValidationError({"storyteller_person": ["No person has this id."]})
    return person


def _offerings(actor, slugs: list[str]) -> list:
    from landhub.coordination.selectors import visible_offerings

    slugs = list(dict.fromkeys(slugs))
    found = list(visible_offerings(actor).filter(slug__in=slugs))
    if len(found) != len(slugs):
        known = {o.slug for o in found}
        raise ValidationError({"offerings": ["Unknown: " + ", ".join(
            s for s in slugs if s not in known)]})  # fmt: skip
    return found


def _tags(slugs: list[str]) -> list:
    from landhub.directory.models import Term

    from ..models.outcomes import TAG_VOCABULARIES

    slugs = list(dict.fromkeys(slugs))
    found = list(Term.objects.filter(slug__in=slugs, vocabulary__in=TAG_VOCABULARIES,
                                     is_active=True))  # fmt: skip
    missing = set(slugs) - {t.slug for t in found}
    if missing:
        raise ValidationError({"tags": ["Unknown: " + ", ".join(sorted(missing))]})
    return found


def _users(emails: list[str]) -> list:
    wanted = {e.strip().lower() for e in emails if e.strip()}
    users = list(get_user_model().objects.filter(email__in=wanted))
    missing = wanted - {u.email.lower() for u in users}
    if missing:
        raise ValidationError({"panel": ["Nobody signs in with: " + ", ".join(sorted(missing))]})
    return users


# --- stories ---------------------------------------------------------------------------------


@router.get("/stories", response=StoryPage, summary="Stories of change")
def list_stories(request, filters: Query[StoryFilters]):
    require_user(request)
    data = filters.dict()
    qs, _sort = sort_queryset(story_list(user=request.user, filters=data), data["sort"],
                              STORY_SORTS, "-told")  # fmt: skip
    count, items = paged(qs, limit=data["limit"], offset=data["offset"])
    return {"count": count, "items": items}


@router.post("/stories", response={201: StoryDetailOut},
             summary="Collect a story (a landscape's members, hub staff, reviewers)")  # fmt: skip
def create_story(request, payload: StoryIn):
    actor = require_user(request)
    data = payload.dict()
    data["landscape"] = _landscape(actor, data["landscape"])
    data["storyteller_person"] = _person(data["storyteller_person"])
    data["offerings"] = _offerings(actor, data["offerings"])
    data["tags"] = _tags(data["tags"])
    story = services.story_create(actor=actor, **data)
    return Status(201, story_detail(user=actor, pk=story.pk))


@router.get("/stories/for-communications", response=CommunicationsPage,
            summary="Selected stories whose storyteller consented to publication")  # fmt: skip
def list_for_communications(request, limit: int = Query(25, ge=1, le=100),
                            offset: int = Query(0, ge=0, le=MAX_OFFSET)):  # fmt: skip
    require_user(request)
    count, items = paged(stories_for_communications(request.user), limit=limit, offset=offset)
    return {"count": count, "items": items}


@router.get("/stories/{story_id}", response=StoryDetailOut, summary="One story")
def get_story(request, story_id: int):
    require_user(request)
    return story_detail(user=request.user, pk=story_id)


@router.patch("/stories/{story_id}", response=StoryDetailOut,
              summary="Change a story (send the version; consent has its own call)")  # fmt: skip
def update_story(request, story_id: int, payload: StoryPatch):
    actor = require_user(request)
    story = story_detail(user=actor, pk=story_id)
    given = payload.dict(exclude_unset=True)
    version = given.pop("version")
    nulls = [k for k, v in given.items() if v is None and k != "storyteller_person"]
    if nulls:
        raise ValidationError({k: ["This field cannot be null."] for k in nulls})
    if "landscape" in given:
        given["landscape"] = _landscape(actor, given["landscape"])
    if "storyteller_person" in given:
        given["storyteller_person"] = _person(given["storyteller_person"])
    if "offerings" in given:
        given["offerings"] = _offerings(actor, given["offerings"])
    if "tags" in given:
        given["tags"] = _tags(given["tags"])
    services.story_update(actor=actor, story=story, version=version, changes=given)
    return story_detail(user=actor, pk=story_id)


@router.post("/stories/{story_id}/consent", response=StoryDetailOut,
             summary="Record or withdraw the storyteller's consent (send the version)")  # fmt: skip
def set_consent(request, story_id: int, payload: ConsentIn):
    actor = require_user(request)
    story = story_detail(user=actor, pk=story_id)
    services.story_set_consent(actor=actor, story=story, version=payload.version,
                               consent=payload.consent, recorded_on=payload.recorded_on,
                               note=payload.note)  # fmt: skip
    return story_detail(user=actor, pk=story_id)


@router.post("/stories/{story_id}/archive", response=StoryDetailOut,
             summary="Archive a story, or restore it (archived: false)")  # fmt: skip
def archive_story(request, story_id: int, payload: ArchiveIn):
    actor = require_user(request)
    story = story_detail(user=actor, pk=story_id)
    services.story_archive(actor=actor, story=story, version=payload.version,
                           archived=payload.archived)  # fmt: skip
    return story_detail(user=actor, pk=story_id)


# --- selection rounds ------------------------------------------------------------------------


@router.get("/rounds", response=RoundPage, summary="Selection rounds")
def list_rounds(request, filters: Query[RoundFilters]):
    require_user(request)
    data = filters.dict()
    qs, _sort = sort_queryset(round_list(user=request.user, filters=data), data["sort"],
                              ROUND_SORTS, "-period")  # fmt: skip
    count, items = paged(qs, limit=data["limit"], offset=data["offset"])
    return {"count": count, "items": items}


@router.post("/rounds", response={201: RoundDetailOut},
             summary="Set up a selection round (hub staff)")  # fmt: skip
def create_round(request, payload: RoundIn):
    actor = require_user(request)
    data = payload.dict()
    add = data.pop("add_stories")
    data["panel"] = _users(data["panel"])
    selection_round = services.round_create(actor=actor, **data)
    if add:
        services.round_add_stories(actor=actor, selection_round=selection_round)
    return Status(201, round_detail(user=actor, pk=selection_round.pk))


@router.get("/rounds/{round_id}", response=RoundDetailOut,
            summary="One round with its stories and the panel's choices")  # fmt: skip
def get_round(request, round_id: int):
    require_user(request)
    return round_detail(user=request.user, pk=round_id)


@router.post("/rounds/{round_id}/stories", response=RoundDetailOut,
             summary="Put stories before the panel (hub staff)")  # fmt: skip
def add_round_stories(request, round_id: int, payload: RoundStoriesIn):
    actor = require_user(request)
    selection_round = round_detail(user=actor, pk=round_id)
    services.round_add_stories(actor=actor, selection_round=selection_round,
                               stories=payload.stories)  # fmt: skip
    return round_detail(user=actor, pk=round_id)


@router.post("/rounds/{round_id}/select", response=RoundDetailOut,
             summary="Select a story with the panel's reason, or unselect it")  # fmt: skip
def select_story(request, round_id: int, payload: SelectIn):
    actor = require_user(request)
    selection_round = round_detail(user=actor, pk=round_id)
    services.round_select(actor=actor, selection_round=selection_round, story=payload.story,
                          selected=payload.selected, reason=payload.reason)  # fmt: skip
    return round_detail(user=actor, pk=round_id)


@router.post("/rounds/{round_id}/close", response=RoundDetailOut,
             summary="Close a round with its notes (hub staff; send the version)")  # fmt: skip
def close_round(request, round_id: int, payload: CloseIn):
    actor = require_user(request)
    selection_round = round_detail(user=actor, pk=round_id)
    services.round_close(actor=actor, selection_round=selection_round, version=payload.version,
                         notes=payload.notes)  # fmt: skip
    return round_detail(user=actor, pk=round_id)
