"""``landhub governance-reminders``: the governance app's daily round (cron / systemd timer).

Reminds action owners of what is due soon and, once, of what is overdue
(``services.actions_remind``), closes votes whose time is up and reminds voters of a vote
closing within a day (``services.votes_close_due``). Each reminder goes once per state, so
running it twice a day does no harm.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from landhub.governance import services


class Command(BaseCommand):
    help = (
        "Remind action owners of actions due soon and overdue, close votes whose time is up and "
        "remind voters of votes closing soon (run once a day, e.g. from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="run as on this day (YYYY-MM-DD), for catching up")

    def handle(self, *args, **options):
        today = None
        if options.get("today"):
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("--today takes a date as YYYY-MM-DD.") from exc
        soon, overdue = services.actions_remind(today=today)
        self.stdout.write(f"Action items: {soon} reminder(s) of actions due soon, "
                          f"{overdue} of overdue actions.")  # fmt: skip
        closed, reminded = services.votes_close_due()
        self.stdout.write(f"Votes: {closed} closed, {reminded} reminder(s) of votes closing soon.")
