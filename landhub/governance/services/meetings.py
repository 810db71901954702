"""Writes of meetings: scheduling, the agenda, papers, attendance, conflicts of interest and
minutes.

A meeting's life: an officer (chair, secretary) or hub staff **schedules** it and the body's
members are invited (``governance.meeting_invitation``); items go on the **agenda**, which is
**published** (``governance.agenda_published``); a change of time or place goes out as a new
version of the same calendar event (``ical_sequence`` goes up, ``governance.meeting_changed``);
after the meeting, **attendance** is recorded for every seat of the body current on the day,
members **declare conflicts** of interest on the items (which recuses them from the item's
quorum and vote), and the **minutes** are written, **circulated** and **approved at a later
meeting** of the same body, after which they are locked.

An agenda item linked to a key issue moves the issue from *raised* to *scheduled*; taking it
off the agenda (or cancelling the meeting) moves it back to *raised* when no other agenda holds
it. That is the only place meetings touch key issues (``_schedule_issue`` / ``_release_issue``).
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from landhub.core.services import notify
from landhub.core.versioning import save_versioned

from ..models import (
    AgendaItem,
    AgendaKind,
    Attendance,
    AttendanceStatus,
    Body,
    ConflictDeclaration,
    IssueStatus,
    KeyIssue,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Seat,
    SeatRole,
)
from .common import full_clean, not_archived, require

__all__ = [
    "AGENDA_ITEM_FIELDS",
    "MEETING_FIELDS",
    "agenda_item_add",
    "agenda_item_move",
    "agenda_item_remove",
    "agenda_item_update",
    "agenda_publish",
    "attendance_record",
    "conflict_declare",
    "conflict_withdraw",
    "meeting_archive",
    "meeting_cancel",
    "meeting_create",
    "meeting_day",
    "meeting_document_add",
    "meeting_document_remove",
    "meeting_mark_held",
    "meeting_update",
    "minutes_approve",
    "minutes_circulate",
    "minutes_save",
]

MEETING_FIELDS = ("title", "starts_at", "ends_at", "time_zone", "place", "video_url",
                  "confidential", "notes")  # fmt: skip
# A change to one of these is a new version of the invitation in everyone's calendar.
CALENDAR_FIELDS = ("starts_at", "ends_at", "time_zone", "place", "video_url")
AGENDA_ITEM_FIELDS = ("title", "description", "kind", "key_issue", "presenter",
                      "minutes_allotted")  # fmt: skip
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


# --- helpers ----------------------------------------------------------------------------------


def meeting_day(meeting: Meeting):
    """The meeting's date where it is held (its own time zone): whose seats count."""
    try:
        zone = zoneinfo.ZoneInfo(meeting.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.localtime(meeting.starts_at, zone).date()


def _members(body: Body):
    """The users holding a current seat on ``body`` (who are told about its meetings)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        pk__in=Seat.objects.current().filter(body=body).values("person__user")
    )


def _tell(meeting: Meeting, kind: str, title: str, body: str = "") -> None:
    notify(recipients=_members(meeting.body), kind=kind, title=title, body=body,
           url=meeting.get_absolute_url())  # fmt: skip


def _check_time_zone(value: str, errors: dict) -> None:
    if not value or value not in zoneinfo.available_timezones():
        errors.setdefault("time_zone", []).append(
            _("Choose a time zone such as Africa/Nairobi or Europe/Amsterdam.")
        )


def _check_times(meeting: Meeting, errors: dict) -> None:
    if meeting.starts_at and meeting.ends_at and meeting.ends_at <= meeting.starts_at:
        errors.setdefault("ends_at", []).append(_("The meeting must end after it starts."))


def _open_for_changes(meeting: Meeting) -> None:
    not_archived(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting was cancelled; it can no longer change."))


def _agenda_open(meeting: Meeting) -> None:
    _open_for_changes(meeting)
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError(_("The meeting was held; its agenda can no longer change."))


# --- key issues on the agenda (the one place meetings move an issue's status) ----------------


def _schedule_issue(issue: KeyIssue | None, actor) -> None:
    """A raised key issue put on an agenda is scheduled."""
    if issue is None or issue.status != IssueStatus.RAISED:
        return
    issue.status = IssueStatus.SCHEDULED
    issue._history_user = actor
    save_versioned(issue, expected_version=None, update_fields=["status"])


def _release_issue(issue: KeyIssue | None, actor) -> None:
    """A scheduled key issue no longer on any live agenda goes back to raised."""
    if issue is None or issue.status != IssueStatus.SCHEDULED:
        return
    still = AgendaItem.objects.filter(key_issue=issue).exclude(
        meeting__status=MeetingStatus.CANCELLED)  # fmt: skip
    if still.exists():
        return
    issue.status = IssueStatus.RAISED
    issue._history_user = actor
    save_versioned(issue, expected_version=None, update_fields=["status"])


# --- meetings ---------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, actor, body: Body, title: str, starts_at, ends_at, time_zone: str = "",
                   place: str = "", video_url: str = "", confidential: bool = False,
                   notes: str = "") -> Meeting:  # fmt: skip
    """Schedule a meeting of ``body`` (its officers, hub staff) and invite its members.
    ``starts_at``/``ends_at`` are aware datetimes (stored in UTC); ``time_zone`` is where the
    meeting is held (the body's zone when not given)."""
    require(actor, "governance.manage_meetings", body)
    not_archived(body)
    errors: dict = {}
    time_zone = (time_zone or body.time_zone or "UTC").strip()
    _check_time_zone(time_zone, errors)
    meeting = Meeting(
        body=body, title=(title or "").strip(), starts_at=starts_at, ends_at=ends_at,
        time_zone=time_zone, place=(place or "").strip(), video_url=(video_url or "").strip(),
        confidential=bool(confidential), notes=(notes or "").strip(), created_by=actor,
    )  # fmt: skip
    _check_times(meeting, errors)
    full_clean(meeting, errors, exclude=("created_by",))
    meeting._history_user = actor
    meeting.save()
    _tell(meeting, "governance.meeting_invitation",
          _("Invitation: %(title)s (%(body)s)") % {"title": meeting.title, "body": body.name},
          meeting.notes)  # fmt: skip
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, version: int | None, changes: dict) -> Meeting:
    """Change a meeting. A new time or place bumps the calendar event's SEQUENCE and tells the
    members."""
    require(actor, "governance.manage_meetings", meeting.body)
    _open_for_changes(meeting)
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise ValidationError({key: [_("This field cannot be changed here.")]
                               for key in sorted(unknown)})  # fmt: skip
    errors: dict = {}
    before = {key: getattr(meeting, key) for key in CALENDAR_FIELDS}
    for key, value in changes.items():
        setattr(meeting, key, value.strip() if isinstance(value, str) else value)
    if "time_zone" in changes:
        _check_time_zone(meeting.time_zone, errors)
    _check_times(meeting, errors)
    full_clean(meeting, errors, exclude=("created_by",))
    moved = any(getattr(meeting, key) != before[key] for key in CALENDAR_FIELDS)
    if moved:
        meeting.ical_sequence += 1
    meeting._history_user = actor
    save_versioned(meeting, expected_version=version)
    if moved:
        _tell(meeting, "governance.meeting_changed",
              _("Meeting changed: %(title)s (%(body)s)")
              % {"title": meeting.title, "body": meeting.body.name},
              _("The time or place of the meeting changed; your calendar's copy is updated "
                "when it next reads the invitation."))  # fmt: skip
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting, version: int | None) -> Meeting:
    """Cancel a meeting not yet held: calendars show it cancelled (STATUS:CANCELLED, a new
    SEQUENCE), the members are told, key issues on its agenda go back to raised."""
    require(actor, "governance.manage_meetings", meeting.body)
    _open_for_changes(meeting)
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError(_("A meeting that was held cannot be cancelled."))
    meeting.status = MeetingStatus.CANCELLED
    meeting.ical_sequence += 1
    meeting._history_user = actor
    save_versioned(meeting, expected_version=version)
    for item in meeting.agenda.select_related("key_issue").filter(key_issue__isnull=False):
        _release_issue(item.key_issue, actor)
    _tell(meeting, "governance.meeting_changed",
          _("Meeting cancelled: %(title)s (%(body)s)")
          % {"title": meeting.title, "body": meeting.body.name})  # fmt: skip
    return meeting


