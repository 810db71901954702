"""Meetings, the services: scheduling with invitations, changes that move the calendar event,
the agenda and the key issues it schedules, attendance with alternates, quorum with apologies
and recusals, conflicts of interest, and minutes approved at a later meeting and then locked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from landhub.core.exceptions import ConflictError
from landhub.core.models import Notification
from landhub.governance import services
from landhub.governance.models import IssueStatus, KeyIssue, MeetingStatus, MinutesStatus
from landhub.governance.selectors import meeting_detail, meeting_quorum, meeting_when

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def at(days: int, hour: int = 12) -> dt.datetime:
    """A time ``days`` from now, on the hour, in UTC."""
    now = timezone.now().astimezone(UTC)
    return (now + dt.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def make_meeting(gov, *, days: int = 7, title: str = "Steering committee, February", **kw):
    data = {"title": title, "starts_at": at(days), "ends_at": at(days, 14),
            "time_zone": "Europe/Amsterdam", "place": "Amsterdam office"}  # fmt: skip
    data.update(kw)
    body = data.pop("body", gov.sc)
    return services.meeting_create(actor=gov.chidi, body=body, **data)


def held_meeting(gov, *, days: int = -7, title: str = "January meeting", items: int = 3):
    meeting = make_meeting(gov, days=days, title=title)
    for n in range(1, items + 1):
        services.agenda_item_add(actor=gov.chidi, meeting=meeting, title=f"Item {n}",
                                 kind="decision", minutes_allotted=20)  # fmt: skip
    meeting.refresh_from_db()
    return services.meeting_mark_held(actor=gov.chidi, meeting=meeting, version=meeting.version)


def test_an_officer_schedules_and_the_members_are_invited(gov, world):
    meeting = make_meeting(gov)
    assert meeting.status == MeetingStatus.SCHEDULED and meeting.ical_sequence == 0
    invited = set(Notification.objects.filter(kind="governance.meeting_invitation")
                  .values_list("recipient__email", flat=True))  # fmt: skip
    assert world.sofia.email in invited and world.pablo.email in invited
    assert world.lena.email not in invited  # LLAG, not the steering committee
    assert meeting.history.count() == 1


def test_who_may_schedule(gov, world):
    for outsider in (world.sofia, world.pablo, world.nora):
        with pytest.raises(PermissionDenied):
            services.meeting_create(actor=outsider, body=gov.sc, title="x", starts_at=at(1),
                                    ends_at=at(1, 13))  # fmt: skip
    by_staff = services.meeting_create(actor=world.hana, body=gov.sc, title="Staff-called",
                                       starts_at=at(1), ends_at=at(1, 13))  # fmt: skip
    assert by_staff.time_zone == "Europe/Amsterdam"  # the body's zone


def test_bad_input_is_refused_on_its_field(gov):
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(actor=gov.chidi, body=gov.sc, title="", starts_at=at(2, 14),
                                ends_at=at(2, 12), time_zone="Mars/Olympus")  # fmt: skip
    errors = exc.value.message_dict
    assert {"title", "ends_at", "time_zone"} <= set(errors)


def test_a_change_of_time_bumps_the_sequence_and_tells_the_members(gov, world):
    meeting = make_meeting(gov)
    services.meeting_update(actor=gov.chidi, meeting=meeting, version=meeting.version,
                            changes={"notes": "Bring the budget."})  # fmt: skip
    assert meeting.ical_sequence == 0  # notes are not the calendar's business
    assert not Notification.objects.filter(kind="governance.meeting_changed").exists()
    services.meeting_update(actor=gov.chidi, meeting=meeting, version=meeting.version,
                            changes={"starts_at": at(8), "ends_at": at(8, 14)})  # fmt: skip
    meeting.refresh_from_db()
    assert meeting.ical_sequence == 1
    assert Notification.objects.filter(kind="governance.meeting_changed",
                                       recipient=world.sofia).exists()  # fmt: skip
    with pytest.raises(ConflictError):
        services.meeting_update(actor=gov.chidi, meeting=meeting, version=meeting.version - 1,
                                changes={"title": "Stale"})  # fmt: skip


def test_publish_hold_and_cancel(gov, world):
    meeting = make_meeting(gov)
    with pytest.raises(ValidationError, match="at least one item"):
        services.agenda_publish(actor=gov.chidi, meeting=meeting, version=meeting.version)
    services.agenda_item_add(actor=gov.chidi, meeting=meeting, title="Budget")
    services.agenda_publish(actor=gov.chidi, meeting=meeting, version=meeting.version)
    assert meeting.status == MeetingStatus.AGENDA_PUBLISHED
    assert Notification.objects.filter(kind="governance.agenda_published",
                                       recipient=world.sofia).exists()  # fmt: skip
    with pytest.raises(ValidationError, match="once it has started"):
        services.meeting_mark_held(actor=gov.chidi, meeting=meeting, version=meeting.version)
    services.meeting_cancel(actor=gov.chidi, meeting=meeting, version=meeting.version)
    assert meeting.status == MeetingStatus.CANCELLED and meeting.ical_sequence == 1
    with pytest.raises(ValidationError, match="cancelled"):
        services.meeting_update(actor=gov.chidi, meeting=meeting, version=meeting.version,
                                changes={"title": "Back"})  # fmt: skip


def test_agenda_items_move_and_key_issues_follow(gov, world):
    issue = KeyIssue.objects.create(body=gov.sc, title="Budget 2026", background="Why.",
                                    raised_by=world.sofia)  # fmt: skip
    meeting = make_meeting(gov)
    first = services.agenda_item_add(actor=gov.chidi, meeting=meeting, title="Welcome",
                                     kind="information")  # fmt: skip
    second = services.agenda_item_add(actor=gov.chidi, meeting=meeting, title="Budget",
                                      kind="decision", key_issue=issue)  # fmt: skip
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SCHEDULED and (first.position, second.position) == (1, 2)
    services.agenda_item_move(actor=gov.chidi, item=second, direction="up")
    assert [i.title for i in meeting.agenda.order_by("position")] == ["Budget", "Welcome"]
    services.agenda_item_remove(actor=gov.chidi, item=second)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.RAISED
    assert [(i.title, i.position) for i in meeting.agenda.all()] == [("Welcome", 1)]
    other = KeyIssue.objects.create(body=gov.llag, title="Elsewhere", background="-")
    with pytest.raises(ValidationError) as exc:
        services.agenda_item_add(actor=gov.chidi, meeting=meeting, title="x", key_issue=other)
    assert "key_issue" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.agenda_item_add(actor=world.sofia, meeting=meeting, title="Mine")


def test_a_paper_of_the_wrong_kind_is_refused(gov):
    meeting = make_meeting(gov)
    fake = SimpleUploadedFile("budget.pdf", b"<html>not a pdf</html>")
    with pytest.raises(ValidationError) as exc:
        services.meeting_document_add(actor=gov.chidi, meeting=meeting, upload=fake)
    assert "file" in exc.value.message_dict
    exe = SimpleUploadedFile("run.exe", b"MZ....")
    with pytest.raises(ValidationError, match=r"not \.exe"):
        services.meeting_document_add(actor=gov.chidi, meeting=meeting, upload=exe)
    good = SimpleUploadedFile("budget.pdf", b"%PDF-1.4 budget")
    paper = services.meeting_document_add(actor=gov.chidi, meeting=meeting, upload=good)
    assert paper.title == "budget.pdf" and paper.content_type == "application/pdf"


def _attend(gov, meeting, overrides=None):
    """Every voting member present, then the overrides: seat → (status, alternate or None)."""
    seats = gov.seats
    rows = {s.pk: ("present", None) for s in [seats.chair, seats.sofia, *seats.members]}
    rows.update({seat.pk: value for seat, value in (overrides or {}).items()})
    entries = [{"seat": pk, "status": status, "represented_by": alt.pk if alt else None}
               for pk, (status, alt) in rows.items()]  # fmt: skip
    return services.attendance_record(actor=gov.sam, meeting=meeting, entries=entries)


def test_quorum_with_apologies_and_an_alternate_attending(gov):
    meeting = held_meeting(gov)
    seats = gov.seats
    # Two members sent apologies, sofia is absent but pablo attends for her.
    _attend(gov, meeting, overrides={seats.members[0]: ("apologies", None),
                                     seats.members[1]: ("apologies", None),
                                     seats.sofia: ("absent", seats.pablo)})  # fmt: skip
    view = meeting_quorum(meeting_detail(user=gov.chidi, pk=meeting.pk))
    assert (view.meeting.present, view.meeting.eligible, view.meeting.required) == (4, 6, 4)
    assert view.meeting.met
    assert view.meeting_text.startswith("Quorum: 4 of the 6 voting members present (4 needed).")


def test_a_recused_member_is_left_out_of_the_items_quorum(gov, world):
    meeting = held_meeting(gov)
    _attend(gov, meeting)
    item = meeting.agenda.order_by("position")[2]
    services.conflict_declare(actor=world.sofia, agenda_item=item, seat=gov.seats.sofia,
                              nature="Commonland applies for this grant.")  # fmt: skip
    loaded = meeting_detail(user=gov.chidi, pk=meeting.pk)
    view = meeting_quorum(loaded)
    count, sentence = view.items[item.pk]
    assert (count.eligible, count.present, count.required) == (5, 5, 3)
    assert sentence == "Item 3: 5 voting members count (one recused), 3 needed, 5 present."
    first = meeting.agenda.order_by("position")[0]
    assert view.items[first.pk][0].eligible == 6


def test_a_conflict_declared_by_an_alternate_recuses_the_principal(gov, world):
    meeting = held_meeting(gov)
    _attend(gov, meeting)
    item = meeting.agenda.order_by("position")[0]
    services.conflict_declare(actor=world.pablo, agenda_item=item, seat=gov.seats.pablo,
                              nature="I advise the applicant.")  # fmt: skip
    count, _sentence = meeting_quorum(meeting_detail(user=gov.chidi, pk=meeting.pk)).items[item.pk]
    assert count.eligible == 5


def test_an_alternate_for_someone_elses_principal_is_refused(gov):
    meeting = held_meeting(gov)
    other = gov.seats.members[0]
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(actor=gov.sam, meeting=meeting, entries=[
            {"seat": other.pk, "status": "absent",
             "represented_by": gov.seats.pablo.pk}])  # fmt: skip
    assert exc.value.message_dict[f"alternate_{other.pk}"] == [
        "Choose one of this member's own alternates."
    ]
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(actor=gov.sam, meeting=meeting, entries=[
            {"seat": gov.seats.sofia.pk, "status": "present",
             "represented_by": gov.seats.pablo.pk}])  # fmt: skip
    assert f"alternate_{gov.seats.sofia.pk}" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.attendance_record(actor=gov.sam, meeting=meeting, entries=[
            {"seat": gov.seats.lena.pk, "status": "present"}])  # LLAG seat  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=gov.seats.sofia.person.user, meeting=meeting,
                                   entries=[])  # fmt: skip


def test_conflicts_own_seat_or_an_officer_and_nature_required(gov, world):
    meeting = held_meeting(gov)
    item = meeting.agenda.first()
    with pytest.raises(PermissionDenied):  # sofia for someone else's seat
        services.conflict_declare(actor=world.sofia, agenda_item=item,
                                  seat=gov.seats.members[0], nature="x")  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.conflict_declare(actor=world.sofia, agenda_item=item, seat=gov.seats.sofia,
                                  nature="  ")  # fmt: skip
    assert "nature" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.conflict_declare(actor=world.lena, agenda_item=item, seat=gov.seats.lena,
                                  nature="x")  # fmt: skip
    recorded = services.conflict_declare(
        actor=gov.sam, agenda_item=item, seat=gov.seats.members[0], nature="Board seat."
    )
    assert recorded.declared_by == gov.sam
    with pytest.raises(ValidationError, match="already declared"):
        services.conflict_declare(actor=gov.sam, agenda_item=item, seat=gov.seats.members[0],
                                  nature="Again.")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.conflict_withdraw(actor=world.sofia, conflict=recorded)
    services.conflict_withdraw(actor=gov.sam, conflict=recorded)
    assert not item.conflicts.exists()


def test_minutes_are_approved_at_a_later_meeting_then_locked(gov, world):
    january = held_meeting(gov, days=-30, title="January")
    february = held_meeting(gov, days=-2, title="February")
    minutes = services.minutes_save(actor=gov.sam, meeting=february, text="# Minutes\n\nAgreed.",
                                    version=None)  # fmt: skip
    minutes = services.minutes_save(actor=gov.sam, meeting=february, text="# Minutes\n\nAgreed!",
                                    version=minutes.version)  # fmt: skip
    with pytest.raises(ConflictError):
        services.minutes_save(actor=gov.sam, meeting=february, text="stale", version=1)
    with pytest.raises(PermissionDenied):
        services.minutes_save(actor=world.sofia, meeting=february, text="mine", version=None)
    with pytest.raises(ValidationError, match="Circulate"):
        services.minutes_approve(actor=gov.sam, minutes=minutes, version=minutes.version,
                                 at_meeting=january)  # fmt: skip
    services.minutes_circulate(actor=gov.sam, minutes=minutes, version=minutes.version)
    assert Notification.objects.filter(kind="governance.minutes_circulated",
                                       recipient=world.sofia).exists()  # fmt: skip
    # Not at an earlier meeting, nor at another body's.
    with pytest.raises(ValidationError) as exc:
        services.minutes_approve(actor=gov.sam, minutes=minutes, version=minutes.version,
                                 at_meeting=january)  # fmt: skip
    assert exc.value.message_dict["approved_at_meeting"] == [
        "Minutes are approved at a later meeting."
    ]
    llag = services.meeting_create(actor=world.hana, body=gov.llag, title="LLAG March",
                                   starts_at=at(20), ends_at=at(20, 14))  # fmt: skip
    with pytest.raises(ValidationError, match="same body"):
        services.minutes_approve(actor=gov.sam, minutes=minutes, version=minutes.version,
                                 at_meeting=llag)  # fmt: skip
    march = make_meeting(gov, days=20, title="March")
    services.minutes_approve(actor=gov.sam, minutes=minutes, version=minutes.version,
                             at_meeting=march)  # fmt: skip
    assert minutes.status == MinutesStatus.APPROVED and minutes.approved_at_meeting == march
    with pytest.raises(ValidationError) as exc:
        services.minutes_save(actor=gov.sam, meeting=february, text="Rewritten",
                              version=minutes.version)  # fmt: skip
    assert exc.value.message_dict["text"] == ["Approved minutes are locked."]
    assert minutes.history.count() == 4  # two drafts, circulated, approved


def test_the_time_is_said_in_the_readers_zone_with_the_meetings_beside_it(gov):
    import zoneinfo

    meeting = make_meeting(gov, starts_at=dt.datetime(2026, 2, 3, 11, 0, tzinfo=UTC),
                           ends_at=dt.datetime(2026, 2, 3, 13, 0, tzinfo=UTC))  # fmt: skip
    text = meeting_when(meeting, zoneinfo.ZoneInfo("Africa/Nairobi"))
    assert text == "Tue 3 Feb 2026, 14:00–16:00 your time (Africa/Nairobi) · 12:00 Europe/Amsterdam"
    same = meeting_when(meeting, zoneinfo.ZoneInfo("Europe/Amsterdam"))
    assert same == "Tue 3 Feb 2026, 12:00–14:00 your time (Europe/Amsterdam)"


def test_only_a_cancelled_meeting_is_archived_and_it_can_come_back(gov, world):
    from landhub.governance.selectors import meeting_list

    meeting = make_meeting(gov, title="Duplicate call")
    with pytest.raises(ValidationError, match="cancel it first"):
        services.meeting_archive(actor=gov.chidi, meeting=meeting, version=meeting.version)
    with pytest.raises(ValidationError, match="not archived"):
        services.meeting_archive(actor=gov.chidi, meeting=meeting, version=meeting.version,
                                 restore=True)  # fmt: skip
    services.meeting_cancel(actor=gov.chidi, meeting=meeting, version=meeting.version)
    with pytest.raises(PermissionDenied):
        services.meeting_archive(actor=world.sofia, meeting=meeting, version=meeting.version)
    with pytest.raises(ConflictError):
        services.meeting_archive(actor=gov.chidi, meeting=meeting, version=meeting.version - 1)
    meeting.refresh_from_db()  # as the page does after a conflict
    services.meeting_archive(actor=gov.chidi, meeting=meeting, version=meeting.version)
    assert meeting.archived_at is not None
    assert not meeting_list(user=world.hana).filter(pk=meeting.pk).exists()
    assert list(meeting_list(user=world.hana, filters={"archived": "1"})) == [meeting]
    with pytest.raises(ValidationError, match="archived"):
        services.meeting_archive(actor=gov.chidi, meeting=meeting, version=meeting.version)
    services.meeting_archive(actor=world.hana, meeting=meeting, version=meeting.version,
                             restore=True)  # fmt: skip
    assert meeting.archived_at is None
    assert meeting_list(user=world.hana).filter(pk=meeting.pk).exists()
    held = held_meeting(gov, title="Held, in the record")
    with pytest.raises(ValidationError, match="Only a cancelled meeting"):
        services.meeting_archive(actor=gov.chidi, meeting=held, version=held.version)
