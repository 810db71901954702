"""Background tasks of the core app."""

from django_tasks import task

from . import services


@task()
def send_daily_digests_task() -> int:
    return services.send_daily_digests()
