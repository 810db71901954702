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
