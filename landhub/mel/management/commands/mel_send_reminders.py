from django.core.management.base import BaseCommand

from landhub.mel.services.reminders import send_reporting_reminders


class Command(BaseCommand):
    help = (
        "Remind those who report MEL values of what is due soon or overdue; each reminder goes "
        "once per person, period and landscape (run once a day, e.g. from cron)."
    )

    def handle(self, *args, **options):
        sent = send_reporting_reminders()
        self.stdout.write(f"Sent {sent} reporting reminder(s).")
