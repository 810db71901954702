"""iCalendar of meetings: one meeting's invitation and a body's feed — a stable UID, SEQUENCE
going up with a change of time, UTC times, escaped text, folded lines, CANCELLED."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from landhub.governance import services
from landhub.governance.ical import meeting_uid

from .test_meetings import make_meeting

pytestmark = pytest.mark.django_db


def _ics(client, meeting) -> str:
    response = client.get(reverse("governance:meeting_ics", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return response.content.decode()


def _unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def test_uid_is_stable_and_sequence_bumps_on_a_change_of_time(gov, client_for):
    meeting = make_meeting(gov, starts_at=dt.datetime(2030, 2, 5, 11, 0, tzinfo=dt.UTC),
                           ends_at=dt.datetime(2030, 2, 5, 13, 0, tzinfo=dt.UTC))  # fmt: skip
    sofia = client_for("sofia")
    first = _unfold(_ics(sofia, meeting))
    uid = f"UID:{meeting_uid(meeting)}"
    assert uid in first and "SEQUENCE:0" in first
    assert "DTSTART:20300205T110000Z" in first and "DTEND:20300205T130000Z" in first
    assert "LOCATION:Amsterdam office" in first and "STATUS:CONFIRMED" in first
    assert f"URL:http://testserver/governance/meetings/{meeting.pk}/" in first
    moved = {"starts_at": dt.datetime(2030, 2, 6, 11, 0, tzinfo=dt.UTC),
             "ends_at": dt.datetime(2030, 2, 6, 13, 0, tzinfo=dt.UTC)}  # fmt: skip
    services.meeting_update(actor=gov.chidi, meeting=meeting, version=meeting.version,
                            changes=moved)  # fmt: skip
    second = _unfold(_ics(sofia, meeting))
    assert uid in second and "SEQUENCE:1" in second and "DTSTART:20300206T110000Z" in second


def test_text_is_escaped_and_long_lines_folded(gov, client_for):
    meeting = make_meeting(gov, title="Budget; review, part 2", place="Room 3, floor 2; left",
                           notes="Bring:\n- the budget\n" + "long words " * 20)  # fmt: skip
    raw = _ics(client_for("sofia"), meeting)
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    text = _unfold(raw)
    assert "SUMMARY:Budget\\; review\\, part 2 (Steering Committee)" in text
    assert "LOCATION:Room 3\\, floor 2\\; left" in text
    assert "DESCRIPTION:Bring:\\n- the budget\\n" in text


def test_a_cancelled_meeting_is_cancelled_in_calendars(gov, client_for):
    meeting = make_meeting(gov)
    services.meeting_cancel(actor=gov.chidi, meeting=meeting, version=meeting.version)
    text = _unfold(_ics(client_for("sofia"), meeting))
    assert "STATUS:CANCELLED" in text and "METHOD:CANCEL" in text and "SEQUENCE:1" in text
    feed = _unfold(client_for("sofia").get(
        reverse("governance:body_feed", args=["steering-committee"])).content.decode())  # fmt: skip
    assert f"UID:{meeting_uid(meeting)}" in feed and "STATUS:CANCELLED" in feed


def test_the_feed_follows_the_readers_visibility(gov, world, client_for):
    make_meeting(gov, title="Team session", body=gov.team)
    make_meeting(gov, title="Open session")
    url = reverse("governance:body_feed", args=["finance-team"])
    assert "Team session" in client_for("sofia").get(url).content.decode()
    outsider = client_for("nora").get(url).content.decode()
    assert "BEGIN:VCALENDAR" in outsider and "Team session" not in outsider
    assert client_for("anonymous").get(url).status_code == 302
    assert client_for("nora").get(reverse("governance:body_feed", args=["nope"])).status_code == 404
    sc = client_for("nora").get(reverse("governance:body_feed", args=["steering-committee"]))
    assert "Open session" in sc.content.decode()


def test_a_calendar_app_subscribes_with_the_readers_personal_key(gov, world, client_for):
    """Calendar apps cannot sign in: the feed link on the body's page carries the reader's
    key, the feed then holds what that reader may see, and a changed password revokes it."""
    from landhub.governance.ical import feed_key

    make_meeting(gov, title="Team session", body=gov.team)
    page = client_for("sofia").get(reverse("governance:body_detail", args=["finance-team"]))
    link = reverse("governance:body_feed", args=["finance-team"]) + f"?key={feed_key(world.sofia)}"
    assert link.replace("&", "&amp;") in page.content.decode()

    app = client_for("anonymous")  # the calendar app: no session
    assert "Team session" in app.get(link).content.decode()
    # Another reader's key gives that reader's view: nothing of a members-only body.
    nora = reverse("governance:body_feed", args=["finance-team"]) + f"?key={feed_key(world.nora)}"
    assert "Team session" not in app.get(nora).content.decode()
    # A forged key or one revoked by a password change opens nothing.
    assert app.get(link[:-3] + "abc").status_code == 404
    world.sofia.set_password("a new and long password")
    world.sofia.save()
    assert app.get(link).status_code == 404
    assert app.get(reverse("governance:body_feed", args=["finance-team"])).status_code == 302
