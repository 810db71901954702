"""Reach in the hub: the snapshot the task writes from the engaged landscapes (today's, or as
they were from their history), who may ask for one, the nightly run a landscape's change
schedules, the command, the page, the CSV and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from pyproj import Geod

from landhub.core.models import TaskProgress
from landhub.directory import factories as f
from landhub.directory.services import landscapes as directory_services
from landhub.mel import services
from landhub.mel.models import ReachFigure, ReachSnapshot
from landhub.mel.selectors import reach as selectors

pytestmark = pytest.mark.django_db
GEOD = Geod(ellps="WGS84")


def polygon(x0, y0, x1, y1) -> dict:
    return {"type": "Polygon",
            "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}  # fmt: skip


def area(x0, y0, x1, y1) -> float:
    signed, _p = GEOD.polygon_area_perimeter([x0, x1, x1, x0], [y0, y0, y1, y1])
    return abs(signed) / 1e6


def landscape(name, population, boundary, status="engaged", region="Africa", **kwargs):
    return f.LandscapeFactory(name=name, population=population, boundary=boundary,
                              initiative_status=status, region=region, **kwargs)  # fmt: skip


@pytest.fixture
def overlapping(world):
    """Two engaged African landscapes overlapping by half (1 M and 3 M people), an Asian one
    apart, one with a point, one without population, a candidate and an archived one that
    do not count."""
    a = landscape("Half West", 1_000_000, polygon(30, 0, 31, 1))
    b = landscape("Half East", 3_000_000, polygon(30.5, 0, 31.5, 1), status="member",
                  visibility="restricted")  # fmt: skip
    asia = landscape("Far Asia", 2_000_000, polygon(100, 10, 101, 11), region="Asia")
    point = landscape("Point Hill", 250_000, {"type": "Point", "coordinates": [30.7, 0.5]})
    unknown = landscape("Unknown Plains", None, polygon(30.2, 0.2, 30.4, 0.4))
    landscape("Candidate Vale", 9_000_000, polygon(30, 0, 31, 1), status="candidate")
    landscape("Archived Ridge", 9_000_000, polygon(30, 0, 31, 1),
              archived_at=timezone.now())  # fmt: skip
    # Their history says they were all there at the start of 2025 (past dates count them).
    for each in (a, b, asia, point, unknown):
        each.history.update(history_date=timezone.make_aware(dt.datetime(2025, 1, 1)))
    d1, d2 = 1_000_000 / area(30, 0, 31, 1), 3_000_000 / area(30.5, 0, 31.5, 1)
    africa = 1_000_000 + 3_000_000 - area(30.5, 0, 31, 1) * (d1 + d2) / 2 + 250_000
    return type("Overlapping", (), {"a": a, "b": b, "asia": asia, "point": point,
                                    "unknown": unknown, "africa": africa,
                                    "total": africa + 2_000_000})  # fmt: skip


def test_a_snapshot_counts_engaged_landscapes_once_in_total_and_by_region(world, overlapping):
    snapshot = services.reach_compute(actor=world.hana)
    assert snapshot.as_of == timezone.localdate() and not snapshot.from_history
    figures = {fig.region: fig for fig in snapshot.figures.all()}
    assert set(figures) == {"", "Africa", "Asia"}
    total = figures[""]
    assert abs(total.reached - overlapping.total) <= 1
    assert total.recorded == 1_000_000 + 3_000_000 + 2_000_000 + 250_000
    assert total.overlap_removed == total.recorded - total.reached
    # The world's own landscapes are candidates: 5 engaged, 1 point, 1 without population.
    assert (total.landscapes, total.without_polygon, total.without_population) == (5, 1, 1)
    assert total.overlapping_landscapes == 2
    assert abs(figures["Africa"].reached - overlapping.africa) <= 1
    assert figures["Asia"].reached == 2_000_000
    [pair] = snapshot.overlaps
    assert {pair["a"], pair["b"]} == {overlapping.a.pk, overlapping.b.pk}
    assert pair["share_a"] == pytest.approx(50.0, abs=0.1)


def test_only_hub_staff_compute_and_a_future_or_malformed_date_is_refused(world, overlapping):
    with pytest.raises(PermissionDenied):
        services.reach_compute(actor=world.nora)
    with pytest.raises(PermissionDenied):
        services.reach_request(actor=world.lena)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.reach_compute(as_of=tomorrow)
    assert "future" in str(error.value)
    for bad in ("31/12/2025", "yesterday", 20251231, dt.datetime(2025, 12, 31)):
        with pytest.raises(ValidationError):
            services.reach_compute(as_of=bad)
    for bad in (0, 41, "8", True):
        with pytest.raises(ValidationError):
            services.reach_fill_quarters(quarters_back=bad)
    assert not ReachSnapshot.objects.exists()


def _backdate(landscape, when: dt.datetime) -> None:
    landscape.history.update(history_date=when)


def test_a_past_date_is_counted_from_the_landscapes_history(world):
    hana = world.hana
    past = timezone.make_aware(dt.datetime(2025, 3, 1, 12))
    grown = directory_services.landscape_create(
        actor=hana, name="Growing Delta", countries=["KE"], population=1_000_000,
        initiative_status="engaged", boundary=polygon(30, 0, 31, 1),
    )  # fmt: skip
    joined = directory_services.landscape_create(
        actor=hana, name="Late Joiner", countries=["KE"], population=500_000,
        initiative_status="candidate", boundary=polygon(40, 0, 41, 1),
    )  # fmt: skip
    _backdate(grown, past)
    _backdate(joined, past)
    # Today: the delta has grown and the joiner is engaged.
    grown = directory_services.landscape_update(actor=hana, landscape=grown, version=None,
                                                population=1_500_000)  # fmt: skip
    directory_services.landscape_update(actor=hana, landscape=joined, version=None,
                                        initiative_status="engaged")  # fmt: skip
    then = services.reach_compute(as_of=dt.date(2025, 6, 30))
    assert then.from_history and then.as_of == dt.date(2025, 6, 30)
    assert then.figures.get(region="").reached == 1_000_000
    assert then.figures.get(region="Africa").landscapes == 1  # the region is today's
    before = services.reach_compute(as_of="2025-02-28")
    assert before.figures.get(region="").landscapes == 0
    now = services.reach_compute()
    assert now.figures.get(region="").reached == 2_000_000
    # The series takes each date once, oldest first; the latest figure is today's.
    assert [p.as_of for p in selectors.reach_series(region="")] == [
        dt.date(2025, 2, 28), dt.date(2025, 6, 30), timezone.localdate()]  # fmt: skip
    assert selectors.reach_latest() == now


def test_landscapes_without_history_count_with_their_current_values_if_created_by_then(world):
    from landhub.directory.models import Landscape

    Landscape.objects.bulk_create([Landscape(
        name="Bulk Made", slug="bulk-made", population=700_000, initiative_status="engaged",
        region="Asia", boundary=polygon(100, 0, 101, 1))])  # fmt: skip
    assert services.reach_compute(as_of="2024-12-31").figures.get(region="").landscapes == 0
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Landscape.objects.filter(slug="bulk-made").update(
        created_at=timezone.now() - dt.timedelta(days=30))  # fmt: skip
    figure = services.reach_compute(as_of=yesterday).figures.get(region="")
    assert (figure.landscapes, figure.reached) == (1, 700_000)


def test_quarter_ends_go_back_from_the_last_finished_quarter():
    ends = services.quarter_ends(back=5, today=dt.date(2026, 5, 10))
    assert ends == [dt.date(2025, 3, 31), dt.date(2025, 6, 30), dt.date(2025, 9, 30),
                    dt.date(2025, 12, 31), dt.date(2026, 3, 31)]  # fmt: skip
    assert services.quarter_ends(back=1, today=dt.date(2026, 1, 1)) == [dt.date(2025, 12, 31)]


def test_recompute_now_enqueues_one_task_after_the_commit_and_reports_progress(
    world, overlapping, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        progress = services.reach_request(actor=world.hana)
        again = services.reach_request(actor=world.hana)
    assert again == progress and len(callbacks) == 1  # a second click shares the task
    assert progress.status == TaskProgress.Status.QUEUED and not ReachSnapshot.objects.exists()
    callbacks[0]()  # the test settings' immediate backend runs the task now
    progress.refresh_from_db()
    assert progress.status == TaskProgress.Status.SUCCEEDED and progress.percent == 100
    assert progress.done == progress.total == 3  # the initiative, Africa, Asia
    snapshot = ReachSnapshot.objects.get()
    assert progress.result == {"snapshot": snapshot.pk,
                               "reached": snapshot.figures.get(region="").reached}  # fmt: skip
    assert "people reached" in progress.message


def test_a_failed_computation_says_so_on_its_progress(world, monkeypatch):
    from landhub.mel import reach

    def broken(*args, **kwargs):
        raise RuntimeError("GEOS gave up")

    monkeypatch.setattr(reach, "compute", broken)
    progress = TaskProgress.objects.create(owner=world.hana, kind="mel.reach", label="x")
    with pytest.raises(RuntimeError):
        services.reach_compute(progress_id=progress.pk)
    progress.refresh_from_db()
    assert progress.status == TaskProgress.Status.FAILED and "GEOS gave up" in progress.message
    assert not ReachSnapshot.objects.exists()


def test_a_change_that_matters_schedules_one_nightly_run(world, django_capture_on_commit_callbacks):
    """The test settings' immediate backend cannot defer, so the scheduled run happens at the
    commit: a snapshot appearing is the run having been scheduled."""
    from django.core.cache import cache

    hana = world.hana
    ls = landscape("Changing Hills", 100_000, polygon(30, 0, 31, 1))
    cache.clear()  # the factory's save scheduled tonight's run already
    with django_capture_on_commit_callbacks(execute=True):
        directory_services.landscape_update(actor=hana, landscape=ls, version=None,
                                            summary="Only words changed.")  # fmt: skip
    assert not ReachSnapshot.objects.exists()  # nothing the figure counts
    with django_capture_on_commit_callbacks(execute=True):
        ls = directory_services.landscape_update(actor=hana, landscape=ls, version=None,
                                                 population=200_000)  # fmt: skip
        directory_services.landscape_set_boundary(actor=hana, landscape=ls, version=None,
                                                  geometry=polygon(30, 0, 32, 1))  # fmt: skip
        ls.countries.set([f.country("TZ")])
    snapshot = ReachSnapshot.objects.get()  # three changes, one run (debounced to the night)
    assert snapshot.figures.get(region="").reached == 200_000
    # A candidate's changes do not touch the figure; becoming engaged does.
    candidate = landscape("Candidate Hills", 100_000, None, status="candidate")
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        directory_services.landscape_update(actor=hana, landscape=candidate, version=None,
                                            population=5)  # fmt: skip
        candidate.countries.set([f.country("UG")])
    assert ReachSnapshot.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        directory_services.landscape_update(actor=hana, landscape=candidate, version=None,
                                            initiative_status="engaged")  # fmt: skip
    assert ReachSnapshot.objects.count() == 2
    assert ReachSnapshot.objects.latest("id").figures.get(region="").reached == 200_005


def test_with_a_worker_the_run_is_enqueued_for_the_night_not_run_in_the_request(
    world, settings, django_capture_on_commit_callbacks
):
    """The database backend (production) can defer: the change enqueues one task to run at
    the next nightly hour, and nothing is computed meanwhile."""
    from django_tasks import default_task_backend

    from landhub.mel.services.reach import next_nightly_run

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ls = landscape("Night Hills", 100_000, polygon(30, 0, 31, 1))
        directory_services.landscape_update(actor=world.hana, landscape=ls, version=None,
                                            population=150_000)  # fmt: skip
    # Two changes of an engaged landscape (its creation, its population): one task.
    [result] = [r for r in default_task_backend.results if r.task.name == "compute_reach_task"]
    assert result.task.run_after == next_nightly_run()
    assert not ReachSnapshot.objects.exists()
    default_task_backend.clear()


def test_the_nightly_run_waits_for_the_night(settings):
    settings.LANDHUB_MEL_REACH_HOUR = 3
    now = timezone.make_aware(dt.datetime(2026, 5, 10, 14, 30))
    run = services.reach_request  # noqa: F841 - the module is loaded
    from landhub.mel.services.reach import next_nightly_run

    assert next_nightly_run(now) == timezone.make_aware(dt.datetime(2026, 5, 11, 3))
    early = timezone.make_aware(dt.datetime(2026, 5, 10, 1, 0))
    assert next_nightly_run(early) == timezone.make_aware(dt.datetime(2026, 5, 10, 3))


def test_the_command_computes_now_as_of_a_date_or_each_quarter_end(world, overlapping):
    call_command("mel_compute_reach", stdout=(out := _Out()))
    assert "people reached" in out.text and ReachSnapshot.objects.count() == 1
    call_command("mel_compute_reach", "--as-of", "2025-12-31", stdout=_Out())
    assert ReachSnapshot.objects.filter(as_of=dt.date(2025, 12, 31), from_history=True).exists()
    call_command("mel_compute_reach", "--quarters-back", "3", stdout=(out := _Out()))
    assert "3 snapshot(s)" in out.text and ReachSnapshot.objects.count() == 5
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("mel_compute_reach", "--as-of", "soon", stdout=_Out())
    with pytest.raises(CommandError, match="between 1 and 40"):
        call_command("mel_compute_reach", "--quarters-back", "0", stdout=_Out())


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, value):
        self.text += value

    def flush(self):
        pass


# --- The page, the CSV, the API -----------------------------------------------------------


def test_the_page_shows_the_figure_regions_series_pairs_and_method(client_for, world,
                                                                   overlapping):  # fmt: skip
    services.reach_compute(as_of="2025-12-31")
    services.reach_compute()
    page = client_for("hana").get(reverse("mel:reach"))
    assert page.status_code == 200
    body = page.content.decode()
    overview = page.context["overview"]
    assert abs(overview.total.reached - overlapping.total) <= 1
    assert f'id="reach-total">{overview.total.reached:,}<' in body
    assert [f.region for f in overview.regions] == ["Africa", "Asia"]
    assert "1 landscape has a point or no boundary" in body
    assert "1 landscape has no population recorded and counts nobody" in body
    assert "the mean of their densities times its area" in body  # the method, on the page
    assert "Half West" in body and "Half East" in body  # hana sees the restricted one
    assert 'id="reach-series-chart-spec"' in body and 'id="reach-regions-chart-spec"' in body
    assert len(overview.series) == 2
    assert "Recompute now" in body


def test_a_member_sees_the_figures_but_not_the_names_of_landscapes_hidden_from_her(
    client_for, world, overlapping
):
    services.reach_compute()
    body = client_for("nora").get(reverse("mel:reach")).content.decode()
    assert "Half West" in body and "Half East" not in body
    assert "a landscape you cannot see" in body
    assert "Recompute now" not in body
    api = client_for("nora").get("/api/v1/mel/reach").json()
    assert api["latest"]["overlaps"][0]["b"] is None


def test_before_any_computation_the_page_says_so(client_for, world):
    body = client_for("nora").get(reverse("mel:reach")).content.decode()
    assert 'id="reach-none"' in body and "How the people reached are counted" in body
    assert client_for("nora").get("/api/v1/mel/reach").json() == {"latest": None, "series": []}


def test_hub_staff_recompute_from_the_page_and_watch_the_progress(
    client_for, world, overlapping, django_capture_on_commit_callbacks
):
    hana = client_for("hana")
    with django_capture_on_commit_callbacks(execute=False):
        response = hana.post(reverse("mel:reach_recompute"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    progress = TaskProgress.objects.get(kind="mel.reach")
    assert 'id="reach-progress"' in response.content.decode()
    assert f"/mel/reach/progress/{progress.pk}/" in response.content.decode()  # it polls
    page = hana.get(reverse("mel:reach")).content.decode()
    assert 'id="reach-progress"' in page and "Recompute now" not in page  # still queued
    with django_capture_on_commit_callbacks(execute=True):
        response = hana.post(reverse("mel:reach_recompute"))
    assert response.status_code == 302  # the same queued task; its callback was the first
    services.reach_compute(progress_id=progress.pk)
    done = hana.get(reverse("mel:reach_progress", args=[progress.pk]), HTTP_HX_REQUEST="true")
    assert 'data-status="succeeded"' in done.content.decode()
    assert "hx-get" not in done.content.decode()  # it stops polling
    assert client_for("nora").post(reverse("mel:reach_recompute")).status_code == 403
    nora_progress = client_for("nora").get(reverse("mel:reach_progress", args=[progress.pk]))
    assert nora_progress.status_code == 403
    other = TaskProgress.objects.create(owner=world.hana, kind="import.landscapes", label="x")
    assert hana.get(reverse("mel:reach_progress", args=[other.pk])).status_code == 404
    huge = reverse("mel:reach_progress", args=[10**30])  # beyond any database's integers
    assert hana.get(huge).status_code == 404


def test_the_csv_holds_every_date_and_region(client_for, world, overlapping):
    services.reach_compute(as_of="2025-12-31")
    services.reach_compute()
    nora = client_for("nora")
    text = b"".join(nora.get(reverse("mel:reach_export_csv")).streaming_content).decode()
    lines = text.strip().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("As of,Computed,Place,Engaged landscapes")
    assert len(lines) == 1 + 2 * 3  # two dates × (initiative, Africa, Asia)
    assert any(line.startswith("2025-12-31") and ",The whole initiative," in line
               for line in lines)  # fmt: skip
    only = b"".join(nora.get(reverse("mel:reach_export_csv"), {"region": "-"})
                    .streaming_content).decode().strip().splitlines()  # fmt: skip
    assert len(only) == 3
    asia = b"".join(nora.get(reverse("mel:reach_export_csv"), {"region": "Asia"})
                    .streaming_content).decode().strip().splitlines()  # fmt: skip
    assert all(",Asia," in line for line in asia[1:]) and len(asia) == 3
    odd = nora.get(reverse("mel:reach_export_csv"), {"region": "x" * 500})
    assert odd.status_code == 200


def test_the_api_gives_the_latest_figures_regions_and_series(client_for, world, overlapping):
    services.reach_compute(as_of="2025-12-31")
    services.reach_compute()
    data = client_for("hana").get("/api/v1/mel/reach").json()
    latest = data["latest"]
    assert abs(latest["total"]["reached"] - overlapping.total) <= 1
    assert latest["people_goal"] == 1_000_000_000 and latest["from_history"] is False
    assert [r["region"] for r in latest["regions"]] == ["Africa", "Asia"]
    assert {latest["overlaps"][0]["a"], latest["overlaps"][0]["b"]} == {"half-west", "half-east"}
    assert [(p["as_of"], p["region"]) for p in data["series"]][:3] == [
        ("2025-12-31", ""), ("2025-12-31", "Africa"), ("2025-12-31", "Asia")]  # fmt: skip
    assert len(data["series"]) == 6
    response = client_for("hana").post(
        "/api/v1/mel/reach/recompute", content_type="application/json"
    )
    assert response.status_code == 202 and response.json()["status"] == "queued"
    assert client_for("nora").post("/api/v1/mel/reach/recompute").status_code == 403


def test_the_page_and_the_api_cost_the_same_queries_whatever_the_data(
    client_for, world, overlapping, django_assert_max_num_queries
):
    services.reach_compute()
    hana = client_for("hana")
    urls = [reverse("mel:reach"), "/api/v1/mel/reach", reverse("mel:reach_export_csv")]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(12) as ctx:
            response = hana.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        counts[url] = len(ctx.captured_queries)
    # Twenty more landscapes, in more regions, and twenty more computations: no query more.
    for i in range(20):
        landscape(f"More {i}", 10_000, polygon(i, 20, i + 1.5, 21), region=f"Region {i % 4}")
    for day in range(20):
        services.reach_compute(as_of=dt.date(2025, 1, 1) + dt.timedelta(days=day))
    services.reach_compute()
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            response = hana.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)


def test_every_figure_is_stored_once_per_snapshot_and_place(world, overlapping):
    snapshot = services.reach_compute()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ReachFigure.objects.create(snapshot=snapshot, region="Asia", landscapes=0, recorded=0,
                                   reached=0, overlap_removed=0, overlapping_landscapes=0,
                                   without_polygon=0, without_population=0)  # fmt: skip


def test_the_demo_overlaps_two_landscapes_and_fills_a_series(world):
    from landhub.directory.demo import seed_demo as seed_directory
    from landhub.directory.models import Landscape
    from landhub.mel.demo import reach as demo

    seed_directory()
    assert demo.seed() == {"reach snapshots": 9}  # eight quarter-ends and today
    latest = selectors.reach_latest()
    assert not latest.from_history and latest.as_of == timezone.localdate()
    kenya = Landscape.objects.get(name=demo.MOUNT_KENYA)
    laikipia = Landscape.objects.get(name=demo.LAIKIPIA)
    top = latest.overlaps[0]
    assert {top["a"], top["b"]} == {kenya.pk, laikipia.pk} and top["people_once"] > 100_000
    series = selectors.reach_series(region="")
    assert len(series) == 9
    landscapes = [p.landscapes for p in series]
    assert landscapes == sorted(landscapes) and landscapes[0] < landscapes[-1]  # they joined
    assert demo.seed() == {"reach snapshots": 0}  # idempotent
    assert ReachSnapshot.objects.count() == 9
