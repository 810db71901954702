"""API of meetings (``/api/v1/governance/meetings…``).

Same selectors and services as the pages. Times are ISO 8601 with an offset (stored and
answered in UTC); ``time_zone`` is where the meeting is held. Bodies are named by slug,
seats, key issues, people and meetings by id. Edits send ``version``; a stale one answers
409 with the current record. ``GET /governance/meetings/{id}.ics`` is the invitation.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from landhub.core.lists import sort_queryset
from landhub.directory.api.common import MAX_OFFSET, paged, require_user

from .. import services
from ..ical import meeting_ical
from ..models import AgendaItem, Body, ConflictDeclaration, KeyIssue, Meeting, Seat
from ..selectors.meetings import (
    MEETING_SORTS,
    meeting_detail,
    meeting_list,
    meeting_quorum,
    meetings_visible_to,
)

router = Router(tags=["governance"])


# --- schemas ---------------------------------------------------------------------------------


class MeetingOut(Schema):
    id: int
    body: str = Field(..., description="slug")
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str
    place: str
    video_url: str
    status: str
    confidential: bool
    ical_uid: str
    ical_sequence: int
    version: int
    archived: bool

    @staticmethod
    def resolve_archived(obj):
        return obj.archived_at is not None

    @staticmethod
    def resolve_body(obj):
        return obj.body.slug

    @staticmethod
    def resolve_ical_uid(obj):
        from ..ical import meeting_uid

        return meeting_uid(obj)


class AgendaItemOut(Schema):
    id: int
    position: int
    title: str
    description: str
    kind: str
    key_issue: int | None = None
    presenter: int | None = None
    minutes_allotted: int | None = None
    version: int
    quorum: str = ""

    @staticmethod
    def resolve_key_issue(obj):
        return obj.key_issue_id

    @staticmethod
    def resolve_presenter(obj):
        return obj.presenter_id


class AttendanceOut(Schema):
    seat: int
    person: str
    status: str
    represented_by: int | None = None


class ConflictOut(Schema):
    id: int
    seat: int
    person: str
    agenda_item: int | None
    nature: str
    declared_at: dt.datetime


class MeetingDetailOut(MeetingOut):
    """The meeting with what ``_detail`` gathered on it (``api_*`` attributes)."""

    notes: str
    agenda: list[AgendaItemOut]
    attendance: list[AttendanceOut]
    conflicts: list[ConflictOut]
    quorum: str
    minutes_status: str | None = None

    @staticmethod
    def resolve_agenda(obj):
        return obj.api_agenda

    @staticmethod
    def resolve_attendance(obj):
        return obj.api_attendance

    @staticmethod
    def resolve_conflicts(obj):
        return obj.api_conflicts

    @staticmethod
    def resolve_quorum(obj):
        return obj.api_quorum

    @staticmethod
    def resolve_minutes_status(obj):
        minutes = obj.minutes_record
        return minutes.status if minutes else None


class MeetingPage(Schema):
    count: int
    items: list[MeetingOut]


class MeetingFilters(Schema):
    q: str = ""
    body: str = Field("", description="slug")
    when: str = Field("", description="upcoming or past")
    status: str = ""
    year: str = ""
    archived: str = Field("", description="1: the archived meetings")
    sort: str = "-starts"
    limit: int = Field(25, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class MeetingIn(Schema):
    body: str = Field(..., description="slug")
    title: str = Field(..., max_length=200)
    starts_at: dt.datetime
    ends_at: dt.datetime
    time_zone: str = Field("", max_length=64, description="empty: the body's")
    place: str = Field("", max_length=300)
    video_url: str = Field("", max_length=200)
    confidential: bool = False
    notes: str = Field("", max_length=20_000)


class MeetingPatch(Schema):
    version: int
    title: str | None = Field(None, max_length=200)
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    time_zone: str | None = Field(None, max_length=64)
    place: str | None = Field(None, max_length=300)
    video_url: str | None = Field(None, max_length=200)
    confidential: bool | None = None
    notes: str | None = Field(None, max_length=20_000)
    status: str | None = Field(None, description="agenda (publish), held, or cancelled")
    archived: bool | None = Field(None, description="true: archive a cancelled meeting; false: "
                                  "restore it")  # fmt: skip


class AgendaItemIn(Schema):
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=20_000)
    kind: str = "discussion"
    key_issue: int | None = None
    presenter: int | None = Field(None, description="id of a person")
    minutes_allotted: int | None = Field(None, ge=1, le=600)


class AgendaItemPatch(Schema):
    version: int
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=20_000)
    kind: str | None = None
    key_issue: int | None = None
    presenter: int | None = None
    minutes_allotted: int | None = Field(None, ge=1, le=600)
    move: str | None = Field(None, description="up or down")


class AttendanceEntryIn(Schema):
    seat: int
    status: str
    represented_by: int | None = Field(None, description="the alternate's seat id")


class AttendanceIn(Schema):
    entries: list[AttendanceEntryIn] = Field(..., max_length=500)


class ConflictIn(Schema):
    agenda_item: int
    seat: int
    nature: str = Field(..., max_length=4000)


class MinutesOut(Schema):
    meeting: int
    text: str
    status: str
    circulated_at: dt.datetime | None
    approved_at: dt.datetime | None
    approved_at_meeting: int | None
    version: int

    @staticmethod
    def resolve_meeting(obj):
        return obj.meeting_id

    @staticmethod
    def resolve_approved_at_meeting(obj):
        return obj.approved_at_meeting_id


class MinutesIn(Schema):
    text: str = Field(..., max_length=200_000)
    version: int | None = Field(None, description="leave out for the first draft")


class VersionIn(Schema):
    version: int


class ApproveIn(Schema):
    version: int
    approved_at_meeting: int


# --- helpers ---------------------------------------------------------------------------------


def _detail(user, pk) -> Meeting:
    """The meeting as ``meeting_detail`` reads it, with the quorum sentences attached."""
    meeting = meeting_detail(user=user, pk=pk)
    items = list(meeting.agenda.all())
    quorum = meeting_quorum(meeting, items)
    for item in items:
        item.quorum = quorum.items.get(item.pk, (None, ""))[1] if quorum.recorded else ""
    meeting.api_agenda = items
    meeting.api_attendance = [
        {"seat": a.seat_id, "person": a.seat.person.name, "status": a.status,
         "represented_by": a.represented_by_id}
        for a in meeting.attendance.all()
    ]  # fmt: skip
    meeting.api_conflicts = [
        {"id": c.pk, "seat": c.seat_id, "person": c.seat.person.name,
         "agenda_item": c.agenda_item_id, "nature": c.nature, "declared_at": c.created_at}
        for item in items for c in item.conflicts.all()
    ]  # fmt: skip
    meeting.api_quorum = quorum.meeting_text if quorum.recorded else ""
    return meeting


def _body(actor, slug: str) -> Body:
    body = Body.objects.visible_to(actor).filter(slug=slug).first()
    if body is None:
        raise ValidationError({"body": ["No body you may see has this slug."]})
    return body


def _key_issue(actor, pk):
    if pk is None:
        return None
    issue = KeyIssue.objects.visible_to(actor).filter(pk=pk).first() if 0 < pk < 2**63 else None
    if issue is None:
        raise ValidationError({"key_issue": ["No key issue you may see has this id."]})
    return issue


def _person(pk):
    from landhub.directory.models import Person

    if pk is None:
        return None
    person = Person.objects.filter(pk=pk).first() if 0 < pk < 2**63 else None
    if person is None:
        raise ValidationError({"presenter": ["No person has this id."]})
    return person


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    from django.http import Http404

    item = next((i for i in meeting.agenda.all() if i.pk == item_id), None)
    if item is None:
        raise Http404
    return item


# --- meetings --------------------------------------------------------------------------------


@router.get("/meetings", response=MeetingPage, summary="Meetings you may read")
def list_meetings(request, filters: Query[MeetingFilters]):
    require_user(request)
    data = filters.dict()
    qs, _sort = sort_queryset(
        meeting_list(user=request.user, filters=data), data["sort"], MEETING_SORTS, "-starts"
    )
    count, items = paged(qs, limit=data["limit"], offset=data["offset"])
    return {"count": count, "items": items}


@router.post("/meetings", response={201: MeetingDetailOut},
             summary="Schedule a meeting (the body's officers, hub staff)")  # fmt: skip
def create_meeting(request, payload: MeetingIn):
    actor = require_user(request)
    data = payload.dict()
    data["body"] = _body(actor, data["body"])
    meeting = services.meeting_create(actor=actor, **data)
    return Status(201, _detail(actor, meeting.pk))


@router.get("/meetings/{meeting_id}.ics", summary="A meeting as an iCalendar invitation")
def meeting_ics(request, meeting_id: int):
    require_user(request)
    meeting = meeting_detail(user=request.user, pk=meeting_id)
    link = request.build_absolute_uri(meeting.get_absolute_url())
    return HttpResponse(meeting_ical(meeting, link=link), content_type="text/calendar")


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut,
            summary="One meeting: agenda, attendance, quorum, conflicts")  # fmt: skip
def get_meeting(request, meeting_id: int):
    require_user(request)
    return _detail(request.user, meeting_id)


@router.patch("/meetings/{meeting_id}", response=MeetingDetailOut,
              summary="Change a meeting, its status (agenda, held, cancelled), or archive a "
                      "cancelled one (send the version)")  # fmt: skip
def update_meeting(request, meeting_id: int, payload: MeetingPatch):
    actor = require_user(request)
    meeting = meeting_detail(user=actor, pk=meeting_id)
    given = payload.dict(exclude_unset=True)
    version = given.pop("version")
    status = given.pop("status", None)
    archived = given.pop("archived", None)
    nulls = [k for k, v in given.items() if v is None]
    if nulls:
        raise ValidationError({k: ["This field cannot be null."] for k in nulls})
    if given:
        meeting = services.meeting_update(actor=actor, meeting=meeting, version=version,
                                          changes=given)  # fmt: skip
        version = meeting.version
    if status is not None:
        change = {"agenda": services.agenda_publish, "held": services.meeting_mark_held,
                  "cancelled": services.meeting_cancel}.get(status)  # fmt: skip
        if change is None:
            raise ValidationError({"status": ["Send agenda, held or cancelled."]})
        meeting = change(actor=actor, meeting=meeting, version=version)
        version = meeting.version
    if archived is not None:  # after a status change, so one call can cancel and archive
        services.meeting_archive(actor=actor, meeting=meeting, version=version,
                                 restore=not archived)  # fmt: skip
    return _detail(actor, meeting_id)


# --- agenda ----------------------------------------------------------------------------------


@router.post("/meetings/{meeting_id}/agenda", response={201: AgendaItemOut},
             summary="Add an item to the agenda")  # fmt: skip
def add_item(request, meeting_id: int, payload: AgendaItemIn):
    actor = require_user(request)
    meeting = meeting_detail(user=actor, pk=meeting_id)
    data = payload.dict()
    data["key_issue"] = _key_issue(actor, data["key_issue"])
    data["presenter"] = _person(data["presenter"])
    item = services.agenda_item_add(actor=actor, meeting=meeting, **data)
    return Status(201, item)


@router.patch("/meetings/{meeting_id}/agenda/{item_id}", response=AgendaItemOut,
              summary="Change an agenda item or move it up/down (send the version)")  # fmt: skip
def update_item(request, meeting_id: int, item_id: int, payload: AgendaItemPatch):
    actor = require_user(request)
    meeting = meeting_detail(user=actor, pk=meeting_id)
    item = _item(meeting, item_id)
    given = payload.dict(exclude_unset=True)
    version = given.pop("version")
    move = given.pop("move", None)
    nulls = [k for k, v in given.items()
             if v is None and k not in ("key_issue", "presenter", "minutes_allotted")]  # fmt: skip
    if nulls:
        raise ValidationError({k: ["This field cannot be null."] for k in nulls})
    if "key_issue" in given:
        given["key_issue"] = _key_issue(actor, given["key_issue"])
    if "presenter" in given:
        given["presenter"] = _person(given["presenter"])
    if given:
        item = services.agenda_item_update(actor=actor, item=item, version=version, changes=given)
    if move is not None:
        item = services.agenda_item_move(actor=actor, item=item, direction=move)
    return AgendaItem.objects.get(pk=item.pk)


@router.delete("/meetings/{meeting_id}/agenda/{item_id}", response={204: None},
               summary="Take an item off the agenda")  # fmt: skip
def remove_item(request, meeting_id: int, item_id: int):
    actor = require_user(request)
    meeting = meeting_detail(user=actor, pk=meeting_id)
    services.agenda_item_remove(actor=actor, item=_item(meeting, item_id))
    return Status(204, None)


# --- attendance and conflicts ----------------------------------------------------------------


@router.put("/meetings/{meeting_id}/attendance", response=MeetingDetailOut,
            summary="Record attendance for the seats listed (officers, hub staff)")  # fmt: skip
def put_attendance(request, meeting_id: int, payload: AttendanceIn):
    actor = require_user(request)
    meeting = meeting_detail(user=actor, pk=meeting_id)
    services.attendance_record(actor=actor, meeting=meeting,
                               entries=[e.dict() for e in payload.entries])  # fmt: skip
    return _detail(actor, meeting_id)


@router.post("/meetings/{meeting_id}/conflicts", response={201: ConflictOut},
             summary="Declare a conflict of interest on an agenda item")  # fmt: skip
def declare_conflict(request, meeting_id: int, payload: ConflictIn):
    actor = require_user(request)
    meeting = meeting_detail(user=actor, pk=meeting_id)
    item = next((i for i in meeting.agenda.all() if i.pk == payload.agenda_item), None)
    if item is None:
        raise ValidationError({"agenda_item": ["Not an item of this meeting's agenda."]})
    seat = Seat.objects.select_related("person").filter(pk=payload.seat).first() if (
        0 < payload.seat < 2**63) else None  # fmt: skip
    if seat is None:
        raise ValidationError({"seat": ["No seat has this id."]})
    conflict: ConflictDeclaration = services.conflict_declare(
        actor=actor, agenda_item=item, seat=seat, nature=payload.nature)  # fmt: skip
    return Status(201, {"id": conflict.pk, "seat": seat.pk, "person": seat.person.name,
                        "agenda_item": item.pk, "nature": conflict.nature,
                        "declared_at": conflict.created_at})  # fmt: skip


# --- minutes ---------------------------------------------------------------------------------


def _minutes(actor, meeting_id):
    from django.http import Http404

    meeting = meeting_detail(user=actor, pk=meeting_id)
    if meeting.minutes_record is None:
        raise Http404
    return meeting, meeting.minutes_record


@router.get("/meetings/{meeting_id}/minutes", response=MinutesOut, summary="The minutes")
def get_minutes(request, meeting_id: int):
    require_user(request)
    return _minutes(request.user, meeting_id)[1]


@router.put("/meetings/{meeting_id}/minutes", response=MinutesOut,
            summary="Write or change the minutes (Markdown; refused once approved)")  # fmt: skip
def put_minutes(request, meeting_id: int, payload: MinutesIn):
    actor = require_user(request)
    meeting = meeting_detail(user=actor, pk=meeting_id)
    return services.minutes_save(actor=actor, meeting=meeting, text=payload.text,
                                 version=payload.version)  # fmt: skip


@router.post("/meetings/{meeting_id}/minutes/circulate", response=MinutesOut,
             summary="Circulate the minutes to the members for approval")  # fmt: skip
def circulate_minutes(request, meeting_id: int, payload: VersionIn):
    actor = require_user(request)
    _meeting, minutes = _minutes(actor, meeting_id)
    return services.minutes_circulate(actor=actor, minutes=minutes, version=payload.version)


@router.post("/meetings/{meeting_id}/minutes/approve", response=MinutesOut,
             summary="Record the minutes' approval at a later meeting (locks them)")  # fmt: skip
def approve_minutes(request, meeting_id: int, payload: ApproveIn):
    actor = require_user(request)
    _meeting, minutes = _minutes(actor, meeting_id)
    at = meetings_visible_to(actor).filter(pk=payload.approved_at_meeting).first() if (
        0 < payload.approved_at_meeting < 2**63) else None  # fmt: skip
    if at is None:
        raise ValidationError({"approved_at_meeting": ["No meeting you may see has this id."]})
    return services.minutes_approve(actor=actor, minutes=minutes, version=payload.version,
                                    at_meeting=at)  # fmt: skip
