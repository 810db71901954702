"""The completeness view: counts per landscape, totals, filters, sorting, CSV, access, and a
number of queries that does not grow with the number of landscapes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from landhub.directory import factories as f
from landhub.directory.models import Landscape
from landhub.mel import services
from landhub.mel.models import IndicatorAssignment, ReportingReminder
from landhub.mel.selectors import completeness

PARTS = {"sex:women": {"value": 3}, "sex:men": {"value": 2}}


@pytest.fixture
def reported(world, mel):
    """2025 (due 2026-02-01, past): Kenya Highlands complete (one approved, one submitted
    "not applicable"); Lake Basin one draft and one returned; Border Hills nothing."""
    y25, (kenya, lake, _border) = mel.periods[0], mel.landscapes
    lena, hana = world.lena, world.hana
    trained = services.observation_save(actor=lena, assignment=mel.a[("T1", kenya.pk)], period=y25,
                                        parts=PARTS)  # fmt: skip
    trained = services.observation_submit(actor=lena, observation=trained,
                                          version=trained.version)  # fmt: skip
    services.observation_approve(actor=mel.reviewer, observation=trained, version=trained.version)
    share = services.observation_save(actor=lena, assignment=mel.a[("W1", kenya.pk)], period=y25,
                                      not_applicable=True,
                                      not_applicable_reason="No council yet.")  # fmt: skip
    services.observation_submit(actor=lena, observation=share, version=share.version)
    services.observation_save(actor=hana, assignment=mel.a[("T1", lake.pk)], period=y25,
                              parts=PARTS)  # fmt: skip
    back = services.observation_save(actor=hana, assignment=mel.a[("W1", lake.pk)], period=y25,
                                     numerator=1, denominator=3)  # fmt: skip
    back = services.observation_submit(actor=hana, observation=back, version=back.version)
    services.observation_return(actor=mel.reviewer, observation=back, version=back.version,
                                comment="Which council?")  # fmt: skip
    ReportingReminder.objects.create(period=y25, landscape=lake, recipient=lena, kind="overdue",
                                     sent_at=dt.datetime(2026, 2, 2, 6, tzinfo=dt.UTC))  # fmt: skip
    return y25


def rows_by_name(result):
    return {r.name: r for r in result.rows}


def test_each_landscape_counts_its_values_by_state(world, mel, reported):
    result = completeness(user=world.hana, period=reported)
    rows = rows_by_name(result)
    assert set(rows) == {"Kenya Highlands", "Lake Basin", "Border Hills"}  # none without any due
    kenya, lake, border = rows["Kenya Highlands"], rows["Lake Basin"], rows["Border Hills"]
    assert (kenya.due, kenya.missing, kenya.approved, kenya.submitted, kenya.not_applicable) == (
        2, 0, 1, 1, 1)  # fmt: skip
    assert (kenya.complete, kenya.overdue) == (True, False)
    assert kenya.last_submitted is not None
    assert (lake.missing, lake.draft, lake.returned, lake.complete, lake.overdue) == (
        0, 1, 1, False, True)  # fmt: skip
    assert lake.reminded == dt.datetime(2026, 2, 2, 6, tzinfo=dt.UTC)
    assert (border.missing, border.outstanding, border.overdue, border.last_submitted) == (
        2, 2, True, None)  # fmt: skip
    assert (result.landscapes, result.complete, result.overdue) == (3, 1, 2)
    assert (result.values_due, result.values_reported) == (6, 2)


def test_a_period_not_yet_due_is_incomplete_but_not_overdue(world, mel, reported):
    y26 = mel.periods[1]
    y26.due = dt.date.today() + dt.timedelta(days=10)
    y26.save()
    result = completeness(user=world.hana, period=y26)
    assert [r.overdue for r in result.rows] == [False, False, False]
    assert [r.missing for r in result.rows] == [2, 2, 2]


def test_filters_by_status_region_and_country(world, mel, reported):
    Landscape.objects.filter(name="Lake Basin").update(region="Americas")

    def names(**filters):
        return sorted(r.name for r in completeness(user=world.hana, period=reported,
                                                   filters=filters).rows)  # fmt: skip

    assert names(status="overdue") == ["Border Hills", "Lake Basin"]
    assert names(status="complete") == ["Kenya Highlands"]
    assert names(status="incomplete") == ["Border Hills", "Lake Basin"]
    assert names(region="Americas") == ["Lake Basin"]
    assert names(country="TZ") == ["Border Hills"]
    assert names(q="lake") == ["Lake Basin"]
    # The totals follow the place filters, not the status filter.
    result = completeness(user=world.hana, period=reported, filters={"status": "complete"})
    assert (result.complete, result.landscapes) == (1, 3)


def test_sorting(world, mel, reported):
    def order(sort):
        return [r.name for r in completeness(user=world.hana, period=reported, sort=sort).rows]

    assert order("name") == ["Border Hills", "Kenya Highlands", "Lake Basin"]
    assert order("-missing")[0] == "Border Hills"
    assert order("outstanding")[0] == "Kenya Highlands"
    # Lake Basin's value was submitted last (then returned); Border Hills never submitted.
    assert order("-submitted") == ["Lake Basin", "Kenya Highlands", "Border Hills"]
    assert order("nonsense") == order("name")


def test_only_hub_staff_and_reviewers_see_it(world, mel, reported, client_for):
    assert completeness(user=world.lena, period=reported).rows == []
    url = reverse("mel:completeness") + "?period=2025"
    assert client_for("lena").get(url).status_code == 403
    assert client_for("sofia").get(url).status_code == 200  # a designated reviewer
    assert client_for("hana").get(reverse("mel:completeness") + "?period=1999").status_code == 404


def test_the_page_shows_totals_and_links_each_row_to_its_grid(world, mel, reported, client_for):
    page = client_for("hana").get(reverse("mel:completeness"), {"period": "2025"})
    text = page.content.decode()
    assert "1 of 3 landscapes complete" in text
    assert "2 overdue" in text
    assert reverse("mel:report_grid", args=[mel.landscapes[1].slug, "2025"]) in text
    only_overdue = client_for("hana").get(reverse("mel:completeness"),
                                          {"period": "2025", "status": "overdue"},
                                          HTTP_HX_REQUEST="true")  # fmt: skip
    assert "Kenya Highlands" not in only_overdue.content.decode()
    assert "<html" not in only_overdue.content.decode()  # htmx gets the results only


def test_csv_export(world, mel, reported, client_for):
    response = client_for("hana").get(reverse("mel:completeness_export_csv"),
                                      {"period": "2025", "sort": "name"})  # fmt: skip
    assert response["Content-Disposition"] == 'attachment; filename="completeness-2025.csv"'
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Landscape,Region,Period,Due date,Indicators due,Missing,Draft")
    assert lines[1].startswith("Border Hills,Africa,2025,2026-02-01,2,2,0,0,0,0,0,no,yes,,")
    # Lake Basin's returned value was submitted once: that is its last submission.
    assert lines[3].startswith("Lake Basin,Africa,2025,2026-02-01,2,0,1,0,1,0,0,no,yes,20")
    assert lines[3].endswith(",2026-02-02T06:00:00+00:00")
    assert len(lines) == 4


def _more_landscapes(mel, n):
    for _ in range(n):
        landscape = f.LandscapeFactory()
        for indicator in (mel.trained, mel.share):
            IndicatorAssignment.objects.create(indicator=indicator, scope_kind="landscape",
                                               landscape=landscape)  # fmt: skip


def test_queries_do_not_grow_with_the_number_of_landscapes(world, mel, reported, client_for):
    client = client_for("hana")
    url = reverse("mel:completeness") + "?period=2025"
    client.get(url)  # warm the cached filter options

    def count():
        cache.clear()  # the counts are cached until the next write: measure a first visit
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    _more_landscapes(mel, 12)
    many = count()
    assert many == few
    assert "1 of 15 landscapes complete" in client.get(url).content.decode()
    # A write makes the cached counts stale at once.
    y25 = reported
    services.observation_save(actor=world.hana, assignment=mel.a[("T1", mel.landscapes[2].pk)],
                              period=y25, parts=PARTS)  # fmt: skip
    border = rows_by_name(completeness(user=world.hana, period=y25))["Border Hills"]
    assert (border.missing, border.draft) == (1, 1)
    with CaptureQueriesContext(connection) as queries:
        completeness(user=world.hana, period=reported)
    assert len(queries) <= 4
