"""Reads of meetings, narrowed to what the reader may see (``BodyRecordQuerySet.visible_to``):
a body's current members and hub staff read all its meetings; other signed-in members read the
meetings of bodies open to the network that are not confidential; the public none.

Also here: the **quorum** of a meeting and of each item of its agenda, counted by
``procedure.count_quorum`` from the attendance and the conflicts declared, and said in words;
the **time** of a meeting in the reader's zone with the meeting's own zone beside it; and the
body page's panel of next and last meetings.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models import Value as V
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..ical import feed_key
from ..models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Body,
    ConflictDeclaration,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    Minutes,
    Seat,
)
from ..panels import body_panel
from ..procedure import QuorumCount, SeatAtItem, count_quorum

__all__ = [
    "MEETING_SORTS",
    "QuorumView",
    "body_meetings_panel",
    "meeting_detail",
    "meeting_document_detail",
    "meeting_history",
    "meeting_list",
    "meeting_quorum",
    "meeting_when",
    "meeting_years",
    "meetings_visible_to",
    "minutes_history",
    "seats_on_day",
]

MEETING_SORTS = {"starts": "starts_at", "title": "title", "body": "body__name"}


def _clean(filters: dict | None) -> dict:
    return {k: v.strip() for k, v in (filters or {}).items() if isinstance(v, str) and v.strip()}


def meetings_visible_to(user) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(user)


def meeting_list(*, user, filters: dict | None = None) -> QuerySet[Meeting]:
    """Meetings ``user`` may read, archived ones left out unless ``archived=1`` (then only
    those). Filters: body (slug), when (upcoming / past), status, year, q (words of the title
    or place)."""
    filters = _clean(filters)
    qs = meetings_visible_to(user).filter(archived_at__isnull=filters.get("archived") != "1")
    if body := filters.get("body"):
        qs = qs.filter(body__slug=body)
    now = timezone.now()
    if filters.get("when") == "upcoming":
        qs = qs.filter(ends_at__gte=now)
    elif filters.get("when") == "past":
        qs = qs.filter(ends_at__lt=now)
    if (status := filters.get("status")) in MeetingStatus.values:
        qs = qs.filter(status=status)
    year = filters.get("year", "")
    if year.isdigit() and 1900 <= int(year) <= 2100:
        start = dt.datetime(int(year), 1, 1, tzinfo=dt.UTC)
        qs = qs.filter(starts_at__gte=start, starts_at__lt=start.replace(year=int(year) + 1))
    if q := filters.get("q", "")[:200]:
        qs = qs.filter(Q(title__icontains=q) | Q(place__icontains=q))
    # A count per row (a subquery), not a GROUP BY over every visible meeting: the database
    # can then walk the sort's index and stop after the page.
    items = (AgendaItem.objects.filter(meeting=OuterRef("pk")).order_by().values("meeting")
             .annotate(n=Count("pk")).values("n"))  # fmt: skip
    return qs.select_related("body").annotate(
        item_count=Coalesce(Subquery(items, output_field=IntegerField()), V(0))
    )


def meeting_years() -> list[int]:
    """From the first meeting's year to the last (two index reads), newest first."""
    first = Meeting.objects.order_by("starts_at").values_list("starts_at", flat=True).first()
    last = Meeting.objects.order_by("-starts_at").values_list("starts_at", flat=True).first()
    if first is None or last is None:
        return []
    return list(range(last.year, first.year - 1, -1))


def meeting_detail(*, user, pk) -> Meeting:
    """One meeting with its agenda (presenters, key issues, papers, conflicts), its papers,
    its attendance and its minutes; a 404 for a meeting the reader may not see."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    conflicts = ConflictDeclaration.objects.select_related("seat__person", "declared_by")
    meeting = (
        meetings_visible_to(user)
        .select_related("body", "created_by")
        .prefetch_related(
            Prefetch("agenda", queryset=AgendaItem.objects.select_related(
                "presenter", "key_issue").prefetch_related(
                Prefetch("conflicts", queryset=conflicts),
                Prefetch("documents", queryset=MeetingDocument.objects.order_by("title", "id")),
            )),
            Prefetch("documents", queryset=MeetingDocument.objects.select_related(
                "agenda_item").order_by("title", "id")),
            Prefetch("attendance", queryset=Attendance.objects.select_related(
                "seat__person", "represented_by__person")),
        )
        .filter(pk=pk)
        .first()
    )  # fmt: skip
    if meeting is None:
        raise Http404
    meeting.minutes_record = (
        Minutes.objects.select_related("approved_at_meeting", "written_by")
        .filter(meeting=meeting).first()
    )  # fmt: skip
    return meeting


def meeting_document_detail(*, user, pk) -> MeetingDocument:
    """A paper of a meeting the reader may see, or a 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    document = (MeetingDocument.objects.select_related("meeting")
                .filter(pk=pk, meeting__in=meetings_visible_to(user)).first())  # fmt: skip
    if document is None:
        raise Http404
    return document


def meeting_history(meeting: Meeting, *, limit: int = 50):
    from landhub.core.history import history_entries

    return history_entries(meeting, limit=limit)


def minutes_history(minutes: Minutes | None, *, limit: int = 50):
    from landhub.core.history import history_entries

    return history_entries(minutes, limit=limit) if minutes is not None else []


