"""Archiving and restoring system change trails: the services (version, permission, refusals),
the list and summary leaving archived trails out (listed again only for those who restore
them, with ``archived=1``), the trail page's buttons and the API."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from landhub.core.exceptions import ConflictError
from landhub.mel import selectors, services
from landhub.mel.models import ChangeTrail

pytestmark = pytest.mark.django_db

LAST_YEAR = dt.date.today().year - 1


def _trail(world, name="Bank A"):
    trail = services.trail_create(actor=world.hana, actor_name=name,
                                  actor_type="financial_institution",
                                  domain="financial_sector")  # fmt: skip
    services.step_add(actor=world.hana, trail=trail, stage="committed",
                      reached_on=dt.date(LAST_YEAR, 3, 1), evidence="Board minutes.")  # fmt: skip
    return ChangeTrail.objects.get(pk=trail.pk)


# --- services --------------------------------------------------------------------------------


def test_a_trail_is_archived_and_restored_with_its_steps_and_history(world):
    trail = _trail(world)
    services.trail_archive(actor=world.hana, trail=trail, version=trail.version)
    stored = ChangeTrail.objects.get(pk=trail.pk)
    assert stored.archived_at is not None and stored.steps.count() == 1
    assert stored.history.first().history_user == world.hana
    services.trail_restore(actor=world.hana, trail=stored, version=stored.version)
    stored = ChangeTrail.objects.get(pk=trail.pk)
    assert stored.archived_at is None and stored.current_stage == "committed"
    assert stored.history.count() >= 3


def test_archive_and_restore_refusals(world):
    trail = _trail(world)
    with pytest.raises(PermissionDenied):
        services.trail_archive(actor=world.lena, trail=trail, version=trail.version)
    with pytest.raises(ValidationError, match="not archived"):
        services.trail_restore(actor=world.hana, trail=trail, version=trail.version)
    stale = trail.version
    services.trail_update(actor=world.hana, trail=trail, version=stale, summary="Changed.")
    with pytest.raises(ConflictError):
        services.trail_archive(actor=world.hana, trail=trail, version=stale)
    assert ChangeTrail.objects.get(pk=trail.pk).archived_at is None
    assert trail.archived_at is None  # the caller's copy is left as stored
    services.trail_archive(actor=world.hana, trail=trail, version=trail.version)
    with pytest.raises(ValidationError, match="already archived"):
        services.trail_archive(actor=world.hana, trail=trail, version=trail.version)
    with pytest.raises(PermissionDenied):
        services.trail_restore(actor=world.nora, trail=trail, version=trail.version)
    with pytest.raises(ConflictError):
        services.trail_restore(actor=world.hana, trail=trail, version=trail.version - 1)


def test_an_archived_trail_takes_no_change_until_restored(world):
    trail = _trail(world)
    step = trail.steps.get()
    services.trail_archive(actor=world.hana, trail=trail, version=trail.version)
    for attempt in (
        lambda: services.trail_update(actor=world.hana, trail=trail, version=trail.version,
                                      summary="x"),
        lambda: services.step_add(actor=world.hana, trail=trail, stage="adopted",
                                  reached_on=dt.date(LAST_YEAR, 6, 1), evidence="Policy."),
        lambda: services.step_remove(actor=world.hana, step=step),
    ):  # fmt: skip
        with pytest.raises(ValidationError, match="restore it before changing it"):
            attempt()
    assert trail.steps.count() == 1
    # Its actor and domain stay taken: a second trail is refused, naming the archived one.
    with pytest.raises(services.TrailExists, match="archived"):
        services.trail_create(actor=world.hana, actor_name="Bank A",
                              actor_type="financial_institution",
                              domain="financial_sector")  # fmt: skip


def test_archived_trails_leave_the_list_and_the_summary(world):
    kept, gone = _trail(world, "Bank A"), _trail(world, "Bank B")
    services.trail_archive(actor=world.hana, trail=gone, version=gone.version)
    assert list(selectors.trail_list(user=world.nora)) == [kept]
    # ``archived=1`` lists the archived trails for those who restore them, no one else.
    assert list(selectors.trail_list(user=world.nora, filters={"archived": "1"})) == [kept]
    assert list(selectors.trail_list(user=world.hana, filters={"archived": "1"})) == [gone]
    summary = selectors.system_change_summary(user=world.hana, year=LAST_YEAR)
    assert summary.trails == 1 and summary.stage_totals == {"committed": 1}


# --- pages -----------------------------------------------------------------------------------


def test_hub_staff_archive_a_trail_from_its_page_and_restore_it(client_for, world):
    trail = _trail(world)
    hana = client_for("hana")
    page = hana.get(trail.get_absolute_url()).content.decode()
    archive_url = reverse("mel:trail_archive", args=[trail.pk])
    assert archive_url in page and 'id="trail-restore"' not in page
    confirm = hana.get(archive_url).content.decode()
    assert "will leave the list of trails and the system change summary" in confirm
    done = hana.post(archive_url, {"version": trail.version}, follow=True)
    html = done.content.decode()
    assert "Trail archived." in html and "This trail is archived" in html
    assert 'id="trail-restore"' in html and archive_url not in html
    assert "Remove this step" not in html and "Add a step" not in html
    listing = hana.get(reverse("mel:trail_list")).content.decode()
    assert "Bank A" not in listing and "Archived trails" in listing
    archived = hana.get(reverse("mel:trail_list"), {"archived": "1"}).content.decode()
    assert "Bank A" in archived and "Archived" in archived
    # Editing an archived trail sends back to its page with the reason.
    edit = hana.get(reverse("mel:trail_edit", args=[trail.pk]), follow=True).content.decode()
    assert "restore it before changing it" in edit
    stored = ChangeTrail.objects.get(pk=trail.pk)
    restored = hana.post(reverse("mel:trail_restore", args=[trail.pk]),
                         {"version": stored.version}, follow=True)  # fmt: skip
    assert "Trail restored." in restored.content.decode()
    assert "Bank A" in hana.get(reverse("mel:trail_list")).content.decode()


def test_a_stale_archive_on_the_page_says_so_and_changes_nothing(client_for, world):
    trail = _trail(world)
    stale = trail.version
    services.trail_update(actor=world.hana, trail=trail, version=stale, summary="Meanwhile.")
    response = client_for("hana").post(reverse("mel:trail_archive", args=[trail.pk]),
                                       {"version": stale}, follow=True)  # fmt: skip
    assert "Someone changed this trail meanwhile" in response.content.decode()
    assert ChangeTrail.objects.get(pk=trail.pk).archived_at is None


def test_members_read_an_archived_trail_but_neither_list_nor_restore_it(client_for, world):
    trail = _trail(world)
    services.trail_archive(actor=world.hana, trail=trail, version=trail.version)
    nora = client_for("nora")
    page = nora.get(trail.get_absolute_url()).content.decode()
    assert "This trail is archived" in page and 'id="trail-restore"' not in page
    listing = nora.get(reverse("mel:trail_list"), {"archived": "1"}).content.decode()
    assert "Bank A" not in listing and "Archived trails" not in listing
    assert nora.post(reverse("mel:trail_restore", args=[trail.pk])).status_code == 403
    assert nora.get(reverse("mel:trail_archive", args=[trail.pk])).status_code == 403


# --- API -------------------------------------------------------------------------------------


def _post(client, url, body):
    response = client.post(url, json.dumps(body), content_type="application/json")
    return response.status_code, json.loads(response.content or b"null")


def test_trail_api_archives_and_restores_with_the_version(client_for, world):
    trail = _trail(world)
    hana = client_for("hana")
    base = f"/api/v1/mel/trails/{trail.pk}"
    status, _body = _post(hana, f"{base}/archive", {"version": trail.version - 1})
    assert status == 409
    status, _body = _post(client_for("nora"), f"{base}/archive", {"version": trail.version})
    assert status == 403
    status, body = _post(hana, f"{base}/archive", {"version": trail.version})
    assert status == 200 and body["archived"] is True and body["version"] == trail.version + 1
    status, body = _post(hana, f"{base}/archive", {"version": body["version"]})
    assert status == 422 and "already archived" in json.dumps(body)
    listed = json.loads(hana.get("/api/v1/mel/trails").content)
    assert listed["count"] == 0
    assert json.loads(hana.get("/api/v1/mel/trails", {"archived": "1"}).content)["count"] == 1
    status, body = _post(hana, f"{base}/restore", {"version": trail.version + 1})
    assert status == 200 and body["archived"] is False
    assert _post(hana, "/api/v1/mel/trails/99999999999999999999/archive", {})[0] in (404, 422)
