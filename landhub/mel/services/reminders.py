"""Reminders to the people who report a landscape's values.

``send_reporting_reminders`` runs once a day (``landhub mel-send-reminders`` or the task
``send_reporting_reminders_task``). For every open period it finds each landscape with values
still to report — no value, a draft or a returned one; submitted and approved values need
nothing — and tells whoever reports them:

- **due soon**: ``LANDHUB_MEL_REMINDER_DAYS`` days (14 unless set) before the due date;
- **overdue**: once the due date has passed.

Each person gets each kind of reminder once per period and landscape: a ``ReportingReminder``
row records it, so running the command twice a day, or again after a failure, repeats
nothing. Delivery follows the person's preference for the ``mel.reporting_reminder`` kind
(in-app always; e-mail now, in the daily digest, or not at all).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from landhub.core.services import notify

from ..models import (
    IndicatorAssignment,
    Observation,
    ObservationStatus,
    ReminderKind,
    ReportingPeriod,
    ReportingReminder,
)

NOTIFICATION_KIND = "mel.reporting_reminder"
DEFAULT_REMINDER_DAYS = 14
DONE = [ObservationStatus.SUBMITTED, ObservationStatus.APPROVED]


def reminder_days() -> int:
    return int(getattr(settings, "LANDHUB_MEL_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))


def _reminder_kind(period: ReportingPeriod, today: dt.date) -> str | None:
    if today > period.due:
        return ReminderKind.OVERDUE
    if today >= period.due - dt.timedelta(days=reminder_days()):
        return ReminderKind.DUE_SOON
    return None


def pending_by_landscape(period: ReportingPeriod) -> dict[int, list[IndicatorAssignment]]:
    """The landscape assignments of ``period``'s kind whose value is not yet submitted or
    approved, by landscape id (two queries)."""
    done = Observation.objects.filter(period=period, status__in=DONE).values("assignment_id")
    assignments = (
        IndicatorAssignment.objects.filter(
            scope_kind="landscape", indicator__frequency=period.kind,
            indicator__archived_at__isnull=True, landscape__archived_at__isnull=True,
        ).exclude(pk__in=done)
        .select_related("reporter__user", "landscape")
    )  # fmt: skip
    pending: dict[int, list[IndicatorAssignment]] = defaultdict(list)
    for assignment in assignments:
        pending[assignment.landscape_id].append(assignment)
    return pending


def _reporters(pending: dict[int, list[IndicatorAssignment]]) -> dict[int, dict[int, list]]:
    """Who reports each landscape's pending values, by landscape id: ``{user id: [user, how
    many of the pending values are theirs]}``. A named reporter for the assignments that have
    one; the landscape's leaders and managers for the rest (as ``rules.reports_for``)."""
    from landhub.directory.models import LandscapeMembership, LandscapeRole

    needs_managers = {landscape_id for landscape_id, assignments in pending.items()
                      if any(a.reporter_id is None for a in assignments)}  # fmt: skip
    managers: dict[int, list] = defaultdict(list)
    today = timezone.localdate()
    memberships = (
        LandscapeMembership.objects.filter(
            landscape_id__in=needs_managers,
            role__in=[LandscapeRole.LEADER, LandscapeRole.MANAGER],
            person__user__isnull=False,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person__user")
    )
    for membership in memberships:
        managers[membership.landscape_id].append(membership.person.user)
    result: dict[int, dict[int, list]] = {}
    for landscape_id, assignments in pending.items():
        users: dict[int, list] = {}
        for assignment in assignments:
            if assignment.reporter_id is not None:
                reporters = [assignment.reporter.user] if assignment.reporter.user else []
            else:
                reporters = managers.get(landscape_id, [])
            for user in reporters:
                users.setdefault(user.pk, [user, 0])[1] += 1
        result[landscape_id] = users
    return result


def _message(kind: str, period: ReportingPeriod, landscape, count: int) -> tuple[str, str]:
    due = period.due.isoformat()
    if kind == ReminderKind.OVERDUE:
        title = _("Overdue: %(landscape)s's values for %(period)s were due on %(due)s") % {
            "landscape": landscape.name, "period": period.label, "due": due}  # fmt: skip
    else:
        title = _("Due on %(due)s: %(landscape)s's values for %(period)s") % {
            "landscape": landscape.name, "period": period.label, "due": due}  # fmt: skip
    body = ngettext(
        "%(n)d indicator still needs its value entered and submitted for review.",
        "%(n)d indicators still need their values entered and submitted for review.", count,
    ) % {"n": count}  # fmt: skip
    return title, body


def send_reporting_reminders(now: dt.datetime | None = None) -> int:
    """Send the reminders due today; returns how many people were reminded (each of them for
    one landscape and period). Safe to run any number of times a day."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    soon = today + dt.timedelta(days=reminder_days())
    sent = 0
    for period in ReportingPeriod.objects.filter(locked_at__isnull=True, due__lte=soon):
        kind = _reminder_kind(period, today)
        if kind is None:
            continue
        pending = pending_by_landscape(period)
        if not pending:
            continue
        already = set(
            ReportingReminder.objects.filter(period=period, kind=kind)
            .values_list("landscape_id", "recipient_id")
        )  # fmt: skip
        for landscape_id, users in _reporters(pending).items():
            landscape = pending[landscape_id][0].landscape
            for user, count in users.values():
                if (landscape_id, user.pk) in already or not user.is_active:
                    continue
                sent += _remind(user, kind, period, landscape, count, now)
    return sent


def _remind(user, kind, period, landscape, count, now) -> int:
    """Record the reminder, then notify, in one transaction: the unique constraint makes a
    concurrent second run skip it instead of notifying twice."""
    try:
        with transaction.atomic():
            ReportingReminder.objects.create(period=period, landscape=landscape, recipient=user,
                                             kind=kind, sent_at=now)  # fmt: skip
            title, body = _message(kind, period, landscape, count)
            url = reverse("mel:report_grid", args=[landscape.slug, period.label])
            notify(recipients=[user], kind=NOTIFICATION_KIND, title=title, body=body, url=url)
    except IntegrityError:
        return 0
    return 1
