"""Dashboards and the tracking table: targets and baselines rolled up like actuals, progress
and on-track judged by the stated margin, figures the same in the page, the chart's data, the
CSV and the Excel file, and a constant number of queries however much data there is."""

from __future__ import annotations

import io
import json
from decimal import Decimal as D

import pytest
from django.test.utils import override_settings
from django.urls import reverse

from landhub.directory import factories as f
from landhub.mel import rollups, services
from landhub.mel.models import IndicatorAssignment, PlanRollup, Rollup, Target
from landhub.mel.selectors import dashboards as boards

pytestmark = pytest.mark.django_db


def _enter(world, mel, code, landscape, period, **values):
    obs = services.observation_save(actor=world.hana, assignment=mel.a[(code, landscape.pk)],
                                    period=period, **values)  # fmt: skip
    obs = services.observation_submit(actor=world.hana, observation=obs, version=obs.version)
    return services.observation_approve(actor=mel.reviewer, observation=obs, version=obs.version)


def _plan(mel, code, landscape, baseline=None, life=None, **by_year):
    """Baseline and targets of a landscape's assignment (``y2025=…``), then the plan roll-up."""
    assignment = mel.a[(code, landscape.pk)]
    assignment.baseline_value = baseline
    assignment.save()
    if life is not None:
        Target.objects.create(assignment=assignment, period=None, value=life)
    for period in mel.periods:
        if (value := by_year.get(f"y{period.label}")) is not None:
            Target.objects.create(assignment=assignment, period=period, value=value)
    rollups.recompute_plan(assignment.indicator)


def _text(response) -> str:
    return b"".join(response.streaming_content).decode().replace("\r", "")


@pytest.fixture
def trained(world, mel):
    """Farmers trained (cumulative sum): 2025 actuals 50 + 15 + 3, 2026 adds 10 in Kenya;
    targets 40 + 20 + 10 for 2025 and 100 + 40 + 20 for 2026, baselines 10 + 5 + 0."""
    y25, y26 = mel.periods
    kenya, lake, border = mel.landscapes
    parts = lambda women, men: {"parts": {"sex:women": {"value": women},  # noqa: E731
                                          "sex:men": {"value": men}}}  # fmt: skip
    _enter(world, mel, "T1", kenya, y25, **parts(30, 20))
    _enter(world, mel, "T1", lake, y25, **parts(10, 5))
    _enter(world, mel, "T1", border, y25, **parts(1, 2))
    _enter(world, mel, "T1", kenya, y26, **parts(5, 5))
    _plan(mel, "T1", kenya, baseline=10, life=200, y2025=40, y2026=100)
    _plan(mel, "T1", lake, baseline=5, y2025=20, y2026=40)
    _plan(mel, "T1", border, baseline=0, y2025=10, y2026=20)
    return mel.trained


def test_targets_and_baselines_roll_up_by_place_like_the_actuals(trained, mel):
    y25, _y26 = mel.periods
    kenya = mel.landscapes[0]
    all_25 = PlanRollup.objects.get(indicator=trained, level="initiative", key="all", period=y25)
    assert (all_25.target, all_25.baseline, all_25.target_scopes) == (D(70), D(15), 3)
    tz = PlanRollup.objects.get(indicator=trained, level="country", key="TZ", period=y25)
    assert tz.target == D(10)  # only Border Hills is in Tanzania
    life = PlanRollup.objects.get(indicator=trained, level="landscape", key=str(kenya.pk),
                                  period=None)  # fmt: skip
    assert (life.target, life.baseline) == (D(200), D(10))
    # The initiative's own assignment, when it has targets, speaks for the initiative.
    own = IndicatorAssignment.objects.create(indicator=trained, scope_kind="initiative",
                                             baseline_value=12)  # fmt: skip
    Target.objects.create(assignment=own, period=y25, value=90)
    rollups.recompute_plan(trained)
    all_25 = PlanRollup.objects.get(indicator=trained, level="initiative", key="all", period=y25)
    assert (all_25.target, all_25.baseline) == (D(90), D(12))
    # A rebuild writes exactly the same plan rows.
    fields = ("level", "key", "period", "target", "baseline")
    before = sorted(map(str, PlanRollup.objects.values_list(*fields)))
    rollups.rebuild()
    after = sorted(map(str, PlanRollup.objects.values_list(*fields)))
    assert before == after


