"""Background tasks of the directory (run by `landhub worker`)."""

from django_tasks import task

from .imports import run_import


@task()
def import_file_task(progress_id: int, kind: str, path: str, boundaries_path: str = "") -> dict:
    return run_import(
        progress_id=progress_id, kind=kind, path=path, boundaries_path=boundaries_path
    )
