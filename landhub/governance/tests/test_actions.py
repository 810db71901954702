"""Action items: recorded by a body's officers from a decision, a meeting or the body, owned by
a person (told at once) and/or an organization, moved by their owner, listed with filters and
CSV, overdue ones marked on the owner's "My hub" and on the body's page, confidential ones
kept from those outside the body, and what the pages cost in queries."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from landhub.core.exceptions import ConflictError
from landhub.core.models import Notification
from landhub.governance import services
from landhub.governance.models import ActionItem
from landhub.governance.selectors import body_actions_panel, my_actions_panel

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)


def _today() -> dt.date:
    return timezone.localdate()


def _action(gov, world, *, title="Send the budget", due=None, body=None, actor=None, **kw):
    return services.action_create(actor=actor or gov.sam, body=body or gov.sc, title=title,
                                  due_on=due or _today() + dt.timedelta(days=10),
                                  owner=world.people["sofia"], **kw)  # fmt: skip


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


# --- services --------------------------------------------------------------------------------


def test_an_officer_records_an_action_and_its_owner_is_told(gov, world):
    action = _action(gov, world, owner_organization=world.core_org)
    assert action.body == gov.sc and action.status == "open" and action.created_by == gov.sam
    note = Notification.objects.get(recipient=world.sofia, kind="governance.action_assigned")
    assert "Send the budget" in note.title and note.url == action.get_absolute_url()
    assert action.history.count() == 1


def test_who_may_record_and_what_is_refused(gov, world):
    with pytest.raises(PermissionDenied):  # sofia sits on the committee but is no officer
        _action(gov, world, actor=world.sofia)
    with pytest.raises(PermissionDenied):  # Sam is not an officer of the design team
        _action(gov, world, body=gov.team)
    assert _action(gov, world, actor=world.hana, body=gov.team).body == gov.team
    with pytest.raises(ValidationError) as exc:
        services.action_create(actor=gov.sam, body=gov.sc, title=" ", due_on=None)
    assert {"title", "due_on", "owner"} <= set(exc.value.message_dict)
    assert "Name the person or the organization" in exc.value.message_dict["owner"][0]
    with pytest.raises(ValidationError) as exc:
        services.action_create(actor=gov.sam, title="x", due_on=_today())
    assert "body" in exc.value.message_dict


def test_an_action_from_a_meeting_of_another_body_is_refused(gov, world):
    from landhub.governance.models import Meeting

    meeting = Meeting.objects.create(body=gov.llag, title="LLAG meeting",
                                     starts_at=timezone.now(),
                                     ends_at=timezone.now() + dt.timedelta(hours=1))  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        _action(gov, world, actor=world.hana, meeting=meeting)
    assert exc.value.message_dict["meeting"] == ["This meeting is another body's."]
    from_meeting = services.action_create(
        actor=world.hana, meeting=meeting, title="Write up", due_on=_today(),
        owner_organization=world.core_org,
    )  # fmt: skip
    assert from_meeting.body == gov.llag


def test_update_keeps_versions_and_tells_a_new_owner(gov, world):
    action = _action(gov, world)
    changes = {"owner": world.people["pablo"], "title": "Send it"}
    services.action_update(actor=gov.sam, action=action, version=action.version, changes=changes)
    assert Notification.objects.filter(recipient=world.pablo,
                                       kind="governance.action_assigned").exists()  # fmt: skip
    with pytest.raises(ConflictError):
        services.action_update(actor=gov.sam, action=ActionItem.objects.get(pk=action.pk),
                               version=1, changes={"title": "Stale"})  # fmt: skip
    with pytest.raises(ValidationError):
        services.action_update(actor=gov.sam, action=action, version=action.version,
                               changes={"status": "done"})  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.action_update(actor=world.sofia, action=action, version=action.version,
                               changes={"title": "Mine now"})  # fmt: skip


def test_the_owner_moves_the_status_and_done_is_stamped(gov, world):
    action = _action(gov, world)
    done = services.action_set_status(actor=world.sofia, action=action, status="done",
                                      version=action.version)  # fmt: skip
    assert done.status == "done" and done.done_at is not None
    reopened = services.action_set_status(actor=gov.chidi, action=done, status="in_progress")
    assert reopened.done_at is None
    with pytest.raises(PermissionDenied):
        services.action_set_status(actor=world.pablo, action=action, status="done")
    with pytest.raises(ValidationError):
        services.action_set_status(actor=world.sofia, action=action, status="finished")
    with pytest.raises(ConflictError):
        services.action_set_status(actor=world.sofia, action=action, status="done", version=1)


def test_archive_and_restore(gov, world):
    action = _action(gov, world)
    archived = services.action_archive(actor=gov.sam, action=action)
    assert archived.archived_at is not None
    with pytest.raises(ValidationError):
        services.action_set_status(actor=world.sofia, action=archived, status="done")
    with pytest.raises(PermissionDenied):
        services.action_archive(actor=world.sofia, action=action, archived=False)
    assert services.action_archive(actor=gov.sam, action=action, archived=False).archived_at is None


# --- what people see -------------------------------------------------------------------------


def test_overdue_actions_come_first_and_marked_on_sofias_hub(gov, world, client_for):
    _action(gov, world, title="Later one", due=_today() + dt.timedelta(days=20))
    _action(gov, world, title="Late report", due=_today() - dt.timedelta(days=2))
    done = _action(gov, world, title="Finished one", due=_today() - dt.timedelta(days=9))
    services.action_set_status(actor=world.sofia, action=done, status="done")
    panel = my_actions_panel(user=world.sofia)
    assert [a.title for a in panel["actions"]] == ["Late report", "Later one"]
    assert [a.overdue for a in panel["actions"]] == [True, False] and panel["overdue"] == 1
    assert my_actions_panel(user=world.nora) is None
    page = client_for("sofia").get(reverse("directory:my_hub")).content.decode()
    panel_html = page[page.index('id="my-actions"') :]
    panel_html = panel_html[: panel_html.index("</section>")]
    assert "My action items" in panel_html and "1 overdue" in panel_html
    assert panel_html.index("Late report") < panel_html.index("Later one")
    assert "Finished one" not in panel_html and "Overdue" in panel_html
    assert (
        "My action items"
        not in client_for("nora").get(reverse("directory:my_hub")).content.decode()
    )


def test_the_body_panel_shows_overdue_and_open_actions(gov, world):
    _action(gov, world, title="Late report", due=_today() - dt.timedelta(days=1))
    _action(gov, world, title="Next step")
    panel = body_actions_panel(user=world.nora, body=gov.sc)
    assert [a.title for a in panel["actions"]] == ["Late report", "Next step"]
    assert panel["overdue"] == 1 and not panel["can_record"]
    assert body_actions_panel(user=gov.sam, body=gov.sc)["can_record"]
    from landhub.governance.panels import body_panels

    drawn = dict(body_panels(user=world.nora, body=gov.sc))
    assert "governance/partials/body_actions.html" in drawn
    from django.template.loader import render_to_string

    html = render_to_string("governance/partials/body_actions.html",
                            {"panel": drawn["governance/partials/body_actions.html"]})  # fmt: skip
    assert "Late report" in html and "1 overdue" in html and "Record an action" not in html


def test_confidential_actions_are_for_the_body_and_the_owner(gov, world, client_for):
    secret = services.action_create(actor=gov.sam, body=gov.sc, title="Secret talks",
                                    due_on=_today(), owner=world.people["pablo"],
                                    confidential=True)  # fmt: skip
    team = services.action_create(actor=world.hana, body=gov.team, title="Team homework",
                                  due_on=_today(), owner_organization=world.core_org)  # fmt: skip
    assert client_for("nora").get(secret.get_absolute_url()).status_code == 404
    assert client_for("lena").get(team.get_absolute_url()).status_code == 404
    for persona in ("pablo", "sofia", "hana"):  # the owner; members; hub staff
        assert client_for(persona).get(secret.get_absolute_url()).status_code == 200
    listed = client_for("nora").get(reverse("governance:action_list")).content.decode()
    assert "Secret talks" not in listed and "Team homework" not in listed
    assert (
        "Team homework"
        in client_for("sofia").get(reverse("governance:action_list")).content.decode()
    )
    assert body_actions_panel(user=world.nora, body=gov.team) is None


def test_the_list_filters_sorts_and_exports(gov, world, client_for):
    late = _action(gov, world, title="Late report", due=_today() - dt.timedelta(days=3))
    _action(gov, world, title="Budget draft", due=_today() + dt.timedelta(days=30))
    services.action_create(actor=world.hana, body=gov.llag, title="Ask the landscapes",
                           due_on=_today(), owner=world.people["lena"],
                           owner_organization=world.core_org)  # fmt: skip
    sofia = client_for("sofia")
    page = sofia.get(reverse("governance:action_list")).content.decode()
    assert "3 actions" in page and "Overdue" in page
    mine = sofia.get(reverse("governance:action_list"), {"mine": "on"}).content.decode()
    assert "2 actions" in mine and "Ask the landscapes" not in mine
    overdue = sofia.get(reverse("governance:action_list"), {"overdue": "1"},
                        HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
    assert "<html" not in overdue and "1 action" in overdue and "Late report" in overdue
    body = sofia.get(reverse("governance:action_list"), {"body": "llag"}).content.decode()
    assert "1 action" in body and "Ask the landscapes" in body
    org = sofia.get(reverse("governance:action_list"),
                    {"owner_organization": world.core_org.slug}).content.decode()  # fmt: skip
    assert "1 action" in org
    before = sofia.get(reverse("governance:action_list"),
                       {"due_before": (_today() + dt.timedelta(days=1)).isoformat()})  # fmt: skip
    assert "2 actions" in before.content.decode()
    rows = _csv(sofia.get(reverse("governance:action_export_csv"), {"sort": "title"}))
    assert rows[0][:3] == ["Id", "What", "Body"]
    assert [r[1] for r in rows[1:]] == ["Ask the landscapes", "Budget draft", "Late report"]
    assert rows[3][0] == str(late.pk) and rows[3][5] == world.people["sofia"].name
    odd = sofia.get(
        reverse("governance:action_list"),
        {"due_before": "soon", "sort": "x", "page": "99", "decision": "9" * 30},
    )
    assert odd.status_code == 200


def test_forms_record_edit_and_move_the_status(gov, world, client):
    client.force_login(gov.sam)
    url = reverse("governance:action_create") + f"?body={gov.sc.slug}"
    assert "Record an action" in client.get(url).content.decode()
    bad = client.post(url, {"title": "", "due_on": "not a date", "owner": "Nobody at all"})
    text = bad.content.decode()
    assert bad.status_code == 400 and "No person called" in text and "Enter a valid date" in text
    ok = client.post(url, {"title": "Book the venue", "due_on": "2026-05-01",
                           "owner": world.people["sofia"].email})  # fmt: skip
    action = ActionItem.objects.get(title="Book the venue")
    assert ok.status_code == 302 and action.owner == world.people["sofia"]
    edit = reverse("governance:action_edit", args=[action.pk])
    stale = client.post(edit, {"title": "Book it", "due_on": "2026-05-02", "version": 0,
                               "owner": world.people["sofia"].email})  # fmt: skip
    assert stale.status_code == 409 and "Someone else saved" in stale.content.decode()
    client.force_login(world.sofia)
    assert client.get(edit).status_code == 403
    status = client.post(reverse("governance:action_status", args=[action.pk]),
                         {"status": "done", "version": action.version},
                         HTTP_HX_REQUEST="true")  # fmt: skip
    assert status.status_code == 200 and "Saved." in status.content.decode()
    assert ActionItem.objects.get(pk=action.pk).status == "done"
    detail = client.get(action.get_absolute_url()).content.decode()
    assert "History" in detail and "Done" in detail
    assert (
        client.post(
            reverse("governance:action_status", args=[action.pk]), {"status": "zzz"}
        ).status_code
        == 400
    )


def test_the_pages_cost_the_same_queries_whatever_the_number(
    gov, world, client_for, django_assert_max_num_queries
):
    clients = {persona: client_for(persona) for persona in ("sofia", "hana")}

    def measure():
        counts = []
        for persona, url in (("sofia", reverse("governance:action_list")),
                             ("sofia", reverse("directory:my_hub")),
                             ("hana", reverse("governance:action_list")),
                             ("sofia", ActionItem.objects.first().get_absolute_url())):  # fmt: skip
            with django_assert_max_num_queries(40) as captured:
                assert clients[persona].get(url).status_code == 200
            counts.append(len(captured.captured_queries))
        with django_assert_max_num_queries(12):
            assert clients["sofia"].get("/api/v1/governance/actions?limit=100").status_code == 200
        return counts

    for i in range(11):  # more than the panels show: they count the rest once
        _action(gov, world, title=f"First {i}")
    few = measure()
    for i in range(12):
        _action(gov, world, title=f"Action {i}", due=_today() - dt.timedelta(days=i))
    assert measure() == few


# --- API -------------------------------------------------------------------------------------


def test_the_api_records_changes_and_moves_an_action(gov, world, client):
    client.force_login(gov.sam)
    created = client.post("/api/v1/governance/actions", {
        "title": "API action", "body": gov.sc.slug, "due_on": "2026-06-01",
        "owner": world.people["sofia"].pk, "owner_organization": world.core_org.slug,
    }, content_type="application/json")  # fmt: skip
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["owner"] == world.people["sofia"].pk and data["body"] == gov.sc.slug
    url = f"/api/v1/governance/actions/{data['id']}"
    stale = client.patch(url, {"version": 99, "title": "x"}, content_type="application/json")
    assert stale.status_code == 409
    bad = client.patch(url, {"version": data["version"], "due_on": None},
                       content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and "due_on" in bad.json()["errors"]
    changed = client.patch(url, {"version": data["version"], "title": "API action 2"},
                           content_type="application/json")  # fmt: skip
    assert changed.status_code == 200 and changed.json()["title"] == "API action 2"
    client.force_login(world.sofia)
    moved = client.post(f"{url}/status", {"status": "in_progress"},
                        content_type="application/json")  # fmt: skip
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    listed = client.get("/api/v1/governance/actions", {"mine": "1", "status": "open"}).json()
    assert listed["count"] == 1 and listed["items"][0]["title"] == "API action 2"
    refused = client.post("/api/v1/governance/actions", {
        "title": "Mine", "body": gov.sc.slug, "due_on": "2026-06-01",
        "owner": world.people["sofia"].pk}, content_type="application/json")  # fmt: skip
    assert refused.status_code == 403
    missing = client.post("/api/v1/governance/actions", {"title": "x", "due_on": "2026-06-01",
                                                         "decision": 2**70},
                          content_type="application/json")  # fmt: skip
    assert missing.status_code == 422
