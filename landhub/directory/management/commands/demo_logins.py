"""`landhub demo-logins`: print the demo accounts, one per persona, and how to sign in."""

from django.apps import apps
from django.core.management.base import BaseCommand

from landhub.directory.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, PERSONAS


class Command(BaseCommand):
    help = "Print the demo sign-ins (one account per persona)."

    def handle(self, *args, **options):
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD})")
        for key, name, role in PERSONAS:
            email = f"{key}@demo.landhub.org"
            self.stdout.write(f"  {email:<24} {name:<16} {role}")
        # Accounts the function apps' demos add (AppConfig.demo_logins: (e-mail, name, role)).
        for config in apps.get_app_configs():
            for email, name, role in getattr(config, "demo_logins", list)():
                self.stdout.write(f"  {email:<24} {name:<16} {role}")
        self.stdout.write(
            "Hub staff (hana) also needs a two-factor code: add the secret "
            f"{DEMO_TOTP_SECRET} to an authenticator app (or `landhub totp-code hana`)."
        )
