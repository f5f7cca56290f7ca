"""`yichuang send-pending-reminders`: remind applicants whose pending materials are due
soon (run daily, e.g. from cron or a systemd timer). Each commitment is reminded once."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from yichuang.common import clock
from yichuang.notifications.services import pending_reminders_send


class Command(BaseCommand):
    help = "提醒容缺材料补交期限将到的申请人（每项承诺只提醒一次）"

    def handle(self, *args, **options) -> None:
        count = pending_reminders_send(today=clock.today())
        self.stdout.write(f"reminders sent: {count}")