def test_progress_is_measured_from_the_baseline_and_judged_by_the_margin(trained, mel):
    series = boards.indicator_series(user=None, indicator=trained,
                                     place=boards.Place("initiative", "all", "All"))  # fmt: skip
    y25, y26 = series.points
    # 2025: 68 against 70 from a baseline of 15 → 53 / 55 of the way = 96.4 %, on track.
    assert (y25.judgement.actual, y25.judgement.target) == (D(68), D(70))
    assert y25.judgement.progress == D("96.4")
    assert y25.judgement.status == boards.Status.ON_TRACK
    # 2026: 78 to date against 160: 63 / 145 = 43 % — behind.
    assert y26.judgement.actual == D(78) and y26.judgement.status == boards.Status.BEHIND
    strict = boards.indicator_series(user=None, indicator=trained, margin=D(1),
                                     place=boards.Place("initiative", "all", "All"))  # fmt: skip
    assert strict.points[0].judgement.status == boards.Status.BEHIND  # 96.4 < 100 − 1


@override_settings(LANDHUB_MEL_LIFE=("2025-01-01", "2029-12-31"))
def test_against_a_life_target_the_expectation_is_the_share_of_time_elapsed(world, mel):
    y25, _y26 = mel.periods
    kenya = mel.landscapes[0]
    _enter(world, mel, "T1", kenya, y25, parts={"sex:women": {"value": 30},
                                                "sex:men": {"value": 20}})  # fmt: skip
    _plan(mel, "T1", kenya, baseline=0, life=200)  # no yearly target
    place = boards.place_for(user=world.hana, level="landscape", key=kenya.slug)
    point = boards.indicator_series(user=None, indicator=mel.trained, place=place).points[0]
    # One year of five has passed (20 %); 50 of 200 is 25 %: on track.
    assert point.judgement.expected == D("20.0") and point.judgement.progress == D(25)
    assert point.judgement.status == boards.Status.ON_TRACK


def test_the_initiative_dashboard_counts_engaged_landscapes_and_their_people(client_for, world):
    kenya = world.landscape
    kenya.initiative_status, kenya.population = "engaged", 1_200_000
    kenya.save()
    f.LandscapeFactory(name="Member Hills", initiative_status="member", population=800_000,
                       countries=[f.country("TZ")])  # fmt: skip
    f.LandscapeFactory(name="Quiet Plains", initiative_status="engaged", population=None)
    f.LandscapeFactory(name="Candidate Vale", initiative_status="candidate", population=5_000)
    page = client_for("nora").get(reverse("mel:dashboard_home"))
    assert page.status_code == 200
    body = page.content.decode()
    engagement = page.context["engagement"]
    assert (engagement.engaged, engagement.people, engagement.without_population) == (
        3,
        2_000_000,
        1,
    )
    assert 'id="landscapes-engaged">3<' in body
    assert "1 engaged landscape has no population recorded" in body
    # Before any reach computation the headline is the plain sum, and the page says so.
    assert 'id="people-reached">2,000,000<' in body
    assert "not counted once yet" in body
    assert "mean of the landscapes&#x27; densities" in body  # the method, stated on the page
    africa = next(r for r in engagement.by_region if r["region"] == "Africa")
    assert (africa["engaged"], africa["people"], africa["without_population"]) == (3, 2_000_000, 1)
    assert africa["reached"] is None


