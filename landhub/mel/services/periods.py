"""Writes of reporting periods: create one or a year's series, change a due date, lock.

A period is a year (label ``2027``), a quarter (``2027-Q1``) or a month (``2027-03``). Its due
date is computed as a number of days after the period ends, and hub staff may move it later;
due-date changes and locks are kept in the period's history. Periods of the same kind never
overlap, so a value always has exactly one period to go to.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from landhub.core.versioning import save_versioned

from ..models import PeriodKind, ReportingPeriod
from ..rules import can

DEFAULT_DUE_AFTER_DAYS = 30
MAX_DUE_AFTER_DAYS = 366
FIRST_YEAR, LAST_YEAR = 2000, 2100
PARTS = {PeriodKind.YEAR: 1, PeriodKind.QUARTER: 4, PeriodKind.MONTH: 12}


def _may_manage(actor) -> None:
    if not can(actor, "mel.manage"):
        raise PermissionDenied(_("Only hub staff manage reporting periods."))


def period_bounds(kind: str, year: int, number: int = 1) -> tuple[str, dt.date, dt.date]:
    """``(label, start, end)`` of the ``number``-th quarter or month of ``year`` (or the year)."""
    if kind == PeriodKind.YEAR:
        return str(year), dt.date(year, 1, 1), dt.date(year, 12, 31)
    if kind == PeriodKind.QUARTER:
        first_month = 3 * (number - 1) + 1
        last_month = first_month + 2
        end = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
        return f"{year}-Q{number}", dt.date(year, first_month, 1), end
    end = dt.date(year, number, calendar.monthrange(year, number)[1])
    return f"{year}-{number:02d}", dt.date(year, number, 1), end


def _check_period(period: ReportingPeriod) -> None:
    """Field messages for a period about to be created: order of dates, a free label, no
    overlap with a period of the same kind."""
    errors: dict[str, list[str]] = {}
    if period.kind not in PeriodKind.values:
        errors["kind"] = [_("Choose a year, a quarter or a month.")]
    if period.start and period.end and period.end < period.start:
        errors["end"] = [_("The period ends before it starts.")]
    if period.due and period.end and period.due < period.start:
        errors["due"] = [_("The due date comes before the period starts.")]
    if not (period.label or "").strip():
        errors["label"] = [_("Give the period a label, such as 2027 or 2027-Q1.")]
    elif ReportingPeriod.objects.filter(label=period.label).exists():
        errors["label"] = [_("A period labelled %(label)s already exists.")
                           % {"label": period.label}]  # fmt: skip
    if not errors:
        overlapping = (
            ReportingPeriod.objects.filter(kind=period.kind, start__lte=period.end,
                                           end__gte=period.start)
            .values_list("label", flat=True).first()
        )  # fmt: skip
        if overlapping:
            errors["start"] = [_("It overlaps %(label)s, a period of the same kind.")
                               % {"label": overlapping}]  # fmt: skip
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def period_create(
    *, actor, kind: str, label: str, start: dt.date, end: dt.date, due: dt.date
) -> ReportingPeriod:
    """Create one period with any bounds (the page makes standard ones with
    ``period_series_create``)."""
    _may_manage(actor)
    period = ReportingPeriod(kind=kind, label=(label or "").strip()[:20], start=start, end=end,
                             due=due)  # fmt: skip
    _check_period(period)
    period._history_user = actor
    period.save()
    return period


def _due_after(end: dt.date, due_after_days) -> dt.date:
    return end + dt.timedelta(days=int(due_after_days))


@transaction.atomic
def period_series_create(
    *, actor, kind: str, year: int, number: int | None = None,
    due_after_days: int = DEFAULT_DUE_AFTER_DAYS,
) -> list[ReportingPeriod]:  # fmt: skip
    """Create the year, its four quarters or its twelve months (or only the ``number``-th),
    each due ``due_after_days`` after it ends. Those that exist already are left as they are;
    if every one exists, nothing is created and the message says so."""
    _may_manage(actor)
    errors: dict[str, list[str]] = {}
    if kind not in PARTS:
        errors["kind"] = [_("Choose a year, a quarter or a month.")]
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = [_("Enter a year from %(first)d to %(last)d.")
                          % {"first": FIRST_YEAR, "last": LAST_YEAR}]  # fmt: skip
    if not isinstance(due_after_days, int) or not 0 <= due_after_days <= MAX_DUE_AFTER_DAYS:
        errors["due_after_days"] = [_("Enter a number of days from 0 to %(max)d.")
                                    % {"max": MAX_DUE_AFTER_DAYS}]  # fmt: skip
    if kind in PARTS and number is not None and not 1 <= number <= PARTS[kind]:
        errors["number"] = [_("Choose one of the %(n)d parts of the year, or the whole series.")
                            % {"n": PARTS[kind]}]  # fmt: skip
    if errors:
        raise ValidationError(errors)
    numbers = [number] if number is not None and kind != PeriodKind.YEAR else range(
        1, PARTS[kind] + 1)  # fmt: skip
    created = []
    existing = set(ReportingPeriod.objects.values_list("label", flat=True))
    for n in numbers:
        label, start, end = period_bounds(kind, year, n)
        if label in existing:
            continue
        created.append(period_create(actor=actor, kind=kind, label=label, start=start, end=end,
                                     due=_due_after(end, due_after_days)))  # fmt: skip
    if not created:
        raise ValidationError({"year": [_("These periods exist already.")]})
    return created


@transaction.atomic
def period_set_due(*, actor, period: ReportingPeriod, due: dt.date,
                   version: int | None) -> ReportingPeriod:  # fmt: skip
    """Move a period's due date (reminders follow the new date)."""
    _may_manage(actor)
    if due is None:
        raise ValidationError({"due": [_("Enter a date.")]})
    if due < period.start:
        raise ValidationError({"due": [_("The due date comes before the period starts.")]})
    period.due = due
    period._history_user = actor
    # Only the due date is written: a caller's stale copy never overwrites other fields.
    save_versioned(period, expected_version=version, update_fields=["due"])
    return period


@transaction.atomic
def period_lock(*, actor, period: ReportingPeriod, locked: bool = True,
                version: int | None = None) -> ReportingPeriod:  # fmt: skip
    """Lock a period (no value changes any more) or open it again."""
    _may_manage(actor)
    period.locked_at = timezone.now() if locked else None
    period._history_user = actor
    save_versioned(period, expected_version=version, update_fields=["locked_at"])
    return period
