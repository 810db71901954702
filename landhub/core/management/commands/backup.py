"""`landhub backup [--output FILE]`: database + media + manifest in one archive."""

from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from landhub.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Write a backup archive (database, media, manifest with counts and checksums)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Archive path (default: var/backups/<time>.tar.gz)")

    def handle(self, *args, output=None, **options):
        if not output:
            folder = Path(settings.VAR_DIR) / "backups"
            folder.mkdir(parents=True, exist_ok=True)
            output = folder / f"landhub-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.tar.gz"
        try:
            manifest = create_backup(Path(output))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        self.stdout.write(self.style.SUCCESS(
            f"Backup written to {output}: {len(manifest['counts'])} tables, {rows:,} rows, "
            f"{len(manifest['files']) - 1} media files."
        ))  # fmt: skip
