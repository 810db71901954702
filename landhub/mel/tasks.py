"""Background tasks of the MEL app (django-tasks, database backend)."""

from django_tasks import task


@task()
def send_reporting_reminders_task() -> int:
    """The daily reminders to those who report (``services.reminders``)."""
    from .services.reminders import send_reporting_reminders

    return send_reporting_reminders()


@task()
def recompute_landscapes_task(landscape_ids: list[int]) -> int:
    """Roll-ups of landscapes whose countries changed (``signals.py``)."""
    from .rollups import recompute_landscapes

    return recompute_landscapes(landscape_ids)


@task()
def compute_reach_task(progress_id: int | None = None, as_of: str | None = None) -> dict:
    """The people reached, counted once where landscapes overlap (``services/reach.py``):
    nightly after a landscape changed, or "recompute now" with a progress bar."""
    from .services.reach import reach_compute

    snapshot = reach_compute(progress_id=progress_id, as_of=as_of)
    return {"snapshot": snapshot.pk, "as_of": snapshot.as_of.isoformat()}
