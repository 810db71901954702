"""Partner activities: the shared calendar, its iCal feed, and overlap alerts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from landhub.coordination import services
from landhub.coordination.models import ActivityOverlap
from landhub.core.models import Notification
from landhub.directory import factories as f

pytestmark = pytest.mark.django_db

SOON = dt.date.today() + dt.timedelta(days=20)


def _activity(actor, organization, landscape, start, days=3, capability="landscape-finance",
              **extra):  # fmt: skip
    return services.activity_create(
        actor=actor, title=extra.pop("title", f"Workshop of {organization.name}"),
        type="workshop", organizations=[organization], landscapes=[landscape.slug],
        capabilities=[capability], starts_on=start, ends_on=start + dt.timedelta(days=days),
        **extra,
    )  # fmt: skip


def test_an_overlapping_activity_alerts_both_sides_until_coordinated(client_for, world):
    mine = _activity(world.pablo, world.core_org, world.landscape, SOON, title="Finance week")
    theirs = _activity(world.nora, world.other_org, world.landscape, SOON + dt.timedelta(days=2),
                       title="River finance day")  # fmt: skip
    overlap = ActivityOverlap.objects.get()
    assert {overlap.first, overlap.second} == {mine, theirs}
    assert Notification.objects.filter(recipient=world.pablo,
                                       kind="coordination.activity_overlap").exists()  # fmt: skip
    page = client_for("pablo").get(mine.get_absolute_url()).content.decode()
    assert "Coordinate with" in page and "River finance day" in page
    nora = client_for("nora")
    response = nora.post(reverse("coordination:overlap_coordinated", args=[overlap.pk]),
                         {"note": "We merged the two days.", "back": theirs.pk})  # fmt: skip
    assert response.status_code == 302
    page = nora.get(theirs.get_absolute_url()).content.decode()
    assert "Coordinated with “Finance week”." in page and "We merged the two days." in page
    assert (
        client_for("oscar")
        .post(reverse("coordination:overlap_coordinated", args=[overlap.pk]))
        .status_code
        == 403
    )


@pytest.mark.parametrize(
    "change",
    [
        {"start": SOON + dt.timedelta(days=10)},  # another period
        {"capability": "gis-and-mapping"},  # another topic
        {"same_organization": True},
        {"status": "cancelled"},
        {"other_landscape": True},
    ],
)
def test_no_alert_when_they_do_not_really_overlap(world, change):
    _activity(world.pablo, world.core_org, world.landscape, SOON)
    organization = world.core_org if change.get("same_organization") else world.other_org
    actor = world.pablo if change.get("same_organization") else world.nora
    landscape = f.LandscapeFactory(name="Elsewhere") if change.get("other_landscape") else (
        world.landscape)  # fmt: skip
    extra = {"status": change["status"]} if "status" in change else {}
    _activity(actor, organization, landscape, change.get("start", SOON),
              capability=change.get("capability", "landscape-finance"), **extra)  # fmt: skip
    assert not ActivityOverlap.objects.exists()


def test_calendar_list_month_and_ical(client, world):
    _activity(world.pablo, world.core_org, world.landscape, SOON, title="Finance week",
              visibility="public")  # fmt: skip
    body = client.get(reverse("coordination:activity_list")).content.decode()
    assert "Finance week" in body
    month = SOON.strftime("%Y-%m")
    body = client.get(reverse("coordination:activity_list"),
                      {"view": "month", "month": month}).content.decode()  # fmt: skip
    assert "Finance week" in body and SOON.strftime("%B %Y") in body
    other = client.get(reverse("coordination:activity_list"),
                       {"capability": "gis-and-mapping"}).content.decode()  # fmt: skip
    assert "Finance week" not in other
    ical = client.get(reverse("coordination:activity_ical")).content.decode()
    assert "BEGIN:VEVENT" in ical and "SUMMARY:Finance week" in ical
    assert f"DTSTART;VALUE=DATE:{SOON:%Y%m%d}" in ical
    first = ical.split("URL:", 1)[1].split("\r\n", 1)[0]
    assert first.endswith(_activity_url("Finance week"))
    # The feed is cached, but a new activity shows at the next poll.
    _activity(world.pablo, world.core_org, world.landscape, SOON, title="Soil day",
              visibility="public", capability="gis-and-mapping")  # fmt: skip
    assert "SUMMARY:Soil day" in client.get(reverse("coordination:activity_ical")).content.decode()
    restricted = client.get(reverse("coordination:activity_ical"), {"capability": "research"})
    assert "BEGIN:VEVENT" not in restricted.content.decode()


def _activity_url(title):
    from landhub.coordination.models import Activity

    return Activity.objects.get(title=title).get_absolute_url()


def test_a_busy_day_shows_four_activities_and_how_many_more(client, world):
    for i in range(6):
        _activity(world.hana, world.core_org, world.landscape, SOON, days=0,
                  title=f"Busy {i}", visibility="public")  # fmt: skip
    body = client.get(reverse("coordination:activity_list"),
                      {"view": "month", "month": f"{SOON:%Y-%m}"}).content.decode()  # fmt: skip
    assert sum(f"Busy {i}" in body for i in range(6)) == 4
    assert "+ 2 more" in body


def test_who_may_add_activities_and_bad_dates(client_for, world):
    assert client_for("oscar").get(reverse("coordination:activity_create")).status_code == 403
    response = client_for("pablo").post(reverse("coordination:activity_create"), {
        "title": "Backwards", "type": "workshop", "status": "planned",
        "starts_on": SOON.isoformat(), "ends_on": (SOON - dt.timedelta(days=2)).isoformat(),
        "organizations": [world.core_org.pk], "visibility": "network",
    })  # fmt: skip
    assert response.status_code == 200
    assert "The end comes before the start." in response.content.decode()


def test_the_api_adds_lists_and_edits_activities_with_their_overlaps(client, world):
    import json

    from landhub.accounts.services import api_token_create

    def auth(user):
        _token, plain = api_token_create(actor=user, name="t", scope="write")
        return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}

    body = {"title": "Water forum", "type": "convening", "starts_on": SOON.isoformat(),
            "ends_on": (SOON + dt.timedelta(days=1)).isoformat(),
            "organizations": [world.core_org.slug], "landscapes": [world.landscape.slug],
            "themes": ["water"], "visibility": "public"}  # fmt: skip
    created = client.post("/api/v1/activities", json.dumps(body),
                          content_type="application/json", **auth(world.pablo))  # fmt: skip
    assert created.status_code == 201 and created.json()["overlaps"] == []
    second = client.post("/api/v1/activities", json.dumps(
        {**body, "title": "River water day", "organizations": [world.other_org.slug]}),
        content_type="application/json", **auth(world.nora))  # fmt: skip
    assert second.status_code == 201
    assert second.json()["overlaps"][0]["title"] == "Water forum"
    listed = client.get("/api/v1/activities", {"theme": "water"}).json()
    assert listed["count"] == 2
    url = f"/api/v1/activities/{created.json()['id']}"
    patched = client.patch(url, json.dumps({"version": created.json()["version"],
                                            "status": "confirmed"}),
                           content_type="application/json", **auth(world.pablo))  # fmt: skip
    assert patched.status_code == 200 and patched.json()["status"] == "confirmed"
    foreign = client.patch(url, json.dumps({"version": patched.json()["version"],
                                            "organizations": [world.other_org.slug]}),
                           content_type="application/json", **auth(world.pablo))  # fmt: skip
    assert foreign.status_code == 422


def test_either_side_marks_an_overlap_coordinated_through_the_api(client_for, world):
    mine = _activity(world.pablo, world.core_org, world.landscape, SOON, title="Finance week")
    _activity(world.nora, world.other_org, world.landscape, SOON, title="River finance day")
    overlap = ActivityOverlap.objects.get()
    url = f"/api/v1/activities/overlaps/{overlap.pk}/coordinated"
    response = client_for("pablo").post(url, {"note": "One joint day."},
                                        content_type="application/json")  # fmt: skip
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == mine.pk  # the caller's own activity of the pair
    assert data["overlaps"] == [{"id": overlap.pk, "activity": overlap.second_id
                                 if overlap.first_id == mine.pk else overlap.first_id,
                                 "title": "River finance day", "coordinated": True,
                                 "note": "One joint day."}]  # fmt: skip
    too_long = client_for("nora").post(url, {"note": "x" * 501}, content_type="application/json")
    assert too_long.status_code == 422
    assert client_for("lena").post(url, {}, content_type="application/json").status_code == 403
    missing = client_for("pablo").post("/api/v1/activities/overlaps/999999/coordinated", {},
                                       content_type="application/json")  # fmt: skip
    assert missing.status_code == 404