@transaction.atomic
def meeting_archive(*, actor, meeting: Meeting, version: int | None,
                    restore: bool = False) -> Meeting:  # fmt: skip
    """Archive a cancelled meeting (scheduled by mistake, a duplicate), or restore it: it
    leaves the list, the body's page and the calendar feed, and stays readable from its link.
    A meeting that was held, or one still coming, is part of the record: cancel it first, so
    the members' calendars are told."""
    require(actor, "governance.manage_meetings", meeting.body)
    if not restore:
        not_archived(meeting)
        if meeting.status != MeetingStatus.CANCELLED:
            raise ValidationError(_("Only a cancelled meeting can be archived: cancel it first, "
                                    "so the members' calendars are told."))  # fmt: skip
    elif meeting.archived_at is None:
        raise ValidationError(_("This meeting is not archived."))
    meeting.archived_at = None if restore else timezone.now()
    meeting._history_user = actor
    save_versioned(meeting, expected_version=version, update_fields=["archived_at"])
    return meeting


@transaction.atomic
def agenda_publish(*, actor, meeting: Meeting, version: int | None) -> Meeting:
    """Publish the agenda to the members (at least one item)."""
    require(actor, "governance.manage_meetings", meeting.body)
    _agenda_open(meeting)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(_("The agenda is already published."))
    if not meeting.agenda.exists():
        raise ValidationError(_("Add at least one item before publishing the agenda."))
    meeting.status = MeetingStatus.AGENDA_PUBLISHED
    meeting._history_user = actor
    save_versioned(meeting, expected_version=version)
    _tell(meeting, "governance.agenda_published",
          _("Agenda published: %(title)s (%(body)s)")
          % {"title": meeting.title, "body": meeting.body.name})  # fmt: skip
    return meeting


