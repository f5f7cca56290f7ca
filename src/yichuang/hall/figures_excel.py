"""The hall's figures as an Excel workbook (.xlsx): one sheet each for the queues, the
windows and the days, the centre's total first on the queues' sheet.

Minutes are numbers rounded to one decimal, shares percentages as numbers (0–100, one
decimal), so the sheet can be sorted and charted; an empty cell means no ticket to measure.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from yichuang.hall.selectors_figures import FigureRow, HallFigures


def _headers(first: str) -> list[str]:
    return [
        first,
        _("取号数"),
        _("办结数"),
        _("过号数"),
        _("取消或未叫号"),
        _("等候中"),
        _("办理中"),
        _("平均等候（分钟）"),
        _("等候中位数（分钟）"),
        _("等候P90（分钟）"),
        _("平均办理（分钟）"),
        _("办理中位数（分钟）"),
        _("办理P90（分钟）"),
        _("等候超时占比（%）"),
        _("自助取号占比（%）"),
    ]


def _number(value: float | None, *, percent: bool = False) -> float | None:
    if value is None:
        return None
    return round(value * 100 if percent else value, 1)


def figure_cells(row: FigureRow) -> list[object]:
    """One row of a sheet, in the order of the headers."""
    return [
        row.label,
        row.taken,
        row.served,
        row.missed,
        row.unserved,
        row.waiting_now,
        row.serving_now,
        _number(row.waiting.mean),
        _number(row.waiting.p50),
        _number(row.waiting.p90),
        _number(row.handling.mean),
        _number(row.handling.p50),
        _number(row.handling.p90),
        _number(row.over_target_share, percent=True),
        _number(row.self_service_share, percent=True),
    ]


def _sheet(workbook: Workbook, *, title: str, first: str, rows: list[FigureRow], heading: str):
    sheet = workbook.create_sheet(title)
    sheet.append([heading])
    sheet["A1"].font = Font(bold=True)
    headers = _headers(first)
    sheet.append(headers)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = fill
    for row in rows:
        sheet.append(figure_cells(row))
    sheet.freeze_panes = "B3"
    sheet.column_dimensions["A"].width = 28
    for index in range(2, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14


def figures_workbook(figures: HallFigures) -> bytes:
    """The workbook's bytes."""
    heading = _("%(centre)s 大厅运行统计 %(start)s 至 %(end)s（等候目标 %(target)s 分钟）") % {
        "centre": figures.centre.name,
        "start": figures.start.isoformat(),
        "end": figures.end.isoformat(),
        "target": figures.target_minutes,
    }
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(
        workbook,
        title=_("按队列"),
        first=_("队列"),
        rows=[figures.total, *figures.queues],
        heading=heading,
    )
    _sheet(workbook, title=_("按窗口"), first=_("窗口"), rows=figures.windows, heading=heading)
    _sheet(workbook, title=_("按日"), first=_("日期"), rows=figures.days, heading=heading)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
