"""Assigning indicators, baselines and targets: the services' rules and messages, the pages
(with the inline target edit), the API and what they cost in queries."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from landhub.core.exceptions import ConflictError
from landhub.directory import factories as f
from landhub.mel import services
from landhub.mel.models import IndicatorAssignment, PlanRollup, Target

pytestmark = pytest.mark.django_db


def _messages(exc) -> str:
    return " ".join(exc.value.messages)


@pytest.fixture
def americas(world):
    """Three active landscapes in the Americas and an archived one."""
    active = [f.LandscapeFactory(name=name, region="Americas", countries=[f.country("BR")])
              for name in ("Cerrado Mosaic", "Atlantic Forest", "Andes Paramo")]  # fmt: skip
    archived = f.LandscapeFactory(name="Old Pampa", region="Americas")
    archived.archived_at = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    archived.save()
    return active, archived


@pytest.fixture
def extras(world):
    """Indicators of the measures whose targets are checked differently."""
    make = services.indicator_create
    return type("Extras", (), {
        "hectares": make(actor=world.hana, code="H1", name="Hectares restored",
                         definition="Land.", measure="area", unit="ha"),
        "level": make(actor=world.hana, code="L1", name="Plan maturity", definition="Levels.",
                      measure="ordinal", levels=["none", "draft", "adopted"]),
        "law": make(actor=world.hana, code="Y1", name="By-law adopted", definition="Yes/no.",
                    measure="yes_no"),
    })  # fmt: skip


def _initiative_node(world):
    framework = services.framework_create(actor=world.hana, title="Initiative ToC",
                                          template="initiative")  # fmt: skip
    return framework.nodes.order_by("position").first()


# --- assignment_create -----------------------------------------------------------------------


def test_bulk_assign_by_region_skips_those_already_assigned_and_says_how_many(
    world, americas, extras
):
    active, archived = americas
    services.assignment_create(actor=world.hana, indicator=extras.hectares,
                               scope_kind="landscape", landscapes=[active[0]])  # fmt: skip
    node = _initiative_node(world)
    result = services.assignment_create(
        actor=world.hana, indicator=extras.hectares, scope_kind="landscape",
        region="Americas", landscapes=[world.landscape], node=node,
    )  # fmt: skip
    assert result.message == "3 assignments created. 1 skipped: already assigned."
    names = set(IndicatorAssignment.objects.filter(indicator=extras.hectares)
                .values_list("landscape__name", flat=True))  # fmt: skip
    assert names == {"Cerrado Mosaic", "Atlantic Forest", "Andes Paramo", "Kenya Highlands"}
    assert archived.name not in names
    assert {a.node for a in result.created} == {node}


def test_assigning_is_for_hub_staff_and_refusals_say_why(world, mel, extras):
    with pytest.raises(PermissionDenied):
        services.assignment_create(
            actor=world.lena, indicator=extras.hectares, scope_kind="landscape",
            landscapes=[world.landscape],
        )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.assignment_create(actor=world.hana, indicator=extras.hectares,
                                   scope_kind="landscape", region="Antarctica")  # fmt: skip
    assert "No active landscape is in Antarctica." in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.assignment_create(actor=world.hana, indicator=extras.hectares,
                                   scope_kind="landscape", landscapes=mel.landscapes[:2],
                                   reporter=world.people["lena"])  # fmt: skip
    assert "Name a reporter when assigning one scope" in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.assignment_create(actor=world.hana, indicator=extras.hectares,
                                   scope_kind="landscape", landscapes=[world.landscape],
                                   reporter=world.people["oscar"])  # fmt: skip
    assert "Oscar is not a member of Kenya Highlands." in _messages(exc)
    with pytest.raises(ValidationError) as exc:
        services.assignment_create(actor=world.hana, indicator=extras.hectares,
                                   scope_kind="organization")  # fmt: skip
    assert "Choose the partner." in _messages(exc)
    own = services.framework_create(actor=world.lena, title="Highlands ToC",
                                    template="four_returns", landscape=world.landscape)  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.assignment_create(actor=world.hana, indicator=extras.hectares,
                                   scope_kind="landscape", landscapes=[mel.landscapes[1]],
                                   node=own.nodes.first())  # fmt: skip
    assert "of this landscape's own framework" in _messages(exc)
    # Her landscape's own node and a member as reporter are fine; the initiative once only.
    mine = services.assignment_create(
        actor=world.hana,
        indicator=extras.hectares,
        scope_kind="landscape",
        landscapes=[world.landscape],
        node=own.nodes.first(),
        reporter=world.people["lena"],
    )
    assert mine.created[0].reporter == world.people["lena"]
    services.assignment_create(actor=world.hana, indicator=extras.hectares,
                               scope_kind="initiative")  # fmt: skip
    again = services.assignment_create(actor=world.hana, indicator=extras.hectares,
                                       scope_kind="initiative")  # fmt: skip
    assert again.message == "0 assignments created. 1 skipped: already assigned."
    partner = services.assignment_create(actor=world.hana, indicator=extras.hectares,
                                         scope_kind="organization", organization=world.core_org,
                                         reporter=world.people["pablo"])  # fmt: skip
    assert partner.created[0].scope_label == "Commonland Test"


# --- baseline --------------------------------------------------------------------------------


def test_a_baseline_is_checked_by_the_measure_with_a_message_per_field(world, mel):
    share = mel.a[("W1", world.landscape.pk)]

    def refused(**baseline):
        with pytest.raises(ValidationError) as exc:
            services.assignment_update(actor=world.hana, assignment=share, version=None,
                                       baseline=baseline)  # fmt: skip
        return exc.value.message_dict

    assert refused(numerator="12", denominator="10", date="2024-01-01") == {
        "baseline_numerator": ["The numerator cannot be larger than the denominator."]
    }
    assert refused(numerator="4", denominator="10") == {
        "baseline_date": ["Give the date the baseline was measured."]
    }
    assert refused(numerator="4", denominator="", date="2024-01-01") == {
        "baseline_denominator": ["Enter both the numerator and the denominator."]
    }
    assert refused(not_available=True) == {"baseline_reason": ["Say why there is no baseline."]}
    assert refused(numerator="4", denominator="10", not_available=True, reason="No survey") == {
        "baseline_numerator": ["A baseline is either a number or not available, not both."]
    }
    assert refused(date="2024-13-01", numerator="1", denominator="2") == {
        "baseline_date": ["Enter a date as YYYY-MM-DD."]
    }
    assert refused(source="Survey") == {
        "baseline_numerator": ["Enter the baseline, or mark it not available with a reason."]
    }
    saved = services.assignment_update(
        actor=world.hana,
        assignment=share,
        version=share.version,
        baseline={"numerator": "4", "denominator": "10", "date": "2024-01-01", "source": "Survey"},
    )
    assert saved.baseline_value == D(40) and saved.version == share.version + 1
    trained = mel.a[("T1", world.landscape.pk)]
    with pytest.raises(ValidationError) as exc:
        services.assignment_update(actor=world.hana, assignment=trained, version=None,
                                   baseline={"value": "-3", "date": "2024-01-01"})  # fmt: skip
    assert exc.value.message_dict == {"baseline_value": ["Enter 0 or more."]}
    missing = services.assignment_update(
        actor=world.hana, assignment=trained, version=None,
        baseline={"not_available": True, "reason": "Nobody counted before 2025"})  # fmt: skip
    assert missing.baseline_value is None
    assert missing.baseline_missing_reason == "Nobody counted before 2025"


def test_a_stale_version_is_a_conflict(world, mel):
    share = mel.a[("W1", world.landscape.pk)]
    services.assignment_update(actor=world.hana, assignment=share, version=share.version,
                               baseline={"not_available": True, "reason": "Later"})  # fmt: skip
    with pytest.raises(ConflictError):
        services.assignment_update(actor=world.hana, assignment=share, version=share.version,
                                   baseline={"not_available": True, "reason": "Never"})  # fmt: skip


def test_leaders_plan_their_own_landscape_but_do_not_assign_or_remove(world, mel):
    mine, theirs = mel.a[("T1", world.landscape.pk)], mel.a[("T1", mel.landscapes[1].pk)]
    services.assignment_update(actor=world.lena, assignment=mine, version=None,
                               baseline={"value": "10", "date": "2024-12-31"})  # fmt: skip
    services.target_set(actor=world.lena, assignment=mine, period=None, value="500")
    with pytest.raises(PermissionDenied):
        services.target_set(actor=world.lena, assignment=theirs, period=None, value="500")
    with pytest.raises(PermissionDenied):
        services.assignment_update(actor=world.nora, assignment=mine, version=None,
                                   baseline={"value": "11", "date": "2024-12-31"})  # fmt: skip
    with pytest.raises(PermissionDenied) as exc:
        services.assignment_update(actor=world.lena, assignment=mine, version=None,
                                   reporter=world.people["lena"])  # fmt: skip
    assert "Hub staff change the framework node and the reporter." in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.assignment_remove(actor=world.lena, assignment=mine)


# --- targets ---------------------------------------------------------------------------------


def test_targets_are_checked_by_the_measure(world, mel, extras):
    result = services.assignment_create(actor=world.hana, indicator=extras.level,
                                        scope_kind="initiative")  # fmt: skip
    level = result.created[0]
    law = services.assignment_create(actor=world.hana, indicator=extras.law,
                                     scope_kind="initiative").created[0]  # fmt: skip
    share = mel.a[("W1", world.landscape.pk)]
    y25 = mel.periods[0]

    def refused(assignment, value, period=None):
        with pytest.raises(ValidationError) as exc:
            services.target_set(actor=world.hana, assignment=assignment, period=period,
                                value=value)  # fmt: skip
        return exc.value.message_dict

    assert refused(share, "120") == {"value": ["Enter a percentage from 0 to 100."]}
    assert refused(share, "abc") == {"value": ["Enter a number."]}
    assert refused(share, "") == {"value": ["Enter the target."]}
    assert refused(level, "3") == {"value": ["Choose a level from 0 to 2."]}
    assert refused(level, "1.5") == {"value": ["Enter a whole number."]}
    assert refused(law, "2") == {"value": ["Choose a level from 0 to 1."]}
    quarter = type(y25).objects.create(
        kind="quarter",
        label="2025-Q1",
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 3, 31),
        due=dt.date(2025, 4, 30),
    )
    assert "W1 is reported annual" in refused(share, "50", quarter)["period"][0]
    assert services.target_set(actor=world.hana, assignment=share, period=y25,
                               value="55.5").value == D("55.5")  # fmt: skip
    assert services.target_set(actor=world.hana, assignment=level, period=None,
                               value="2").value == 2  # fmt: skip
    # The dashboards' plan roll-ups follow at once: the landscape and the initiative.
    planned = PlanRollup.objects.filter(indicator=mel.share, period=y25)
    assert {(p.level, p.target) for p in planned} >= {
        ("landscape", D("55.5")),
        ("initiative", D("55.5")),
    }


def test_changing_a_target_checks_the_version_and_asks_why_once_values_are_approved(world, mel):
    trained = mel.a[("T1", world.landscape.pk)]
    y25 = mel.periods[0]
    target = services.target_set(actor=world.hana, assignment=trained, period=y25, value="100")
    with pytest.raises(ConflictError):
        services.target_set(actor=world.hana, assignment=trained, period=y25, value="120",
                            version=target.version - 1)  # fmt: skip
    obs = services.observation_save(
        actor=world.lena,
        assignment=trained,
        period=y25,
        parts={"sex:women": {"value": 3}, "sex:men": {"value": 2}},
    )
    obs = services.observation_submit(actor=world.lena, observation=obs, version=obs.version)
    services.observation_approve(actor=world.hana, observation=obs, version=obs.version)
    with pytest.raises(ValidationError) as exc:
        services.target_set(actor=world.hana, assignment=trained, period=y25, value="120",
                            version=target.version)  # fmt: skip
    assert exc.value.message_dict == {
        "reason": ["Values of this assignment are approved; say why its targets change."]
    }
    with pytest.raises(ValidationError) as exc:
        services.assignment_update(actor=world.hana, assignment=trained, version=None,
                                   baseline={"value": "1", "date": "2024-01-01"})  # fmt: skip
    assert "say why its baseline changes" in _messages(exc)
    changed = services.target_set(
        actor=world.hana,
        assignment=trained,
        period=y25,
        value="120",
        version=target.version,
        reason="Funding doubled",
    )
    assert changed.history.first().history_change_reason == "Funding doubled"
    with pytest.raises(ValidationError):
        services.target_remove(actor=world.hana, assignment=trained, period=y25,
                               version=changed.version)  # fmt: skip
    services.target_remove(actor=world.hana, assignment=trained, period=y25,
                           version=changed.version, reason="Target dropped")  # fmt: skip
    assert not Target.objects.filter(assignment=trained).exists()
    assert Target.history.filter(assignment_id=trained.pk, history_type="-").get(
    ).history_change_reason == "Target dropped"  # fmt: skip


def test_removing_is_refused_once_values_were_reported(world, mel):
    trained, share = mel.a[("T1", world.landscape.pk)], mel.a[("W1", world.landscape.pk)]
    services.observation_save(
        actor=world.lena,
        assignment=trained,
        period=mel.periods[0],
        parts={"sex:women": {"value": 1}, "sex:men": {"value": 1}},
    )
    with pytest.raises(ValidationError) as exc:
        services.assignment_remove(actor=world.hana, assignment=trained)
    assert _messages(exc) == ("1 value has been reported for it, so it stays; the values would "
                              "lose what they measure.")  # fmt: skip
    services.target_set(actor=world.hana, assignment=share, period=None, value="50")
    services.assignment_remove(actor=world.hana, assignment=share)
    assert not IndicatorAssignment.objects.filter(pk=share.pk).exists()
    assert IndicatorAssignment.history.filter(id=share.pk, history_type="-").get(
    ).history_user == world.hana  # fmt: skip


# --- pages -----------------------------------------------------------------------------------


def test_the_list_filters_counts_and_exports(client_for, world, mel):
    share = mel.a[("W1", world.landscape.pk)]
    services.assignment_update(
        actor=world.hana,
        assignment=share,
        version=None,
        baseline={"numerator": 1, "denominator": 4, "date": "2024-01-01"},
    )
    services.target_set(actor=world.hana, assignment=share, period=None, value="50")
    nora = client_for("nora")
    body = nora.get(reverse("mel:assignment_list"), {"baseline": "set"}).content.decode()
    assert "1 assignment" in body and "Women among decision-makers" in body
    assert "Farmers trained" not in body
    body = nora.get(reverse("mel:assignment_list"), {"baseline": "missing"}).content.decode()
    assert "5 assignments" in body
    body = nora.get(reverse("mel:assignment_list"), {"q": "Border"}).content.decode()
    assert "2 assignments" in body
    partial = nora.get(reverse("mel:assignment_list"), {"targets": "yes"},
                       HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
    assert "<html" not in partial and "1 assignment" in partial
    csv = b"".join(nora.get(reverse("mel:assignment_export_csv"),
                            {"indicator": "w1"}).streaming_content).decode()  # fmt: skip
    lines = csv.strip().splitlines()
    assert len(lines) == 4  # header + three landscapes
    assert "W1,Women among decision-makers,A landscape,Kenya Highlands,Africa,,,1/4 = 25" in csv


def test_the_list_hides_landscapes_the_reader_may_not_see(client_for, world, mel):
    IndicatorAssignment.objects.create(indicator=mel.trained, scope_kind="landscape",
                                       landscape=world.restricted_landscape)  # fmt: skip
    assert "Hidden Valley" not in client_for("nora").get(
        reverse("mel:assignment_list")).content.decode()  # fmt: skip
    assert "Hidden Valley" in client_for("hana").get(
        reverse("mel:assignment_list")).content.decode()  # fmt: skip


def test_staff_assign_from_the_indicator_page_to_a_region(client_for, world, americas, extras):
    hana = client_for("hana")
    sheet = hana.get(extras.hectares.get_absolute_url()).content.decode()
    assign_url = reverse("mel:assignment_create", args=["H1"])
    assert assign_url in sheet
    assert assign_url not in client_for("lena").get(
        extras.hectares.get_absolute_url()).content.decode()  # fmt: skip
    form = hana.get(assign_url).content.decode()
    assert "Every active landscape of a region" in form and "Americas" in form
    response = hana.post(assign_url, {"scope_kind": "landscape", "region": "Americas"})
    assert response.status_code == 302
    listed = hana.get(response.url).content.decode()
    assert "3 assignments created." in listed and "Cerrado Mosaic" in listed
    again = hana.post(
        assign_url,
        {"scope_kind": "landscape", "region": "Americas", "landscapes": [world.landscape.pk]},
        follow=True,
    )
    assert "1 assignment created. 3 skipped: already assigned." in again.content.decode()
    bad = hana.post(assign_url, {"scope_kind": "landscape", "region": "Americas",
                                 "reporter": "nobody@example.net"})  # fmt: skip
    assert bad.status_code == 400
    assert "Nobody signs in to the hub with this e-mail." in bad.content.decode()
    empty = hana.post(assign_url, {"scope_kind": "landscape"})
    assert empty.status_code == 400 and "Choose landscapes, or a region." in empty.content.decode()
    one = hana.post(assign_url, {"scope_kind": "initiative"})
    assert one.url == reverse(
        "mel:assignment_detail", args=[IndicatorAssignment.objects.get(scope_kind="initiative").pk]
    )


def test_a_leader_sets_baseline_and_targets_on_the_assignment_page(client_for, world, mel):
    share = mel.a[("W1", world.landscape.pk)]
    url = reverse("mel:assignment_detail", args=[share.pk])
    lena = client_for("lena")
    page = lena.get(url).content.decode()
    assert 'id="target-2025"' in page and 'id="target-2026"' in page and 'id="target-life"' in page
    assert "Save baseline" in page and reverse("mel:assignment_remove", args=[share.pk]) not in page
    bad = lena.post(reverse("mel:assignment_baseline", args=[share.pk]), {
        "baseline_numerator": "9", "baseline_denominator": "3", "baseline_date": "2024-01-01",
        "version": share.version})  # fmt: skip
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "The numerator cannot be larger than the denominator." in text and 'value="9"' in text
    ok = lena.post(reverse("mel:assignment_baseline", args=[share.pk]), {
        "baseline_numerator": "3", "baseline_denominator": "12", "baseline_date": "2024-01-01",
        "baseline_source": "Census", "version": share.version})  # fmt: skip
    assert ok.status_code == 302
    page = lena.get(url).content.decode()
    assert "<strong>25</strong>" in page and "Census" in page
    stale = lena.post(
        reverse("mel:assignment_baseline", args=[share.pk]),
        {"baseline_not_available": "on", "baseline_reason": "x", "version": share.version},
    )
    assert stale.status_code == 409
    # The targets table: each row saved with htmx, its message beside the field.
    save = reverse("mel:target_save", args=[share.pk, "2025"])
    refused = lena.post(save, {"value": "140"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400
    row = refused.content.decode()
    assert row.startswith('<tr id="target-2025"') and "<html" not in row
    assert "Enter a percentage from 0 to 100." in row and 'value="140"' in row
    saved = lena.post(save, {"value": "35"}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    assert "Saved." in saved.content.decode() and 'value="35"' in saved.content.decode()
    target = Target.objects.get(assignment=share, period=mel.periods[0])
    conflict = lena.post(save, {"value": "36", "version": target.version - 1},
                         HTTP_HX_REQUEST="true")  # fmt: skip
    assert (
        conflict.status_code == 409 and "Someone changed this target" in conflict.content.decode()
    )
    life = lena.post(reverse("mel:target_save", args=[share.pk, "life"]), {"value": "60"})
    assert life.status_code == 302  # without htmx: back to the page
    removed = lena.post(reverse("mel:target_remove", args=[share.pk, "2025"]),
                        {"version": target.version}, HTTP_HX_REQUEST="true")  # fmt: skip
    assert removed.status_code == 200
    assert Target.objects.filter(assignment=share).count() == 1
    history = lena.get(url).content.decode()
    assert "removed" in history and "Life of the initiative" in history
    theirs = mel.a[("W1", mel.landscapes[1].pk)]
    assert lena.post(reverse("mel:target_save", args=[theirs.pk, "life"]),
                     {"value": "50"}).status_code == 403  # fmt: skip
    assert lena.post(reverse("mel:target_save", args=[share.pk, "1999"]),
                     {"value": "50"}).status_code == 404  # fmt: skip


def test_staff_set_node_and_reporter_and_remove_with_confirmation(client_for, world, mel):
    node = _initiative_node(world)
    share = mel.a[("W1", world.landscape.pk)]
    hana = client_for("hana")
    response = hana.post(
        reverse("mel:assignment_settings", args=[share.pk]),
        {"node": node.pk, "reporter": "LENA@example.org", "version": share.version},
    )
    assert response.status_code == 302
    share.refresh_from_db()
    assert share.node == node and share.reporter == world.people["lena"]
    refused = hana.post(
        reverse("mel:assignment_settings", args=[share.pk]),
        {"node": node.pk, "reporter": "oscar@example.org", "version": share.version},
    )
    assert refused.status_code == 400 and "Oscar is not a member" in refused.content.decode()
    services.observation_save(actor=world.lena, assignment=share, period=mel.periods[0],
                              numerator=1, denominator=2)  # fmt: skip
    confirm = hana.get(reverse("mel:assignment_remove", args=[share.pk])).content.decode()
    assert "1 value has been reported for it, so it stays" in confirm
    other = mel.a[("W1", mel.landscapes[1].pk)]
    confirm = hana.get(reverse("mel:assignment_remove", args=[other.pk])).content.decode()
    assert "Remove W1 from Lake Basin?" in confirm
    done = hana.post(reverse("mel:assignment_remove", args=[other.pk]))
    assert done.url == mel.share.get_absolute_url()
    assert not IndicatorAssignment.objects.filter(pk=other.pk).exists()


# --- API -------------------------------------------------------------------------------------


def _json(client, method, url, data=None):
    response = getattr(client, method)(url, data=json.dumps(data) if data is not None else None,
                                       content_type="application/json")  # fmt: skip
    return response.status_code, (response.json() if response.content else None)


def test_the_api_assigns_plans_and_removes(client_for, world, mel, americas, extras):
    hana, lena = client_for("hana"), client_for("lena")
    status, body = _json(hana, "post", "/api/v1/mel/assignments", {
        "indicator": "h1", "scope_kind": "landscape", "region": "Americas",
        "landscapes": [world.landscape.slug]})  # fmt: skip
    assert status == 201 and body["message"] == "4 assignments created."
    assert [a["landscape"] for a in body["created"]][0] == "andes-paramo"
    status, body = _json(
        hana,
        "post",
        "/api/v1/mel/assignments",
        {"indicator": "H1", "scope_kind": "landscape", "landscapes": ["atlantis"]},
    )
    assert status == 422 and body["errors"] == {"landscapes": ["Unknown: atlantis"]}
    status, body = _json(lena, "get", "/api/v1/mel/assignments?indicator=H1&region=Americas")
    assert status == 200 and body["count"] == 3
    mine = IndicatorAssignment.objects.get(indicator=extras.hectares, landscape=world.landscape)
    url = f"/api/v1/mel/assignments/{mine.pk}"
    status, body = _json(lena, "patch", url, {"version": mine.version, "baseline": {
        "value": "-1", "date": "2024-01-01"}})  # fmt: skip
    assert status == 422 and body["errors"] == {"baseline_value": ["Enter 0 or more."]}
    status, body = _json(lena, "patch", url, {"version": mine.version, "baseline": {
        "value": 120.5, "date": "2024-01-01", "source": "Survey"}})  # fmt: skip
    assert status == 200 and body["baseline"]["value"] == "120.500000"
    assert body["version"] == mine.version + 1
    status, body = _json(lena, "patch", url, {"version": mine.version, "baseline": {}})
    assert status == 409
    status, body = _json(lena, "patch", url, {"version": mine.version + 1, "node": None,
                                              "reporter": "lena@example.org"})  # fmt: skip
    assert status == 403
    status, body = _json(lena, "put", f"{url}/targets/2025", {"value": 300})
    assert status == 200 and body == {"period": "2025", "value": "300.000000", "version": 1}
    status, body = _json(lena, "put", f"{url}/targets/life", {"value": "1000"})
    assert status == 200
    status, body = _json(lena, "put", f"{url}/targets/2025", {"value": "x", "version": 1})
    assert status == 422 and body["errors"] == {"value": ["Enter a number."]}
    status, body = _json(lena, "put", f"{url}/targets/1999", {"value": "1"})
    assert status == 404
    status, body = _json(lena, "get", url)
    assert [t["period"] for t in body["targets"]] == ["2025", "2026", "life"]
    assert [t["value"] for t in body["targets"]] == ["300.000000", None, "1000.000000"]
    assert _json(lena, "delete", f"{url}/targets/2025?version=1")[0] == 204
    assert _json(lena, "delete", url)[0] == 403
    assert _json(hana, "delete", url)[0] == 204
    reported = mel.a[("T1", world.landscape.pk)]
    services.observation_save(
        actor=world.lena,
        assignment=reported,
        period=mel.periods[0],
        parts={"sex:women": {"value": 1}, "sex:men": {"value": 1}},
    )
    status, body = _json(hana, "delete", f"/api/v1/mel/assignments/{reported.pk}")
    assert status == 422 and "so it stays" in body["errors"]["assignment"][0]


# --- what it costs ---------------------------------------------------------------------------


def test_list_page_and_api_cost_the_same_few_queries_whatever_the_size(
    client_for, world, mel, americas, extras, django_assert_max_num_queries
):
    hana = client_for("hana")
    services.assignment_create(actor=world.hana, indicator=extras.hectares,
                               scope_kind="landscape", region="Americas")  # fmt: skip
    for assignment in IndicatorAssignment.objects.all()[:4]:
        services.target_set(actor=world.hana, assignment=assignment, period=None, value="1")

    def costs():
        with django_assert_max_num_queries(10) as page:
            assert hana.get(reverse("mel:assignment_list")).status_code == 200
        with django_assert_max_num_queries(6) as api:
            assert hana.get("/api/v1/mel/assignments?limit=100").status_code == 200
        return len(page.captured_queries), len(api.captured_queries)

    small = costs()
    more = [f.LandscapeFactory(name=f"Extra {n}", region="Americas") for n in range(8)]
    services.assignment_create(actor=world.hana, indicator=extras.level, scope_kind="landscape",
                               landscapes=more)  # fmt: skip
    assert costs() == small
    with django_assert_max_num_queries(13):  # with the history and the forms
        share = mel.a[("W1", world.landscape.pk)]
        assert hana.get(reverse("mel:assignment_detail", args=[share.pk])).status_code == 200
