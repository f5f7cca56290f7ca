"""`yichuang seed-demo`: load the demo county centre (demo installs only).

It creates logins with a published password, so it refuses to run unless the install is a
demo (YICHUANG_DEMO=1, i.e. settings.DEMO) or --force is given.
"""

from __future__ import annotations

import time
import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yichuang.common.errors import DomainError
from yichuang.demo import data
from yichuang.demo.appointments import (
    DEMO_KIOSK_TOKEN,
    demo_appointments_seed,
    demo_kiosk_seed,
)
from yichuang.demo.cases import demo_cases_seed
from yichuang.demo.hall import demo_hall_seed
from yichuang.demo.services import demo_seed

KIND_LABELS = {
    "centre": "服务中心",
    "department": "部门",
    "window": "窗口",
    "login": "登录账号",
    "applicant": "申请人",
    "item": "政务服务事项",
    "bundle": "一件事",
    "queue": "排队队列",
}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    """A plain-text table that lines up Chinese (double-width) characters."""
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)

    def render(row: tuple[str, ...]) -> str:
        return "  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip()

    return "\n".join([render(header), line, *(render(r) for r in rows)])


class Command(BaseCommand):
    help = "加载演示数据：巴林左旗政务服务中心（仅限演示环境，可重复运行）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="在非演示环境（未设置 YICHUANG_DEMO=1）中仍然加载演示数据与演示账号",
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="把已存在的演示账号密码重置为演示密码",
        )
        parser.add_argument(
            "--without-cases",
            action="store_true",
            help="只加载中心、部门、账号、事项和排队队列，不生成演示办件和今天的排队号",
        )
        parser.add_argument(
            "--logins-markdown",
            action="store_true",
            help="只输出演示账号表（Markdown），不访问数据库",
        )

    def handle(self, *args, **options):
        if options["logins_markdown"]:
            self.stdout.write(data.logins_markdown())
            return
        if not (getattr(settings, "DEMO", False) or options["force"]):
            raise CommandError(
                _(
                    "拒绝加载演示数据：演示数据包含公开密码的账号，只能在演示环境中加载。"
                    "请设置环境变量 YICHUANG_DEMO=1，或确认后加 --force 参数。"
                )
            )
        started = time.monotonic()
        try:
            report = demo_seed(reset_passwords=options["reset_passwords"])
            cases_made = 0 if options["without_cases"] else demo_cases_seed()
            tickets_made = 0 if options["without_cases"] else demo_hall_seed()
            kiosk_made = demo_kiosk_seed()
            appointments_made = 0 if options["without_cases"] else demo_appointments_seed()
        except DomainError as error:
            raise CommandError(_format_error(error)) from error
        elapsed = time.monotonic() - started

        summary = []
        for kind, label in KIND_LABELS.items():
            c = report.counts.get(kind)
            if c is None:
                continue
            summary.append(
                f"  {label}：新建 {c['created']}，更新 {c['updated']}，未变 {c['unchanged']}"
            )
        changed = report.changed or cases_made or tickets_made or kiosk_made or appointments_made
        state = "演示数据已加载" if changed else "演示数据已是最新，无需改动"
        self.stdout.write(self.style.SUCCESS(f"{state}（用时 {elapsed:.1f} 秒）"))
        summary.append(f"  演示办件：新建 {cases_made}（覆盖办件的每一种状态）")
        summary.append(f"  今天的排队号：新建 {tickets_made}（上午已办结的和正在等候的）")
        summary.append(f"  预约：新建 {appointments_made}（citizen1 今天和下一个工作日的预约）")
        self.stdout.write("\n".join(summary))
        self.stdout.write("")
        self.stdout.write(f"服务中心首页：{data.SITE_URL}")
        self.stdout.write(f"管理后台：    {data.SITE_URL}{data.ADMIN_PATH}")
        self.stdout.write(f"接口文档：    {data.SITE_URL}{data.API_DOCS_PATH}")
        self.stdout.write(f"叫号屏：      {data.SITE_URL}{data.HALL_SCREEN_PATH}")
        self.stdout.write(f"大厅统计：    {data.SITE_URL}{data.HALL_FIGURES_PATH}")
        self.stdout.write(
            f"自助终端：    {data.SITE_URL}/kiosk/pair/?token={DEMO_KIOSK_TOKEN}"
            "（演示终端的配对地址，打开后即可刷模拟身份证）"
        )
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {data.DEMO_PASSWORD}，仅用于演示环境）：")
        self.stdout.write(
            format_table(
                [(u, p, r, w) for u, p, r, w in data.login_rows()],
                ("登录名", "密码", "角色", "中心 / 部门"),
            )
        )


def _format_error(error: DomainError) -> str:
    lines = [_("演示数据加载失败，数据库未作任何改动：%(message)s") % {"message": error.message}]
    details = error.details
    if isinstance(details, dict):
        details = [details]
    if isinstance(details, list | tuple):
        for detail in details:
            if isinstance(detail, dict):
                lines.append("  - " + "；".join(f"{k}: {v}" for k, v in detail.items()))
            else:
                lines.append(f"  - {detail}")
    elif details is not None:
        lines.append(f"  - {details}")
    return "\n".join(lines)