def seats_on_day(meeting: Meeting) -> list[Seat]:
    """The body's seats current on the meeting's day, voting seats first."""
    from ..services.meetings import meeting_day

    order = {"chair": 0, "voting": 1, "alternate": 2, "secretary": 3, "observer": 4}
    seats = list(Seat.objects.current(meeting_day(meeting)).filter(body_id=meeting.body_id)
                 .select_related("person", "organization", "principal__person"))  # fmt: skip
    return sorted(seats, key=lambda s: (order.get(s.role, 9), s.person.name, s.pk))


# --- time ---------------------------------------------------------------------------------


def _zone(name: str):
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def meeting_when(meeting: Meeting, reader_zone=None) -> str:
    """The meeting's date and time in the reader's zone (the active one), with the meeting's
    own zone beside it when it differs: "Tue 3 Feb, 14:00–16:00 your time (Africa/Nairobi)
    · 12:00 Europe/Amsterdam"."""
    reader = reader_zone or timezone.get_current_timezone()
    start = timezone.localtime(meeting.starts_at, reader)
    end = timezone.localtime(meeting.ends_at, reader)
    day = formats.date_format(start, "D j M Y")
    hours = f"{formats.time_format(start, 'H:i')}–{formats.time_format(end, 'H:i')}"
    if end.date() != start.date():
        end_text = f"{formats.date_format(end, 'D j M')} {formats.time_format(end, 'H:i')}"
        hours = f"{formats.time_format(start, 'H:i')}–{end_text}"
    reader_name = str(reader)
    text = _("%(day)s, %(hours)s your time (%(zone)s)") % {
        "day": day, "hours": hours, "zone": reader_name}  # fmt: skip
    if meeting.time_zone != reader_name:
        there = timezone.localtime(meeting.starts_at, _zone(meeting.time_zone))
        local = formats.time_format(there, "H:i")
        if there.date() != start.date():
            local = f"{formats.date_format(there, 'D j M')} {local}"
        text += f" · {local} {meeting.time_zone}"
    return text


# --- quorum -------------------------------------------------------------------------------


@dataclass
class QuorumView:
    """The meeting's quorum and each item's, with the sentences that say them."""

    meeting: QuorumCount
    meeting_text: str
    items: dict[int, tuple[QuorumCount, str]] = field(default_factory=dict)
    recorded: bool = False  # attendance was recorded at all


def _seats_at(voting: list[int], present: set[int], recused: set[int]) -> list[SeatAtItem]:
    # The same facts ``services.decisions.item_seats`` gathers for a decision taken at a
    # meeting: present when attending or represented by an alternate; recused by a conflict.
    return [SeatAtItem(pk, pk in present, pk in recused) for pk in voting]


def meeting_quorum(meeting: Meeting, items: list[AgendaItem] | None = None) -> QuorumView:
    """Quorum of the meeting and of each agenda item. Uses the prefetched attendance and
    conflicts when ``meeting_detail`` loaded them; one query for the voting seats."""
    from ..services.meetings import meeting_day

    body: Body = meeting.body
    voting = list(Seat.objects.current(meeting_day(meeting)).voting()
                  .filter(body_id=meeting.body_id).values_list("pk", flat=True))  # fmt: skip
    rows = list(meeting.attendance.all())
    present = {
        a.seat_id
        for a in rows
        if a.status == AttendanceStatus.PRESENT or a.represented_by_id is not None
    }
    whole = count_quorum(body.quorum, _seats_at(voting, present, set()))
    text = ngettext(
        "Quorum: %(present)d of the %(eligible)d voting member present (%(required)d needed).",
        "Quorum: %(present)d of the %(eligible)d voting members present (%(required)d needed).",
        whole.eligible,
    ) % {"present": whole.present, "eligible": whole.eligible, "required": whole.required}
    text += " " + (_("The quorum is met.") if whole.met else _("The quorum is not met."))
    view = QuorumView(whole, text, recorded=bool(rows))
    for number, item in enumerate(items if items is not None else meeting.agenda.all(), 1):
        recused = {c.seat.principal_id or c.seat_id for c in item.conflicts.all()}
        count = count_quorum(body.quorum, _seats_at(voting, present, recused))
        out = len(set(voting) & recused)
        counted = ngettext("%(n)d voting member counts", "%(n)d voting members count",
                           count.eligible) % {"n": count.eligible}  # fmt: skip
        if out:
            counted += " " + ngettext("(one recused)", "(%(n)d recused)", out) % {"n": out}
        sentence = _("Item %(number)d: %(counted)s, %(required)d needed, %(present)d present.") % {
            "number": number, "counted": counted, "required": count.required,
            "present": count.present}  # fmt: skip
        view.items[item.pk] = (count, sentence)
    return view


# --- the body page's panel -------------------------------------------------------------------


@body_panel("governance/partials/body_meetings.html", order=10)
def body_meetings_panel(*, user, body) -> dict | None:
    """The next meetings of the body and the last ones held, as the reader may see them."""
    if not user.is_authenticated:
        return None  # a body's records are never public
    qs = meetings_visible_to(user).filter(body=body, archived_at__isnull=True)
    now = timezone.now()
    upcoming = list(qs.filter(ends_at__gte=now).exclude(status=MeetingStatus.CANCELLED)
                    .order_by("starts_at", "id")[:3])  # fmt: skip
    held = list(qs.filter(status=MeetingStatus.HELD).order_by("-starts_at", "-id")[:3])
    # The feed link carries the reader's personal key, so a calendar app can subscribe to it.
    return {"body": body, "upcoming": upcoming, "held": held, "feed_key": feed_key(user)}