def test_the_initiative_dashboard_counts_people_once_where_landscapes_overlap(client_for,
                                                                             world):  # fmt: skip
    from landhub.mel import services as mel_services

    square = lambda x0, x1: {"type": "Polygon", "coordinates": [  # noqa: E731
        [[x0, 0], [x1, 0], [x1, 1], [x0, 1], [x0, 0]]]}  # fmt: skip
    f.LandscapeFactory(name="West Half", initiative_status="engaged", population=1_000_000,
                       boundary=square(30, 31))  # fmt: skip
    f.LandscapeFactory(name="East Half", initiative_status="member", population=1_000_000,
                       boundary=square(30.5, 31.5))  # fmt: skip
    mel_services.reach_compute()
    nora = client_for("nora")
    page = nora.get(reverse("mel:dashboard_home"))
    body = page.content.decode()
    engagement = page.context["engagement"]
    # Half of each lives in the shared half-degree: 500,000 counted once, not twice (about:
    # on the ellipsoid a half-degree box is not exactly half of a degree box; the exact
    # answers are in test_reach_method.py).
    assert engagement.people == 2_000_000
    assert abs(engagement.people_reached - 1_500_000) < 100
    assert f'id="people-reached">{engagement.people_reached:,}<' in body
    assert f"counts {engagement.reach.overlap_removed:,} people more than once" in body
    africa = next(r for r in engagement.by_region if r["region"] == "Africa")
    assert africa["people"] == 2_000_000 and africa["reached"] == engagement.people_reached
    assert reverse("mel:reach") in body
    api = nora.get("/api/v1/mel/dashboards/progress").json()["engagement"]
    assert (api["people"], api["people_reached"]) == (2_000_000, engagement.people_reached)
    assert api["people_reached_as_of"] == engagement.reach_as_of.isoformat()
    assert "counted once" in api["method"]


