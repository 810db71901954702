"""`landhub mel-rebuild-rollups`: recompute every roll-up from the approved observations."""

import time

from django.core.management.base import BaseCommand

from landhub.mel.rollups import rebuild


class Command(BaseCommand):
    help = (
        "Recompute the MEL roll-ups of every indicator from its approved observations, "
        "with the same code the approvals use (so the numbers are exactly the same)."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        written = rebuild(report=lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(f"{written:,} roll-up rows in {time.perf_counter() - started:.1f} s")
