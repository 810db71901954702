"""`landhub totp-code <email or persona>`: the current TOTP code of a demo/dev account.

For development and the browser tests only: it refuses when DEBUG is off.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from landhub.core.testing import totp_code


class Command(BaseCommand):
    help = "Print the current two-factor code of an account (development only)."

    def add_arguments(self, parser):
        parser.add_argument("who")

    def handle(self, *args, who, **options):
        if not settings.DEBUG:
            raise CommandError("Only available with LANDHUB_DEBUG=1.")
        email = who if "@" in who else f"{who}@demo.landhub.org"
        user = get_user_model().objects.filter(email=email).first()
        if user is None:
            raise CommandError(f"No account {email}.")
        self.stdout.write(totp_code(user))
