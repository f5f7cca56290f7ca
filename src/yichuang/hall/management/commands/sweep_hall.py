"""`yichuang sweep-hall`: the hall's daily run (cron, after midnight).

Booked appointments whose slot has ended become no-shows (爽约, which count towards the
booking suspension), and tickets of earlier days still waiting expire (当日未叫号), closing
windows' sessions left open. Idempotent: a second run changes nothing.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from yichuang.common import clock
from yichuang.hall.services.appointments import appointments_mark_no_shows
from yichuang.hall.services.calling import tickets_expire


class Command(BaseCommand):
    help = "Mark appointment no-shows and expire earlier days' waiting tickets."

    def handle(self, *args, **options):
        now = clock.now()
        no_shows = appointments_mark_no_shows(now=now)
        expired = tickets_expire(before=clock.today())
        self.stdout.write(
            _("大厅日结完成：爽约预约 %(no_shows)s 个，过期未叫号 %(expired)s 个")
            % {"no_shows": no_shows, "expired": expired}
        )
