"""Meetings, the pages and the API: the list with filters and CSV, a meeting's page in the
reader's own time zone with quorum and conflicts, scheduling with local times, attendance in
one form, papers downloaded safely, confidential meetings hidden, and what pages cost."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from landhub.governance import services
from landhub.governance.models import Meeting

from .test_meetings import _attend, at, held_meeting, make_meeting

pytestmark = pytest.mark.django_db


def signed_in(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def text(response) -> str:
    return response.content.decode()


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_the_meeting_page_speaks_the_readers_time_zone(gov, world, client_for):
    meeting = make_meeting(gov, starts_at=dt.datetime(2030, 2, 5, 11, 0, tzinfo=dt.UTC),
                           ends_at=dt.datetime(2030, 2, 5, 13, 0, tzinfo=dt.UTC))  # fmt: skip
    world.sofia.timezone = "Africa/Nairobi"
    world.sofia.save(update_fields=["timezone"])
    page = text(client_for("sofia").get(meeting.get_absolute_url()))
    assert "Tue 5 Feb 2030, 14:00–16:00 your time (Africa/Nairobi) · 12:00 Europe/Amsterdam" in page
    assert "Amsterdam office" in page and "Add to my calendar" in page


def test_quorum_attendance_and_conflicts_on_the_page(gov, world, client_for):
    meeting = held_meeting(gov)
    _attend(gov, meeting, overrides={gov.seats.members[0]: ("apologies", None),
                                     gov.seats.sofia: ("absent", gov.seats.pablo)})  # fmt: skip
    item = meeting.agenda.order_by("position")[2]
    services.conflict_declare(actor=world.sofia, agenda_item=item, seat=gov.seats.sofia,
                              nature="Commonland applies for this grant.")  # fmt: skip
    page = text(client_for("nora").get(meeting.get_absolute_url()))
    assert "Quorum: 5 of the 6 voting members present (4 needed). The quorum is met." in page
    assert "Item 3: 5 voting members count (one recused), 3 needed, 4 present." in page
    assert f"represented by {world.people['pablo'].name} (alternate)" in page
    assert "Commonland applies for this grant." in page
    assert "Record attendance" not in page and "Declare a conflict" not in page
    officer = text(signed_in(gov.sam).get(meeting.get_absolute_url()))
    assert "Record attendance" in officer and "Write the minutes" in officer
    # Each item for decision offers its officers the proposal, already placed on the item.
    propose = f"{reverse('governance:decision_create')}?agenda_item={item.pk}"
    assert propose in officer and propose not in page


def test_the_attendance_form_records_every_seat_at_once(gov, world):
    meeting = held_meeting(gov)
    sam = signed_in(gov.sam)
    url = reverse("governance:meeting_attendance", args=[meeting.pk])
    form = text(sam.get(url))
    assert "Member2 Test" in form and "Alternate attending for" in form
    seats = gov.seats
    bad = sam.post(url, {f"status_{seats.sofia.pk}": "present",
                         f"alternate_{seats.sofia.pk}": str(seats.pablo.pk)})  # fmt: skip
    assert bad.status_code == 400
    assert "A member who is present is not represented by an alternate." in text(bad)
    data = {f"status_{s.pk}": "present" for s in [seats.chair, *seats.members]}
    data.update({f"status_{seats.sofia.pk}": "absent",
                 f"alternate_{seats.sofia.pk}": str(seats.pablo.pk)})  # fmt: skip
    assert sam.post(url, data).status_code == 302
    assert meeting.attendance.get(seat=seats.sofia).represented_by == seats.pablo
    assert meeting.attendance.count() == 6


def test_scheduling_reads_local_times_in_the_chosen_zone(gov, world):
    chidi = signed_in(gov.chidi)
    response = chidi.post(reverse("governance:meeting_create"), {
        "body": gov.sc.pk, "title": "Nairobi retreat", "day": "2030-03-04",
        "start_time": "14:00", "end_time": "16:00", "time_zone": "Africa/Nairobi",
        "place": "Nairobi"})  # fmt: skip
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="Nairobi retreat")
    assert meeting.starts_at == dt.datetime(2030, 3, 4, 11, 0, tzinfo=dt.UTC)
    assert meeting.ends_at == dt.datetime(2030, 3, 4, 13, 0, tzinfo=dt.UTC)
    bad = chidi.post(reverse("governance:meeting_create"), {
        "body": gov.sc.pk, "title": "", "day": "not a day", "start_time": "25:00",
        "end_time": "x", "time_zone": "Nowhere/Land"})  # fmt: skip
    assert bad.status_code == 400
    assert "This field is required." in text(bad) and "Enter a valid date." in text(bad)
    # The edit form shows the times where the meeting is held.
    edit = text(chidi.get(reverse("governance:meeting_edit", args=[meeting.pk])))
    assert 'value="14:00"' in edit or 'value="14:00:00"' in edit


def test_the_list_filters_sorts_and_exports(gov, world, client_for):
    held_meeting(gov, title="January meeting")
    make_meeting(gov, title="Next meeting")
    services.meeting_create(actor=world.hana, body=gov.llag, title="LLAG call",
                            starts_at=at(3), ends_at=at(3, 13))  # fmt: skip
    nora = client_for("nora")
    page = text(nora.get(reverse("governance:meeting_list")))
    assert "3 meetings" in page
    upcoming = text(nora.get(reverse("governance:meeting_list"),
                             {"when": "upcoming", "body": "steering-committee"},
                             HTTP_HX_REQUEST="true"))  # fmt: skip
    assert "<html" not in upcoming and "Next meeting" in upcoming and "January" not in upcoming
    rows = _csv(nora.get(reverse("governance:meeting_export", args=["csv"]), {"sort": "title"}))
    assert rows[0][:3] == ["Id", "Body", "Title"]
    assert [r[2] for r in rows[1:]] == ["January meeting", "LLAG call", "Next meeting"]
    xlsx = nora.get(reverse("governance:meeting_export", args=["xlsx"]),
                    {"sort": "title", "body": "steering-committee"})  # fmt: skip
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[0][:3] == ("Id", "Body", "Title")
    assert [row[2] for row in cells[1:]] == ["January meeting", "Next meeting"]
    assert isinstance(cells[1][0], int)  # the id stays a number in the spreadsheet
    assert nora.get(reverse("governance:meeting_export", args=["pdf"])).status_code == 404
    odd = nora.get(reverse("governance:meeting_list"), {"year": "x", "sort": "nope",
                                                        "page": "999", "status": "?"})  # fmt: skip
    assert odd.status_code == 200


def test_a_confidential_meeting_is_hidden_from_the_network(gov, world, client_for):
    secret = make_meeting(gov, title="Closed session", confidential=True)
    assert client_for("nora").get(secret.get_absolute_url()).status_code == 404
    assert client_for("lena").get(f"/api/v1/governance/meetings/{secret.pk}").status_code == 404
    assert "Closed session" not in text(client_for("nora").get(reverse("governance:meeting_list")))
    assert client_for("sofia").get(secret.get_absolute_url()).status_code == 200
    feed = text(
        client_for("nora").get(reverse("governance:body_feed", args=["steering-committee"]))
    )
    assert "Closed session" not in feed
    assert "Closed session" in text(client_for("pablo").get(
        reverse("governance:body_feed", args=["steering-committee"])))  # fmt: skip


def test_papers_download_only_for_readers_with_the_safety_headers(gov, world, client_for):
    meeting = make_meeting(gov, title="Team meeting", body=gov.team)
    paper = services.meeting_document_add(
        actor=gov.chidi, meeting=meeting,
        upload=SimpleUploadedFile("budget.pdf", b"%PDF-1.4 budget"))  # fmt: skip
    url = reverse("governance:meeting_document", args=[paper.pk])
    response = client_for("sofia").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="budget.pdf"')
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 budget"
    assert client_for("nora").get(url).status_code == 404  # members-only body
    assert client_for("anonymous").get(url).status_code == 302
    chidi = signed_in(gov.chidi)
    wrong = chidi.post(reverse("governance:meeting_document_add", args=[meeting.pk]),
                       {"file": SimpleUploadedFile("budget.pdf", b"<script>")})  # fmt: skip
    assert wrong.status_code == 400
    assert "The file&#x27;s content is not a .pdf file" in text(wrong)


def test_minutes_locked_after_approval_on_the_page_and_the_api(gov, world):
    february = held_meeting(gov, days=-2, title="February")
    march = make_meeting(gov, days=20, title="March")
    sam = signed_in(gov.sam)
    assert sam.post(reverse("governance:minutes_edit", args=[february.pk]),
                    {"text": "## Decisions\n\n- Budget agreed"}).status_code == 302  # fmt: skip
    minutes = february.minutes
    sam.post(reverse("governance:minutes_circulate", args=[february.pk]),
             {"version": minutes.version})  # fmt: skip
    minutes.refresh_from_db()
    approved = sam.post(reverse("governance:minutes_approve", args=[february.pk]),
                        {"approved_at_meeting": march.pk, "version": minutes.version})  # fmt: skip
    assert approved.status_code == 302
    page = text(sam.get(february.get_absolute_url()))
    assert "<h2>Decisions</h2>" in page and "Approved at “March”" in page
    assert "Edit the minutes" not in page
    put = sam.put(f"/api/v1/governance/meetings/{february.pk}/minutes",
                  json.dumps({"text": "Rewritten", "version": minutes.version + 1}),
                  content_type="application/json")  # fmt: skip
    assert put.status_code == 422
    assert put.json()["errors"]["text"] == ["Approved minutes are locked."]


def test_the_api_schedules_changes_and_records(gov, world):
    chidi = signed_in(gov.chidi)
    created = chidi.post("/api/v1/governance/meetings", json.dumps({
        "body": "steering-committee", "title": "API meeting",
        "starts_at": "2030-03-04T12:00:00Z", "ends_at": "2030-03-04T14:00:00Z"}),
        content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["time_zone"] == "Europe/Amsterdam" and data["ical_sequence"] == 0
    moved = chidi.patch(f"/api/v1/governance/meetings/{data['id']}", json.dumps({
        "version": data["version"], "starts_at": "2030-03-05T12:00:00Z",
        "ends_at": "2030-03-05T14:00:00Z"}), content_type="application/json")  # fmt: skip
    assert moved.status_code == 200 and moved.json()["ical_sequence"] == 1
    stale = chidi.patch(f"/api/v1/governance/meetings/{data['id']}",
                        json.dumps({"version": data["version"], "title": "Stale"}),
                        content_type="application/json")  # fmt: skip
    assert stale.status_code == 409
    item = chidi.post(f"/api/v1/governance/meetings/{data['id']}/agenda",
                      json.dumps({"title": "Budget", "kind": "decision"}),
                      content_type="application/json")  # fmt: skip
    assert item.status_code == 201
    gone = chidi.delete(f"/api/v1/governance/meetings/{data['id']}/agenda/{item.json()['id']}")
    assert gone.status_code == 204
    ics = chidi.get(f"/api/v1/governance/meetings/{data['id']}.ics")
    assert ics.status_code == 200 and b"SEQUENCE:1" in ics.content
    url = f"/api/v1/governance/meetings/{data['id']}"
    version = chidi.get(url).json()["version"]
    refused = chidi.patch(url, json.dumps({"version": version, "archived": True}),
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 422 and "cancel it first" in refused.content.decode()
    gone = chidi.patch(url, json.dumps({"version": version, "status": "cancelled",
                                        "archived": True}),
                       content_type="application/json")  # fmt: skip
    assert gone.status_code == 200, gone.content
    assert gone.json()["status"] == "cancelled" and gone.json()["archived"] is True
    listed = chidi.get("/api/v1/governance/meetings", {"archived": "1"}).json()["items"]
    assert [m["id"] for m in listed] == [data["id"]]
    assert data["id"] not in [m["id"] for m in chidi.get("/api/v1/governance/meetings")
                              .json()["items"]]  # fmt: skip
    back = chidi.patch(url, json.dumps({"version": gone.json()["version"], "archived": False}),
                       content_type="application/json")  # fmt: skip
    assert back.status_code == 200 and back.json()["archived"] is False


def test_pages_cost_the_same_queries_whatever_the_number(gov, world, client_for,
                                                        django_assert_max_num_queries):  # fmt: skip
    meeting = held_meeting(gov, items=2)
    _attend(gov, meeting)
    nora = client_for("nora")

    def counts():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        out = []
        for url in (meeting.get_absolute_url(), reverse("governance:meeting_list"),
                    "/api/v1/governance/meetings?limit=100",
                    f"/api/v1/governance/meetings/{meeting.pk}"):  # fmt: skip
            with CaptureQueriesContext(connection) as captured:
                assert nora.get(url).status_code == 200
            out.append(len(captured.captured_queries))
        return out

    before = counts()
    for n in range(6):
        make_meeting(gov, days=10 + n, title=f"More {n}")
    more = held_meeting(gov, days=-3, title="Bigger", items=8)
    _attend(gov, more)
    for item in more.agenda.all()[:3]:
        services.conflict_declare(actor=gov.sam, agenda_item=item, seat=gov.seats.members[0],
                                  nature="Interest.")  # fmt: skip
    meeting = more
    after = counts()
    assert after == before, (before, after)
    with django_assert_max_num_queries(30):
        nora.get(more.get_absolute_url())


def test_the_body_page_panel_shows_the_next_and_the_last_held(gov, world):
    from django.template.loader import render_to_string

    from landhub.governance.selectors import body_meetings_panel

    held_meeting(gov, title="Last one")
    make_meeting(gov, title="Next one")
    secret = make_meeting(gov, title="Closed one", confidential=True)
    panel = body_meetings_panel(user=world.nora, body=gov.sc)
    assert [m.title for m in panel["upcoming"]] == ["Next one"]
    assert [m.title for m in panel["held"]] == ["Last one"]
    html = render_to_string("governance/partials/body_meetings.html", {"panel": panel})
    assert "Next one" in html and "Last one" in html and "meetings.ics" in html
    members = body_meetings_panel(user=world.sofia, body=gov.sc)
    assert secret in members["upcoming"]
    from django.contrib.auth.models import AnonymousUser

    assert body_meetings_panel(user=AnonymousUser(), body=gov.sc) is None


def test_officers_run_the_meeting_from_its_page(gov, world, client_for):
    meeting = make_meeting(gov, title="Spring meeting")
    services.agenda_item_add(actor=gov.chidi, meeting=meeting, title="Budget")
    url = meeting.get_absolute_url()
    # A member reads the meeting but sees none of the officers' buttons.
    member = text(client_for("nora").get(url))
    assert "Publish the agenda" not in member and "Cancel the meeting" not in member
    chidi = signed_in(gov.chidi)
    page = text(chidi.get(url))
    assert reverse("governance:meeting_edit", args=[meeting.pk]) in page
    assert "Publish the agenda" in page and "Cancel the meeting" in page
    assert "Mark as held" not in page  # it has not started yet
    published = chidi.post(reverse("governance:meeting_publish", args=[meeting.pk]),
                           {"version": meeting.version}, follow=True)  # fmt: skip
    assert "Agenda published; the members are told." in text(published)
    assert "Publish the agenda" not in text(published)
    meeting.refresh_from_db()
    cancelled = chidi.post(reverse("governance:meeting_cancel", args=[meeting.pk]),
                           {"version": meeting.version}, follow=True)  # fmt: skip
    page = text(cancelled)
    assert "Meeting cancelled; the members are told." in page
    assert "Cancel the meeting" not in page and ">Archive<" in page
    meeting.refresh_from_db()
    archived = chidi.post(reverse("governance:meeting_archive", args=[meeting.pk]),
                          {"version": meeting.version}, follow=True)  # fmt: skip
    assert "Meeting archived." in text(archived) and ">Restore<" in text(archived)
    listed = text(chidi.get(reverse("governance:meeting_list")))
    assert "Spring meeting" not in listed and "Archived meetings" in listed
    assert "Spring meeting" in text(chidi.get(reverse("governance:meeting_list"),
                                              {"archived": "1"}))  # fmt: skip
    stale = chidi.post(reverse("governance:meeting_archive", args=[meeting.pk]),
                       {"version": meeting.version, "restore": "1"}, follow=True)  # fmt: skip
    assert "Someone changed this meeting meanwhile" in text(stale)


def test_a_meeting_that_has_started_can_be_marked_held_from_its_page(gov, client_for):
    meeting = make_meeting(gov, days=-1, title="Yesterday's meeting")
    chidi = signed_in(gov.chidi)
    assert "Mark as held" in text(chidi.get(meeting.get_absolute_url()))
    done = chidi.post(reverse("governance:meeting_held", args=[meeting.pk]),
                      {"version": meeting.version}, follow=True)  # fmt: skip
    assert "Mark as held" not in text(done) and "Cancel the meeting" not in text(done)
