"""`landhub seed-demo [--if-empty]`: load the demo hub (see directory/demo.py)."""

from django.apps import apps
from django.core.management.base import BaseCommand

from landhub.directory.demo import demo_exists, seed_demo


class Command(BaseCommand):
    help = "Load the demo hub: core partners, organizations, 12 landscapes, people, personas."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when demo landscapes exist."
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and demo_exists():
            self.stdout.write("The demo data is already loaded.")
            return
        seed_demo(stdout=self.stdout)
        # The function apps add their demo records (AppConfig.seed_demo), in app order.
        for config in apps.get_app_configs():
            hook = getattr(config, "seed_demo", None)
            if hook is not None:
                hook(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS("Demo data loaded. `landhub demo-logins` lists the sign-ins.")
        )
