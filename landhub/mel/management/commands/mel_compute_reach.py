"""`landhub mel-compute-reach`: count the people reached now, as of a past date, or at each of
the last quarter-ends (from the landscapes' history; see ``services/reach.py``)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from landhub.mel.services.reach import MAX_QUARTERS_BACK, reach_compute, reach_fill_quarters


class Command(BaseCommand):
    help = (
        "Count the people living in engaged landscapes, once where landscapes overlap, and keep "
        "the figures (the whole initiative and each region) as a new snapshot. Runs now, in "
        "this process; the page's button and the nightly run use the background task instead."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--as-of", metavar="YYYY-MM-DD",
                           help="The landscapes as they were at the end of that day.")  # fmt: skip
        group.add_argument("--quarters-back", type=int, metavar="N",
                           help=f"One snapshot at each of the last N quarter-ends "
                                f"(1–{MAX_QUARTERS_BACK}).")  # fmt: skip

    def handle(self, *args, as_of=None, quarters_back=None, **options):
        report = lambda line: self.stdout.write(f"  {line}")  # noqa: E731
        try:
            if quarters_back is not None:
                snapshots = reach_fill_quarters(quarters_back=quarters_back, report=report)
            else:
                snapshots = [reach_compute(as_of=as_of, report=report)]
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        seconds = sum(s.seconds for s in snapshots)
        self.stdout.write(f"{len(snapshots)} snapshot(s) in {seconds:.1f} s")
