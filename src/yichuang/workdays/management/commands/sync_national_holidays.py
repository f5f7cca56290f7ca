"""`yichuang sync-national-holidays`: add the years a newer `chinesecalendar` knows."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from yichuang.workdays.national import PACKAGE_VERSION
from yichuang.workdays.services import calendar_national_sync


class Command(BaseCommand):
    help = "从 chinesecalendar 数据包补充尚未录入的年度（已录入的年度不变）"

    def handle(self, *args, **options) -> None:
        years = calendar_national_sync()
        if years:
            listed = "、".join(str(year) for year in years)
            self.stdout.write(
                self.style.SUCCESS(
                    _("已从 chinesecalendar %(version)s 补充：%(years)s")
                    % {"version": PACKAGE_VERSION, "years": listed}
                )
            )
        else:
            self.stdout.write(_("chinesecalendar %s 没有新的年度。") % PACKAGE_VERSION)
