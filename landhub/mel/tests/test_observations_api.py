"""Values through the API: list what one may see, save one value (409 when stale), the review
actions, and the bulk call with every bad cell named by index and field."""

from __future__ import annotations

import pytest

from landhub.mel import services
from landhub.mel.models import Observation

pytestmark = pytest.mark.django_db

BASE = "/api/v1/mel/observations"


def _url(world, code, period="2025", action=""):
    return f"{BASE}/{world.landscape.slug}/{period}/{code}" + (f"/{action}" if action else "")


def test_a_leader_saves_submits_and_a_reviewer_approves(client_for, world, mel):
    lena, sofia = client_for("lena"), client_for("sofia")
    body = {"parts": {"sex:women": {"value": 12}, "sex:men": {"value": 8}}, "comment": "Field"}
    response = lena.put(_url(world, "T1"), body, content_type="application/json")
    assert response.status_code == 200, response.content
    saved = response.json()
    assert (saved["value"], saved["status"], saved["version"]) == ("20.000000", "draft", 1)
    assert saved["parts"]["sex:women"]["value"] == "12.000000"
    stale = lena.put(_url(world, "T1"), {**body, "version": 0}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["current"]["version"] == 1
    submitted = lena.post(_url(world, "T1", action="submit"), {"version": 1},
                          content_type="application/json")  # fmt: skip
    assert submitted.json()["status"] == "submitted"
    own = lena.post(_url(world, "T1", action="approve"), {"version": 2},
                    content_type="application/json")  # fmt: skip
    assert own.status_code == 403  # lena is no reviewer
    returned = sofia.post(_url(world, "T1", action="return"),
                          {"version": 2, "comment": "Count the men again."},
                          content_type="application/json")  # fmt: skip
    assert returned.json()["review_comment"] == "Count the men again."
    lena.put(_url(world, "T1"), {**body, "version": 3}, content_type="application/json")
    lena.post(_url(world, "T1", action="submit"), {"version": 4}, content_type="application/json")
    approved = sofia.post(_url(world, "T1", action="approve"), {"version": 5},
                          content_type="application/json")  # fmt: skip
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_bad_values_get_field_messages(client_for, world, mel):
    lena = client_for("lena")
    na_with_number = lena.put(_url(world, "W1"), {"not_applicable": True, "numerator": 1},
                              content_type="application/json")  # fmt: skip
    assert na_with_number.status_code == 422
    assert na_with_number.json()["errors"] == {"not_applicable_reason": [
        "Say why it does not apply."]}  # fmt: skip
    too_many = lena.put(_url(world, "W1"), {"numerator": 5, "denominator": 4},
                        content_type="application/json")  # fmt: skip
    assert too_many.json()["errors"]["numerator"] == [
        "The numerator cannot be larger than the denominator."
    ]
    text = lena.put(_url(world, "W1"), {"numerator": "lots"}, content_type="application/json")
    assert text.status_code == 422
    assert client_for("lena").put(_url(world, "NOPE"), {}, content_type="application/json"
                                  ).status_code == 404  # fmt: skip
    assert (
        client_for("nora")
        .put(_url(world, "W1"), {"numerator": 1, "denominator": 2}, content_type="application/json")
        .status_code
        == 403
    )
    assert not Observation.objects.exists()


def test_the_list_shows_values_to_those_who_report_and_review(
    client_for, world, mel, django_assert_max_num_queries
):
    lake = mel.landscapes[1]
    for landscape in (world.landscape, lake):
        services.observation_save(
            actor=world.hana,
            assignment=mel.a[("T1", landscape.pk)],
            period=mel.periods[0],
            parts={"sex:women": {"value": 1}, "sex:men": {"value": 2}},
        )
        services.observation_save(actor=world.hana, assignment=mel.a[("W1", landscape.pk)],
                                  period=mel.periods[0], numerator=1, denominator=2)  # fmt: skip
    lena = client_for("lena")
    with django_assert_max_num_queries(12):
        mine = lena.get(BASE).json()
    assert mine["count"] == 2 and {i["landscape"] for i in mine["items"]} == {world.landscape.slug}
    assert client_for("nora").get(BASE).json()["count"] == 0
    reviewer = client_for("sofia")
    assert reviewer.get(BASE).json()["count"] == 4
    filtered = reviewer.get(BASE, {"landscape": lake.slug, "indicator": "T1"}).json()
    assert (
        filtered["count"] == 1 and filtered["items"][0]["parts"]["sex:men"]["value"] == "2.000000"
    )
    assert reviewer.get(BASE, {"status": "approved"}).json()["count"] == 0
    assert client_for("anonymous").get(BASE).status_code == 401


def test_bulk_is_all_or_nothing_with_every_bad_cell(client_for, world, mel):
    lena = client_for("lena")
    slug = world.landscape.slug
    rows = [
        {"landscape": slug, "period": "2025", "indicator": "W1", "numerator": 3,
         "denominator": 12},
        {"landscape": slug, "period": "2025", "indicator": "T1",
         "parts": {"sex:women": 30, "sex:men": "many"}},
        {"landscape": slug, "period": "2026", "indicator": "W1", "not_applicable": True,
         "numerator": 1},
    ]  # fmt: skip
    response = lena.post(f"{BASE}/bulk", {"rows": rows}, content_type="application/json")
    assert response.status_code == 400
    errors = {(e["index"], e["field"], e["message"]) for e in response.json()["errors"]}
    assert errors == {
        (1, "sex:men", "Enter a number."),
        (2, "numerator", "“Not applicable” takes no number: leave the numbers empty, or clear "
                         "the flag."),
        (2, "not_applicable_reason", "Say why it does not apply."),
    }  # fmt: skip
    assert not Observation.objects.exists()
    rows[1]["parts"]["sex:men"] = 20
    rows[2] = {**rows[2], "numerator": None, "not_applicable_reason": "No committee"}
    response = lena.post(f"{BASE}/bulk", {"rows": rows}, content_type="application/json")
    assert response.json() == {"written": 3, "skipped": 0}
    assert (
        Observation.objects.get(assignment__indicator__code="T1", period__label="2025").value == 50
    )


def test_bulk_refuses_a_locked_period_and_people_who_do_not_report(client_for, world, mel):
    services.period_lock(actor=world.hana, period=mel.periods[1])
    row = {"landscape": world.landscape.slug, "period": "2026", "indicator": "W1",
           "numerator": 1, "denominator": 2}  # fmt: skip
    locked = client_for("lena").post(f"{BASE}/bulk", {"rows": [row]},
                                     content_type="application/json")  # fmt: skip
    assert locked.json()["errors"] == [
        {"index": 0, "field": "period", "message": "2026 is locked; no values can change."}
    ]
    assert (
        client_for("nora")
        .post(f"{BASE}/bulk", {"rows": [row]}, content_type="application/json")
        .status_code
        == 403
    )