def test_the_indicator_dashboard_shows_the_series_regions_and_groups(client_for, trained, mel):
    nora = client_for("nora")
    url = reverse("mel:indicator_dashboard", args=[trained.code])
    page = nora.get(url, {"period": "2025"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "96.4 %" in body and "On track" in body and "Behind" in body
    assert [r.region for r in page.context["regions"]] == ["Africa"]
    assert {r.option.label: r.value for r in page.context["options"]} == {
        "Women": D(41),
        "Men": D(27),
    }
    # The chart is drawn from the same figures as the table.
    spec = page.context["series_chart"]
    actual = [r["value"] for r in spec["data"]["values"] if r["series"] == "Actual"]
    assert actual == [68.0, 78.0]
    assert 'id="series-chart-spec"' in body and "landhub/charts.js" in body
    tz = nora.get(url, {"place": "country:TZ"})
    assert tz.context["place"].label == "Tanzania" and tz.context["series"].points[
        0
    ].judgement.actual == D(3)
    csv = _text(nora.get(reverse("mel:indicator_dashboard_csv", args=[trained.code])))
    assert "T1,The whole initiative,2025,15,70,68,96.4,On track" in csv
    assert nora.get(url, {"place": "region:Atlantis"}).status_code == 404
    assert nora.get(url, {"place": "galaxy:far"}).status_code == 404
    assert nora.get(url, {"margin": "lots"}).context["margin"] == boards.default_margin()


def test_a_landscape_dashboard_is_seen_only_by_who_may_see_the_landscape(client_for, world, mel,
                                                                         trained):  # fmt: skip
    kenya = mel.landscapes[0]
    page = client_for("nora").get(reverse("mel:landscape_dashboard", args=[kenya.slug]))
    assert page.status_code == 200
    assert "Farmers trained" in page.content.decode()
    latest = {s.indicator.code: s.latest for s in page.context["series_list"]}
    assert latest["T1"].judgement.actual == D(60)  # 50 in 2025 + 10 in 2026, to date
    hidden = reverse("mel:landscape_dashboard", args=[world.restricted_landscape.slug])
    assert client_for("nora").get(hidden).status_code == 404


def test_the_tracking_table_pages_and_exports_agree(client_for, trained, mel):
    import openpyxl

    nora = client_for("nora")
    page = nora.get(reverse("mel:tracking_table"))
    assert page.status_code == 200
    table = page.context["table"]
    assert [p.label for p in table.periods] == ["2025", "2026"]
    row = next(s for s in table.rows if s.indicator.code == "T1")
    assert [c.judgement.actual for c in row.cells] == [D(68), D(78)]
    body = page.content.decode()
    assert 'id="tracking-table"' in body and "Behind" in body
    csv = _text(nora.get(reverse("mel:tracking_table_export", args=["csv"])))
    assert "T1,Farmers trained,,The whole initiative,15,200,2026,160,78,43.4,100,Behind" in csv
    xlsx = nora.get(reverse("mel:tracking_table_export", args=["xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    rows = [r for r in sheet.iter_rows(values_only=True) if r[0] == "T1"]
    assert rows[0][7:9] == (70, 68)  # numbers, not text
    assert nora.get(reverse("mel:tracking_table_export", args=["pdf"])).status_code == 404
    assert nora.get(reverse("mel:tracking_table"), {"kind": "decade"}).status_code == 404


def test_dashboards_cost_the_same_queries_whatever_the_data(
    client_for, world, mel, trained, django_assert_max_num_queries
):
    nora = client_for("nora")
    urls = [reverse("mel:dashboard_home"), reverse("mel:tracking_table"),
            reverse("mel:indicator_dashboard", args=["T1"]),
            reverse("mel:landscape_dashboard", args=[mel.landscapes[0].slug])]  # fmt: skip
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(14) as ctx:
            assert nora.get(url).status_code == 200
        counts[url] = len(ctx.captured_queries)
    # Five more landscapes reporting, and the share indicator too: no query more.
    y25 = mel.periods[0]
    for i in range(5):
        extra = f.LandscapeFactory(name=f"Extra {i}", countries=[f.country("KE")])
        for indicator in (mel.trained, mel.share):
            mel.a[(indicator.code, extra.pk)] = IndicatorAssignment.objects.create(
                indicator=indicator, scope_kind="landscape", landscape=extra
            )
        _enter(world, mel, "T1", extra, y25, parts={"sex:women": {"value": 1},
                                                    "sex:men": {"value": 1}})  # fmt: skip
        _enter(world, mel, "W1", extra, y25, numerator=1, denominator=2)
        _plan(mel, "T1", extra, baseline=1, y2025=3)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert nora.get(url).status_code == 200


def test_dashboards_ask_visitors_to_sign_in(client):
    response = client.get(reverse("mel:tracking_table"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_chart_specification_is_json_in_the_page(client_for, trained):
    html = client_for("nora").get(reverse("mel:indicator_dashboard", args=["T1"])).content.decode()
    script = html.split('id="series-chart-spec" type="application/json">')[1].split("</script>")[0]
    spec = json.loads(script)
    assert spec["layer"][0]["mark"]["type"] == "line"
    assert {r["series"] for r in spec["data"]["values"]} == {"Actual", "Target"}


def test_a_landscape_moving_country_moves_its_figures(
    world, mel, trained, django_capture_on_commit_callbacks
):
    y25 = mel.periods[0]
    lake = mel.landscapes[1]  # Kenya, 15 farmers in 2025
    before = Rollup.objects.get(indicator=trained, period=y25, level="country", key="KE",
                                option=None)  # fmt: skip
    assert before.value == D(68)
    with django_capture_on_commit_callbacks(execute=True):  # the task runs after the commit
        lake.countries.set([f.country("UG")])
    after = {r.key: r.value for r in Rollup.objects.filter(
        indicator=trained, period=y25, level="country", option=None)}  # fmt: skip
    assert after["KE"] == D(53) and after["UG"] == D(15)
    plan = PlanRollup.objects.get(indicator=trained, level="country", key="UG", period=y25)
    assert plan.target == D(20)


def test_the_reference_sheet_names_only_the_landscapes_the_reader_may_see(client_for, world,
                                                                          mel):  # fmt: skip
    IndicatorAssignment.objects.create(indicator=mel.trained, scope_kind="landscape",
                                       landscape=world.restricted_landscape)  # fmt: skip
    url = reverse("mel:indicator_detail", args=[mel.trained.code])
    nora = client_for("nora").get(url)
    assert world.restricted_landscape.name not in nora.content.decode()
    assert nora.context["indicator"].assignment_total == 3
    hana = client_for("hana").get(url)
    assert world.restricted_landscape.name in hana.content.decode()


def test_the_tracking_table_pages_through_indicators(client_for, trained, monkeypatch):
    from landhub.mel.views import dashboards as views

    monkeypatch.setattr(views, "ROWS_PER_PAGE", 1)
    nora = client_for("nora")
    first = nora.get(reverse("mel:tracking_table"))
    second = nora.get(reverse("mel:tracking_table"), {"page": 2})
    assert [s.indicator.code for s in first.context["table"].rows] == ["T1"]
    assert [s.indicator.code for s in second.context["table"].rows] == ["W1"]
    # The columns stay the same from page to page.
    assert [p.label for p in second.context["table"].periods] == ["2025", "2026"]
    assert "Page 2 of 2" in second.content.decode()
    api = nora.get("/api/v1/mel/dashboards/tracking", {"limit": 1, "offset": 1}).json()
    assert api["count"] == 2 and [r["indicator"] for r in api["rows"]] == ["W1"]
