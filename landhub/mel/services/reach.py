"""Writes of the reach figure: compute a snapshot, ask for one, schedule the nightly one.

The computation (``mel.reach``, pure geometry) runs in a background task, never in a request:
at 1,000 landscapes it takes seconds, and a page must answer in 100 ms. Three ways start it:

- **the nightly, debounced run** — any change of an engaged landscape's boundary, population,
  status, archiving or countries (``signals.py``) calls ``reach_schedule``, which enqueues one
  task for the next ``LANDHUB_MEL_REACH_HOUR`` (default 02:00 in the hub's time zone) unless
  one is already waiting. An import of a thousand landscapes then costs one computation, not a
  thousand, and the figure is never more than a day behind. We chose this over a task per
  change because the figure is a headline counted toward a ten-year goal, not a live value;
- **"recompute now"** on the page (hub staff, ``reach_request``), with a progress bar;
- **the command** ``landhub mel-compute-reach`` (now, ``--as-of DATE`` or ``--quarters-back N``),
  for cron, a new deployment or the demo.

Snapshots are never edited, only added (the series over time is the snapshots themselves), so
there is no ``version`` to be stale here; two "recompute now" clicks share one task instead.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from landhub.core.models import TaskProgress
from landhub.core.services import progress_start, progress_update

from .. import reach as method
from ..models import ReachFigure, ReachSnapshot
from ..rules import can
from ..selectors.dashboards import ENGAGED_STATUSES

__all__ = [
    "REACH_PROGRESS_KIND",
    "quarter_ends",
    "reach_compute",
    "reach_fill_quarters",
    "reach_inputs",
    "reach_request",
    "reach_schedule",
]

REACH_PROGRESS_KIND = method.PROGRESS_KIND
MAX_QUARTERS_BACK = 40  # ten years: the initiative's life and then some


def _end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` ends, in the hub's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min),
                               timezone.get_default_timezone())  # fmt: skip


def _current_inputs() -> list[method.LandscapeInput]:
    from landhub.directory.models import Landscape

    rows = (
        Landscape.objects.filter(archived_at__isnull=True, initiative_status__in=ENGAGED_STATUSES)
        .order_by("pk").values_list("pk", "name", "region", "population", "boundary")
    )  # fmt: skip
    return [method.LandscapeInput(*row) for row in rows]


def _inputs_as_of(day: dt.date) -> list[method.LandscapeInput]:
    """The engaged landscapes as they were at the end of ``day``, from their history.

    Boundary, population, status and archiving come from each landscape's latest historical
    record before the cut-off (simple-history writes one on every save). The **region** is
    today's: it follows the countries, whose changes the history does not record. A landscape
    with no historical record at all (bulk-created, e.g. by ``generate-scale``) counts with
    its current values if it was created before the cut-off. A landscape deleted by then (not
    archived: deletion is an administrator's act) does not count.
    """
    from landhub.directory.models import Landscape

    cutoff = _end_of_day(day)
    history = Landscape.history.model
    latest = (
        history.objects.filter(history_date__lt=cutoff).values("id")
        .annotate(last=Max("history_id")).values("last")
    )  # fmt: skip
    regions = dict(Landscape.objects.values_list("pk", "region"))
    inputs = []
    rows = history.objects.filter(history_id__in=latest).order_by("id").values_list(
        "id", "name", "population", "boundary", "initiative_status", "archived_at", "history_type"
    )  # fmt: skip
    for pk, name, population, boundary, status, archived_at, kind in rows:
        archived = archived_at is not None and archived_at < cutoff
        if kind == "-" or archived or status not in ENGAGED_STATUSES or pk not in regions:
            continue
        inputs.append(method.LandscapeInput(pk, name, regions[pk], population, boundary))
    untracked = (
        Landscape.objects.filter(created_at__lt=cutoff, initiative_status__in=ENGAGED_STATUSES)
        .exclude(archived_at__lt=cutoff).exclude(pk__in=history.objects.values("id"))
        .order_by("pk").values_list("pk", "name", "region", "population", "boundary")
    )  # fmt: skip
    inputs.extend(method.LandscapeInput(*row) for row in untracked)
    return inputs


def reach_inputs(*, as_of: dt.date | None = None) -> list[method.LandscapeInput]:
    """The engaged landscapes the method counts: today's, or as they were on ``as_of``."""
    return _current_inputs() if as_of is None else _inputs_as_of(as_of)


def _check_as_of(as_of, today: dt.date) -> dt.date | None:
    if as_of is None:
        return None
    if isinstance(as_of, str):
        try:
            as_of = dt.date.fromisoformat(as_of.strip())
        except ValueError as exc:
            raise ValidationError(
                {"as_of": _("Give the date as YYYY-MM-DD, for example 2025-12-31.")}
            ) from exc
    if isinstance(as_of, dt.datetime) or not isinstance(as_of, dt.date):
        raise ValidationError({"as_of": _("Give the date as YYYY-MM-DD, for example 2025-12-31.")})
    if as_of > today:
        raise ValidationError({"as_of": _("The people reached cannot be counted for a future "
                                          "date.")})  # fmt: skip
    return None if as_of == today else as_of


def reach_compute(
    *, actor=None, as_of: dt.date | str | None = None, progress_id: int | None = None,
    report: Callable[[str], None] | None = None,
) -> ReachSnapshot:  # fmt: skip
    """Count the people reached (today, or ``as_of`` a past date) and keep the snapshot.

    ``actor`` is ``None`` for the task and the command (the system); a person must be hub
    staff (``mel.manage``). ``progress_id`` is a ``core.TaskProgress`` the page watches.
    """
    if actor is not None and not can(actor, "mel.manage"):
        raise PermissionDenied(_("Only hub staff compute the people reached."))
    today = timezone.localdate()
    as_of = _check_as_of(as_of, today)
    started = time.perf_counter()
    if progress_id:
        progress_update(progress_id, status=TaskProgress.Status.RUNNING,
                        message=_("Reading the engaged landscapes…"))  # fmt: skip
    try:
        inputs = reach_inputs(as_of=as_of)
        regions = sorted({i.region for i in inputs if i.region})
        if progress_id:
            progress_update(progress_id, total=len(regions) + 1,
                            message=_("Counting the people where landscapes overlap…"))  # fmt: skip
        shapes = method.read_shapes(inputs)  # each boundary read once for every place
        results = {"": method.compute(inputs, shapes=shapes)}
        for done, region in enumerate(regions, start=1):
            if progress_id:
                progress_update(progress_id, done=done)
            results[region] = method.compute([i for i in inputs if i.region == region], top=0,
                                             shapes=shapes)  # fmt: skip
        seconds = time.perf_counter() - started
        with transaction.atomic():
            snapshot = ReachSnapshot.objects.create(
                computed_at=timezone.now(), as_of=as_of or today, from_history=as_of is not None,
                method_version=method.METHOD_VERSION, seconds=round(seconds, 3),
                overlaps=[pair.as_dict() for pair in results[""].pairs],
            )  # fmt: skip
            ReachFigure.objects.bulk_create([
                ReachFigure(
                    snapshot=snapshot, region=region, landscapes=r.landscapes,
                    recorded=r.recorded, reached=r.reached, overlap_removed=r.overlap_removed,
                    overlapping_landscapes=r.overlapping_landscapes,
                    without_polygon=r.without_polygon, without_population=r.without_population,
                ) for region, r in results.items()
            ])  # fmt: skip
    except Exception as exc:
        if progress_id:
            progress_update(progress_id, status=TaskProgress.Status.FAILED,
                            message=_("The computation failed: %(error)s") % {
                                "error": str(exc)[:300]})  # fmt: skip
        raise
    total = results[""]
    if progress_id:
        progress_update(
            progress_id, status=TaskProgress.Status.SUCCEEDED, done=len(regions) + 1,
            message=_("%(reached)s people reached, counted once.") % {
                "reached": f"{total.reached:,}"},
            result={"snapshot": snapshot.pk, "reached": total.reached},
        )  # fmt: skip
    if report:
        report(f"{snapshot.as_of}: {total.reached:,} people reached "
               f"({total.recorded:,} recorded, {total.overlap_removed:,} counted twice removed; "
               f"{total.landscapes:,} landscapes) in {seconds:.2f} s")  # fmt: skip
    return snapshot


def reach_request(*, actor) -> TaskProgress:
    """The "recompute now" button: enqueue the task after the commit and return its
    progress. A request while one is still queued or running returns that one instead of
    starting a second."""
    if not can(actor, "mel.manage"):
        raise PermissionDenied(_("Only hub staff compute the people reached."))
    waiting = TaskProgress.objects.filter(
        kind=REACH_PROGRESS_KIND,
        status__in=[TaskProgress.Status.QUEUED, TaskProgress.Status.RUNNING],
        created_at__gte=timezone.now() - dt.timedelta(hours=1),  # older ones died with a worker
    ).first()
    if waiting is not None:
        return waiting
    progress = progress_start(owner=actor, kind=REACH_PROGRESS_KIND,
                              label=_("Counting the people reached"))  # fmt: skip
    from ..tasks import compute_reach_task

    transaction.on_commit(lambda: compute_reach_task.enqueue(progress_id=progress.pk))
    return progress


def next_nightly_run(now: dt.datetime | None = None) -> dt.datetime:
    """The next ``LANDHUB_MEL_REACH_HOUR`` o'clock (default 2) in the hub's time zone."""
    now = timezone.localtime(now)
    hour = int(getattr(settings, "LANDHUB_MEL_REACH_HOUR", 2))
    run = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return run if run > now else run + dt.timedelta(days=1)


def reach_schedule(*, now: dt.datetime | None = None) -> dt.datetime | None:
    """Enqueue the nightly computation after the commit, once: returns its time, or ``None``
    when one is already waiting for that night.

    ``cache.add`` is the "once": atomic on a shared cache (Redis); with the per-process memory
    cache each process may enqueue one, which is still a handful a night, and the series takes
    the latest snapshot of each day. A backend that cannot defer (the test settings' immediate
    one) runs it after the commit.
    """
    from ..tasks import compute_reach_task

    run_at = next_nightly_run(now)
    seconds = int((run_at - timezone.now()).total_seconds()) + 60
    if not cache.add(f"mel:reach-scheduled:{run_at.isoformat()}", True, timeout=max(seconds, 60)):
        return None
    task = compute_reach_task
    if task.get_backend().supports_defer:
        task = task.using(run_after=run_at)
    transaction.on_commit(lambda: task.enqueue())
    return run_at


def quarter_ends(*, back: int, today: dt.date | None = None) -> list[dt.date]:
    """The last ``back`` quarter-ends before ``today``, oldest first."""
    today = today or timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3  # quarters finished this year
    ends: list[dt.date] = []
    while len(ends) < back:
        if quarter == 0:
            year, quarter = year - 1, 4
        month = quarter * 3
        end = dt.date(year, month, 31 if month in (3, 12) else 30)
        if end < today:
            ends.append(end)
        quarter -= 1
    return sorted(ends)


def reach_fill_quarters(
    *, actor=None, quarters_back: int, report: Callable[[str], None] | None = None
) -> list[ReachSnapshot]:
    """Snapshots as of the last ``quarters_back`` quarter-ends, from the landscapes' history
    (a new deployment, or the demo, fills its chart this way)."""
    if isinstance(quarters_back, bool) or not isinstance(quarters_back, int):
        raise ValidationError({"quarters_back": _("Give a whole number of quarters.")})
    if not 1 <= quarters_back <= MAX_QUARTERS_BACK:
        raise ValidationError({"quarters_back": _("Give between 1 and %(max)d quarters.")
                               % {"max": MAX_QUARTERS_BACK}})  # fmt: skip
    return [reach_compute(actor=actor, as_of=day, report=report)
            for day in quarter_ends(back=quarters_back)]  # fmt: skip
