from django.core.management.base import BaseCommand

from landhub.core.services import send_daily_digests


class Command(BaseCommand):
    help = "E-mail the daily digest to every user who chose it (run once a day, e.g. from cron)."

    def handle(self, *args, **options):
        sent = send_daily_digests()
        self.stdout.write(f"Sent {sent} digest e-mail(s).")
