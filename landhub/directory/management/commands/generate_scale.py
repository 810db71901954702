"""`landhub generate-scale --scale S`: deterministic synthetic data for benchmarks."""

import time

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from landhub.directory.scale import counts, generate


class Command(BaseCommand):
    help = "Fill the database with synthetic data at a scale (1 = DESIGN.md §7 figures)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=1000)
        parser.add_argument(
            "--no-index", action="store_true", help="Skip rebuilding the search index."
        )
        # Options of the function apps' own generators (e.g. MEL's --mel-observations).
        for config in apps.get_app_configs():
            if hasattr(config, "add_scale_arguments"):
                config.add_scale_arguments(parser)

    def handle(self, *args, scale, seed, no_index, **options):
        if scale <= 0 or scale > 100:
            raise CommandError("--scale must be between 0 and 100.")
        started = time.perf_counter()
        self.stdout.write(f"Generating scale {scale}: {counts(scale)}")
        try:
            generate(scale, seed=seed, report=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        # The function apps add their records (AppConfig.generate_scale), in app order.
        for config in apps.get_app_configs():
            hook = getattr(config, "generate_scale", None)
            if hook is not None:
                extra = {"options": options} if hasattr(config, "add_scale_arguments") else {}
                hook(scale=scale, seed=seed, report=self.stdout.write, **extra)
        if not no_index:
            self.stdout.write("Rebuilding the search index…")
            call_command("update_index", verbosity=0)
        took = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Done in {took:.1f} s."))
