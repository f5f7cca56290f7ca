"""`yichuang sweep-cases`: apply the deadlines that change a case by themselves.

Run it once a day (cron or a systemd timer), after midnight. It is idempotent: running it
twice, or on two machines at once, acts once. Warning lights need no sweep; they are
computed whenever they are shown.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yichuang.cases.services.pending import cases_sweep
from yichuang.common import clock
from yichuang.notifications.services import pending_reminders_send


class Command(BaseCommand):
    help = "Apply case deadlines: pending materials overdue, returns, deemed consent, reminders."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to sweep for (YYYY-MM-DD; default today)")

    def handle(self, *args, **options):
        today = clock.today()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(_("日期格式应为 YYYY-MM-DD")) from error
        counts = cases_sweep(today=today)
        counts["pending_reminders"] = pending_reminders_send(today=today)
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
