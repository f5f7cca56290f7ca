"""Rendering notices as PDF (`cases.pdf.notice_pdf`): seconds per notice and bytes.

Notices are built in memory (unsaved rows: no database). Two shapes: a one-page
acceptance notice and a one-time notice of 40 items (three pages). The first call of the
process is reported apart; then the median and best wall time of several calls, and the
median CPU time of the process (steadier than wall time on a busy machine). Each call parses
the font file and subsets it anew (see docs/adr/0003-pdf-notices.md).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

from django.conf import settings

from yichuang.cases.models import Case, Notice, NoticeKind
from yichuang.cases.pdf import notice_pdf
from yichuang.catalog.models import ServiceItemVersion
from yichuang.identity.models import Applicant
from yichuang.orgs.models import Centre

STATUS_URL = "https://zwfw.example.gov.cn/status/?number=DS-20261129-000001"


def _notice(kind: str, body: dict) -> Notice:
    case = Case(
        number="DS-20261129-000001",
        centre=Centre(name="东胜区政务服务中心", address="东胜区铁西路1号", phone="0477-8581234"),
        item_version=ServiceItemVersion(name="食品经营许可证核发", promised_limit=5),
        applicant=Applicant(name="王小明", id_number="150422199003070018"),
    )
    issued = dt.datetime(2026, 11, 29, 2, tzinfo=dt.UTC)
    return Notice(
        case=case, kind=kind, number="DS-20261129-000001-GZ01", issued_at=issued, body=body
    )


def _items(count: int) -> list[dict]:
    return [
        {
            "material": n,
            "name": f"证明材料第{n:02d}项",
            "problem": "defective",
            "note": f"第{n:02d}页未盖章",
            "form": "原件",
            "copies": 1,
            "issuing_body": "市场监督管理局",
        }
        for n in range(1, count + 1)
    ]


def run(quick: bool) -> None:
    repeat = 5 if quick else 20
    print(f"font: {settings.YICHUANG['PDF_FONT']}")
    shapes = [
        (
            "acceptance, 1 page",
            _notice(NoticeKind.ACCEPTANCE, {"accepted_on": "2026-11-27", "due_date": "2026-12-04"}),
        ),
        ("one-time notice, 40 items", _notice(NoticeKind.ONE_TIME, {"items": _items(40)})),
    ]
    for label, notice in shapes:
        wall, cpu = [], []
        for _ in range(repeat + 1):
            started, started_cpu = time.perf_counter(), time.process_time()
            content = notice_pdf(notice=notice, status_url=STATUS_URL)
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        print(
            f"{label}: first {wall[0]:.3f} s, then median {statistics.median(wall[1:]):.3f} s "
            f"(best {min(wall[1:]):.3f} s; CPU median {statistics.median(cpu[1:]):.3f} s) "
            f"of {repeat}; {len(content):,} bytes"
        )
