"""Reporting periods: a year's series with computed due dates, refusals, due-date changes with
versions and history, locking; the pages hub staff use."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from landhub.core.exceptions import ConflictError
from landhub.core.history import history_entries
from landhub.mel import services
from landhub.mel.models import ReportingPeriod


def test_the_four_quarters_of_a_year_are_due_the_chosen_days_after_they_end(world):
    made = services.period_series_create(actor=world.hana, kind="quarter", year=2027,
                                         due_after_days=45)  # fmt: skip
    assert [(p.label, p.start, p.end, p.due) for p in made] == [
        ("2027-Q1", dt.date(2027, 1, 1), dt.date(2027, 3, 31), dt.date(2027, 5, 15)),
        ("2027-Q2", dt.date(2027, 4, 1), dt.date(2027, 6, 30), dt.date(2027, 8, 14)),
        ("2027-Q3", dt.date(2027, 7, 1), dt.date(2027, 9, 30), dt.date(2027, 11, 14)),
        ("2027-Q4", dt.date(2027, 10, 1), dt.date(2027, 12, 31), dt.date(2028, 2, 14)),
    ]


def test_twelve_months_a_year_and_a_single_month(world):
    months = services.period_series_create(actor=world.hana, kind="month", year=2028)
    assert [p.label for p in months][:3] == ["2028-01", "2028-02", "2028-03"]
    assert len(months) == 12
    assert months[1].end == dt.date(2028, 2, 29)  # a leap year
    assert months[1].due == dt.date(2028, 3, 30)  # 30 days after, by default
    (year,) = services.period_series_create(actor=world.hana, kind="year", year=2028,
                                            due_after_days=0)  # fmt: skip
    assert (year.label, year.due) == ("2028", dt.date(2028, 12, 31))
    (june,) = services.period_series_create(actor=world.hana, kind="month", year=2029, number=6)
    assert (june.label, june.start, june.end) == ("2029-06", dt.date(2029, 6, 1),
                                                  dt.date(2029, 6, 30))  # fmt: skip


def test_a_series_leaves_existing_periods_alone_and_says_when_all_exist(world):
    services.period_series_create(actor=world.hana, kind="quarter", year=2027, number=2)
    made = services.period_series_create(actor=world.hana, kind="quarter", year=2027)
    assert [p.label for p in made] == ["2027-Q1", "2027-Q3", "2027-Q4"]
    with pytest.raises(ValidationError, match="exist already"):
        services.period_series_create(actor=world.hana, kind="quarter", year=2027)


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"year": 1850}, "year", "from 2000 to 2100"),
        ({"due_after_days": -3}, "due_after_days", "from 0 to 366"),
        ({"kind": "decade"}, "kind", "a year, a quarter or a month"),
        ({"number": 5}, "number", "4 parts"),
    ],
)  # fmt: skip
def test_a_series_refuses_bad_input_with_a_message(world, kwargs, field, message):
    args = {"kind": "quarter", "year": 2027, "due_after_days": 30, **kwargs}
    with pytest.raises(ValidationError) as exc:
        services.period_series_create(actor=world.hana, **args)
    assert message in " ".join(exc.value.message_dict[field])


def test_one_period_refuses_an_end_before_its_start_a_taken_label_and_an_overlap(world):
    services.period_create(actor=world.hana, kind="year", label="2030", start=dt.date(2030, 1, 1),
                           end=dt.date(2030, 12, 31), due=dt.date(2031, 1, 31))  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.period_create(actor=world.hana, kind="year", label="X", start=dt.date(2031, 5, 1),
                               end=dt.date(2031, 1, 1), due=dt.date(2031, 6, 1))  # fmt: skip
    assert exc.value.message_dict["end"] == ["The period ends before it starts."]
    with pytest.raises(ValidationError) as exc:
        services.period_create(actor=world.hana, kind="year", label="2030",
                               start=dt.date(2040, 1, 1), end=dt.date(2040, 12, 31),
                               due=dt.date(2041, 1, 31))  # fmt: skip
    assert exc.value.message_dict["label"] == ["A period labelled 2030 already exists."]
    with pytest.raises(ValidationError) as exc:
        services.period_create(actor=world.hana, kind="year", label="FY2030",
                               start=dt.date(2030, 7, 1), end=dt.date(2031, 6, 30),
                               due=dt.date(2031, 8, 1))  # fmt: skip
    assert "overlaps 2030" in exc.value.message_dict["start"][0]
    # A quarter inside the year is another kind: no overlap.
    services.period_series_create(actor=world.hana, kind="quarter", year=2030, number=1)


def test_only_hub_staff_manage_periods(world):
    with pytest.raises(PermissionDenied):
        services.period_series_create(actor=world.lena, kind="year", year=2027)
    period = services.period_series_create(actor=world.hana, kind="year", year=2027)[0]
    with pytest.raises(PermissionDenied):
        services.period_set_due(actor=world.lena, period=period, due=dt.date(2028, 3, 1),
                                version=period.version)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.period_lock(actor=world.pablo, period=period)


def test_a_due_date_change_needs_the_current_version_and_is_in_the_history(world):
    period = services.period_series_create(actor=world.hana, kind="year", year=2027)[0]
    stale = period.version
    services.period_set_due(actor=world.hana, period=period, due=dt.date(2028, 3, 15),
                            version=stale)  # fmt: skip
    with pytest.raises(ConflictError):
        services.period_set_due(actor=world.hana, period=ReportingPeriod.objects.get(pk=period.pk),
                                due=dt.date(2028, 4, 1), version=stale)  # fmt: skip
    with pytest.raises(ValidationError, match="before the period starts"):
        services.period_set_due(actor=world.hana, period=period, due=dt.date(2026, 1, 1),
                                version=None)  # fmt: skip
    changes = [(c.label, c.old, c.new) for e in history_entries(period) for c in e.changes]
    assert ("Due", "2028-01-30", "2028-03-15") in changes
    assert ReportingPeriod.objects.get(pk=period.pk).due == dt.date(2028, 3, 15)


def test_lock_and_open_again(world):
    period = services.period_series_create(actor=world.hana, kind="year", year=2027)[0]
    services.period_lock(actor=world.hana, period=period)
    assert ReportingPeriod.objects.get(pk=period.pk).is_locked
    services.period_lock(actor=world.hana, period=period, locked=False)
    assert not ReportingPeriod.objects.get(pk=period.pk).is_locked
    assert [e.who for e in history_entries(period)][:2] == ["Hana", "Hana"]


# --- Pages -----------------------------------------------------------------------------------


def test_hub_staff_create_a_series_from_the_page_and_see_it_listed(world, client_for):
    client = client_for("hana")
    response = client.post(reverse("mel:period_create"),
                           {"kind": "month", "year": "2027", "number": "", "due_after_days": "20"},
                           follow=True)  # fmt: skip
    assert "Periods created: 2027-01, 2027-02" in response.content.decode()
    assert ReportingPeriod.objects.filter(kind="month", start__year=2027).count() == 12
    page = client.get(reverse("mel:period_list"), {"kind": "month", "year": "2027"}).content
    assert b"2027-12" in page and b"36 periods" not in page and b"12 periods" in page
    # One month chosen from the same select.
    client.post(reverse("mel:period_create"),
                {"kind": "month", "year": "2026", "number": "111",
                 "due_after_days": "20"})  # fmt: skip
    assert ReportingPeriod.objects.filter(label="2026-11").exists()


def test_the_form_shows_what_is_wrong(world, client_for):
    client = client_for("hana")
    response = client.post(reverse("mel:period_create"),
                           {"kind": "quarter", "year": "2027", "number": "105",
                            "due_after_days": "900"})  # fmt: skip
    assert response.status_code == 400
    text = response.content.decode()
    assert "Choose a quarter for quarters, a month for months." in text
    assert "less than or equal to 366" in text


def test_changing_a_due_date_and_locking_from_the_page(world, client_for, mel):
    client = client_for("hana")
    period = mel.periods[1]
    url = reverse("mel:period_edit", args=[period.label])
    response = client.post(url, {"due": "2027-03-01", "version": period.version}, follow=True)
    assert "Due date changed." in response.content.decode()
    stale = client.post(url, {"due": "2027-04-01", "version": period.version})
    assert stale.status_code == 409
    client.post(reverse("mel:period_lock", args=[period.label]), {"action": "lock"})
    grid = client.get(reverse("mel:report_grid", args=[world.landscape.slug, period.label]))
    assert "This period is locked" in grid.content.decode()
    listing = client.get(reverse("mel:period_list"), {"state": "locked"}).content.decode()
    assert "2026" in listing and "1 period" in listing
