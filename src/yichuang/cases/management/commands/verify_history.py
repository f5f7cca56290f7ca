"""`yichuang verify-history`: check every case's hash chain; exit 1 if any is broken."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yichuang.cases.history import histories_verify

PROBLEMS = {
    "missing": _("事件缺失"),
    "altered": _("事件内容被修改"),
    "broken_link": _("与前一事件的链接不符"),
    "head_mismatch": _("链头与最后事件不符"),
}


class Command(BaseCommand):
    help = "校验每个办件的历史哈希链，列出被篡改的办件"

    def handle(self, *args, **options) -> None:
        broken = 0
        for item in histories_verify():
            broken += 1
            self.stdout.write(
                gettext("%(number)s：自第 %(seq)d 个事件起不一致（%(problem)s）")
                % {"number": item.number, "seq": item.seq, "problem": PROBLEMS[item.problem]}
            )
        if broken:
            self.stdout.write(gettext("发现 %(count)d 个办件的历史被破坏") % {"count": broken})
            sys.exit(1)
        self.stdout.write(gettext("全部办件历史完好"))
