"""`landhub restore ARCHIVE`: bring a backup back into an empty database and verify it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from landhub.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and check every table's row count."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        if not Path(archive).is_file():
            raise CommandError(f"No such file: {archive}")
        try:
            manifest = restore_backup(Path(archive))
        except BackupError as exc:
            raise CommandError(f"Nothing was restored: {exc}") from exc
        rows = sum(manifest["counts"].values())
        self.stdout.write(self.style.SUCCESS(
            f"Restored the backup of {manifest['created_at']}: {len(manifest['counts'])} tables, "
            f"{rows:,} rows, all counts verified."
        ))  # fmt: skip