@transaction.atomic
def meeting_mark_held(*, actor, meeting: Meeting, version: int | None) -> Meeting:
    """Record that the meeting took place (once it has started)."""
    require(actor, "governance.manage_meetings", meeting.body)
    _open_for_changes(meeting)
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError(_("The meeting is already marked as held."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("A meeting can be marked as held only once it has started."))
    meeting.status = MeetingStatus.HELD
    meeting._history_user = actor
    save_versioned(meeting, expected_version=version)
    return meeting


# --- agenda -----------------------------------------------------------------------------------


def _check_item_links(meeting: Meeting, item: AgendaItem, errors: dict) -> None:
    issue = item.key_issue
    if issue is not None and issue.body_id != meeting.body_id:
        errors.setdefault("key_issue", []).append(_("The key issue was raised to another body."))
    elif issue is not None and issue.status in (IssueStatus.DECIDED, IssueStatus.CLOSED):
        errors.setdefault("key_issue", []).append(_("This key issue is already decided."))


@transaction.atomic
def agenda_item_add(*, actor, meeting: Meeting, title: str, description: str = "",
                    kind: str = AgendaKind.DISCUSSION, key_issue: KeyIssue | None = None,
                    presenter=None, minutes_allotted: int | None = None) -> AgendaItem:  # fmt: skip
    """Add an item at the end of the agenda; a raised key issue it takes up is scheduled."""
    require(actor, "governance.manage_meetings", meeting.body)
    _agenda_open(meeting)
    last = meeting.agenda.aggregate(last=Max("position"))["last"]
    item = AgendaItem(
        meeting=meeting, position=(last or 0) + 1, title=(title or "").strip(),
        description=(description or "").strip(), kind=kind or AgendaKind.DISCUSSION,
        key_issue=key_issue, presenter=presenter, minutes_allotted=minutes_allotted,
    )  # fmt: skip
    errors: dict = {}
    _check_item_links(meeting, item, errors)
    full_clean(item, errors)
    item._history_user = actor
    item.save()
    _schedule_issue(key_issue, actor)
    return item


@transaction.atomic
def agenda_item_update(*, actor, item: AgendaItem, version: int | None,
                       changes: dict) -> AgendaItem:  # fmt: skip
    meeting = item.meeting
    require(actor, "governance.manage_meetings", meeting.body)
    _agenda_open(meeting)
    unknown = set(changes) - set(AGENDA_ITEM_FIELDS)
    if unknown:
        raise ValidationError({key: [_("This field cannot be changed here.")]
                               for key in sorted(unknown)})  # fmt: skip
    old_issue = item.key_issue
    for key, value in changes.items():
        setattr(item, key, value.strip() if isinstance(value, str) else value)
    errors: dict = {}
    _check_item_links(meeting, item, errors)
    full_clean(item, errors)
    item._history_user = actor
    save_versioned(item, expected_version=version)
    if "key_issue" in changes and getattr(old_issue, "pk", None) != item.key_issue_id:
        _release_issue(old_issue, actor)
        _schedule_issue(item.key_issue, actor)
    return item


@transaction.atomic
def agenda_item_move(*, actor, item: AgendaItem, direction: str) -> AgendaItem:
    """Swap the item with the one above (``up``) or below (``down``)."""
    meeting = item.meeting
    require(actor, "governance.manage_meetings", meeting.body)
    _agenda_open(meeting)
    if direction not in ("up", "down"):
        raise ValidationError({"direction": [_("Move up or down.")]})
    items = list(meeting.agenda.select_for_update(of=("self",)).order_by("position", "id"))
    index = next(i for i, x in enumerate(items) if x.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for position, row in enumerate(items, start=1):
        if row.position != position:
            row.position = position
            row._history_user = actor
            row.save(update_fields=["position", "updated_at"])
    return next(x for x in items if x.pk == item.pk)


@transaction.atomic
def agenda_item_remove(*, actor, item: AgendaItem) -> None:
    """Take an item off the agenda (its history stays). Refused once a decision was proposed
    on it; its key issue goes back to raised when no other agenda holds it."""
    meeting = item.meeting
    require(actor, "governance.manage_meetings", meeting.body)
    _agenda_open(meeting)
    if item.decisions.exists():
        raise ValidationError(_("A decision was proposed on this item: it stays on the agenda."))
    issue = item.key_issue
    item._history_user = actor
    item.delete()
    for position, row in enumerate(meeting.agenda.order_by("position", "id"), start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position", "updated_at"])
    _release_issue(issue, actor)


# --- papers -----------------------------------------------------------------------------------


@transaction.atomic
def meeting_document_add(*, actor, meeting: Meeting, upload, title: str = "",
                         agenda_item: AgendaItem | None = None) -> MeetingDocument:  # fmt: skip
    """Attach a paper (≤ 20 MB, a known kind by extension and content) in private storage."""
    from landhub.core.uploads import clean_document

    require(actor, "governance.manage_meetings", meeting.body)
    _open_for_changes(meeting)
    if upload is None:
        raise ValidationError({"file": [_("Choose a file to attach.")]})
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": [_("The item is not on this meeting's agenda.")]})
    limit = min(MAX_DOCUMENT_BYTES, settings.LANDHUB_MAX_ATTACHMENT_BYTES)
    try:
        document = clean_document(upload, max_bytes=limit)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    paper = MeetingDocument(
        meeting=meeting, agenda_item=agenda_item,
        title=(title or "").strip()[:200] or document.original_name,
        original_name=document.original_name, content_type=document.content_type,
        size=document.size, uploaded_by=actor,
    )  # fmt: skip
    paper.file.save(document.file.name, document.file, save=False)
    try:
        full_clean(paper, exclude=("file", "uploaded_by"))
        paper.save()
    except Exception:
        paper.file.delete(save=False)
        raise
    return paper


@transaction.atomic
def meeting_document_remove(*, actor, document: MeetingDocument) -> None:
    require(actor, "governance.manage_meetings", document.meeting.body)
    _open_for_changes(document.meeting)
    stored = document.file.name
    storage = document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(stored))


# --- attendance -------------------------------------------------------------------------------


@transaction.atomic
def attendance_record(*, actor, meeting: Meeting, entries: list[dict]) -> list[Attendance]:
    """Record attendance for the whole list at once: each entry ``{"seat": id, "status":
    present/apologies/absent, "represented_by": id or None}``. Every seat of the body current
    on the meeting's day may appear; an absent voting principal may be represented by one of
    their own alternates (who must not be the alternate of someone else). Errors are keyed
    ``status_<seat id>`` / ``alternate_<seat id>`` so the form shows them on the row."""
    require(actor, "governance.manage_meetings", meeting.body)
    _open_for_changes(meeting)
    day = meeting_day(meeting)
    seats = {s.pk: s for s in Seat.objects.current(day).filter(body=meeting.body)}
    errors: dict = {}
    valid_status = set(AttendanceStatus.values)
    rows: dict[int, tuple[str, Seat | None]] = {}
    for entry in entries:
        seat_id = entry.get("seat")
        seat = seats.get(seat_id) if isinstance(seat_id, int) else None
        if seat is None:
            errors.setdefault("attendance", []).append(
                _("Seat %(id)s is not a seat of this body on the meeting's day.")
                % {"id": seat_id})  # fmt: skip
            continue
        status = entry.get("status") or ""
        if status not in valid_status:
            errors.setdefault(f"status_{seat.pk}", []).append(
                _("Choose present, apologies or absent."))  # fmt: skip
            continue
        alternate = None
        alternate_id = entry.get("represented_by")
        if alternate_id:
            alternate = seats.get(alternate_id) if isinstance(alternate_id, int) else None
            key = f"alternate_{seat.pk}"
            if status == AttendanceStatus.PRESENT:
                errors.setdefault(key, []).append(
                    _("A member who is present is not represented by an alternate.")
                )
            elif not seat.has_vote:
                errors.setdefault(key, []).append(
                    _("Only a voting member is represented by an alternate.")
                )
            elif (
                alternate is None
                or alternate.role != SeatRole.ALTERNATE
                or alternate.principal_id != seat.pk
            ):
                errors.setdefault(key, []).append(
                    _("Choose one of this member's own alternates."))  # fmt: skip
        rows[seat.pk] = (status, alternate)
    used = [alt.pk for _status, alt in rows.values() if alt is not None]
    if len(used) != len(set(used)):
        errors.setdefault("attendance", []).append(
            _("An alternate can stand in for one member only."))  # fmt: skip
    if errors:
        raise ValidationError(errors)
    existing = {a.seat_id: a for a in meeting.attendance.all()}
    saved = []
    for seat_id, (status, alternate) in rows.items():
        record = existing.get(seat_id) or Attendance(meeting=meeting, seat_id=seat_id)
        changed = (record.pk is None or record.status != status
                   or record.represented_by_id != getattr(alternate, "pk", None))  # fmt: skip
        record.status = status
        record.represented_by = alternate
        if changed:
            record._history_user = actor
            record.save()
        saved.append(record)
    return saved


# --- conflicts of interest --------------------------------------------------------------------


@transaction.atomic
def conflict_declare(*, actor, agenda_item: AgendaItem, seat: Seat,
                     nature: str) -> ConflictDeclaration:  # fmt: skip
    """Declare a conflict of interest on an item: the member for their own seat, or an
    officer (or hub staff) on a member's behalf. It recuses the seat — the principal's, when
    an alternate declares — from the item's quorum and vote."""
    meeting = agenda_item.meeting
    body = meeting.body
    require(actor, "governance.declare_conflict", body)
    _open_for_changes(meeting)
    own = seat.person.user_id is not None and seat.person.user_id == actor.pk
    if not own:
        require(actor, "governance.manage_meetings", body)
    errors: dict = {}
    if seat.body_id != body.pk or not seat.is_current(meeting_day(meeting)):
        errors.setdefault("seat", []).append(
            _("Choose a seat of this body current on the meeting's day."))  # fmt: skip
    nature = (nature or "").strip()
    if not nature:
        errors.setdefault("nature", []).append(_("Say what the interest is."))
    if (
        not errors
        and ConflictDeclaration.objects.filter(seat=seat, agenda_item=agenda_item).exists()
    ):
        errors.setdefault("agenda_item", []).append(
            _("A conflict is already declared for this seat on this item."))  # fmt: skip
    declaration = ConflictDeclaration(seat=seat, agenda_item=agenda_item, nature=nature,
                                      declared_by=actor)  # fmt: skip
    full_clean(declaration, errors, exclude=("declared_by",))
    declaration._history_user = actor
    declaration.save()
    return declaration


@transaction.atomic
def conflict_withdraw(*, actor, conflict: ConflictDeclaration) -> None:
    """Withdraw a declaration (declared in error): its member or an officer. History keeps
    that it was made and withdrawn."""
    if conflict.agenda_item_id is None:
        raise ValidationError(_("This declaration is on a decision; withdraw it there."))
    meeting = conflict.agenda_item.meeting
    own = conflict.seat.person.user_id is not None and conflict.seat.person.user_id == actor.pk
    if not own:
        require(actor, "governance.manage_meetings", meeting.body)
    else:
        require(actor, "governance.declare_conflict", meeting.body)
    _open_for_changes(meeting)
    conflict._history_user = actor
    conflict.delete()


# --- minutes ----------------------------------------------------------------------------------


def _minutes_unlocked(minutes: Minutes) -> None:
    if minutes.locked:
        raise ValidationError({"text": [_("Approved minutes are locked.")]})


@transaction.atomic
def minutes_save(*, actor, meeting: Meeting, text: str, version: int | None) -> Minutes:
    """Write or change the minutes (Markdown) while they are not approved."""
    require(actor, "governance.write_minutes", meeting.body)
    _open_for_changes(meeting)
    text = (text or "").strip()
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        minutes = Minutes(meeting=meeting, text=text, written_by=actor)
        full_clean(minutes, exclude=("written_by", "approved_at_meeting"))
        minutes._history_user = actor
        minutes.save()
        return minutes
    _minutes_unlocked(minutes)
    minutes.text = text
    minutes.written_by = actor
    full_clean(minutes, exclude=("written_by", "approved_at_meeting"))
    minutes._history_user = actor
    save_versioned(minutes, expected_version=version)
    return minutes


@transaction.atomic
def minutes_circulate(*, actor, minutes: Minutes, version: int | None) -> Minutes:
    """Send the draft minutes of a held meeting to the members for approval."""
    meeting = minutes.meeting
    require(actor, "governance.write_minutes", meeting.body)
    _minutes_unlocked(minutes)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(_("Mark the meeting as held before circulating its minutes."))
    minutes.status = MinutesStatus.CIRCULATED
    minutes.circulated_at = timezone.now()
    minutes._history_user = actor
    save_versioned(minutes, expected_version=version)
    _tell(meeting, "governance.minutes_circulated",
          _("Minutes for approval: %(title)s (%(body)s)")
          % {"title": meeting.title, "body": meeting.body.name})  # fmt: skip
    return minutes


@transaction.atomic
def minutes_approve(*, actor, minutes: Minutes, version: int | None,
                    at_meeting: Meeting | None) -> Minutes:  # fmt: skip
    """Approve circulated minutes at a later meeting of the same body; they are locked."""
    meeting = minutes.meeting
    require(actor, "governance.write_minutes", meeting.body)
    _minutes_unlocked(minutes)
    if minutes.status != MinutesStatus.CIRCULATED:
        raise ValidationError(_("Circulate the minutes before they are approved."))
    errors: dict = {}
    if at_meeting is None:
        errors["approved_at_meeting"] = [_("Name the meeting that approved the minutes.")]
    elif at_meeting.body_id != meeting.body_id:
        errors["approved_at_meeting"] = [_("Minutes are approved at a meeting of the same body.")]
    elif at_meeting.starts_at <= meeting.starts_at:
        errors["approved_at_meeting"] = [_("Minutes are approved at a later meeting.")]
    elif at_meeting.status == MeetingStatus.CANCELLED:
        errors["approved_at_meeting"] = [_("That meeting was cancelled.")]
    if errors:
        raise ValidationError(errors)
    minutes.status = MinutesStatus.APPROVED
    minutes.approved_at = timezone.now()
    minutes.approved_at_meeting = at_meeting
    minutes._history_user = actor
    save_versioned(minutes, expected_version=version)
    return minutes
