"""Reading a holiday file (CSV or .xlsx) or pasted text into rows for the import service.

The format, one day per row, a header row first:

    date,kind,name[,note]              （中文表头亦可：日期,类型,名称[,备注]）
    2027-01-01,holiday,元旦
    2027-02-06,makeup_workday,春节

`kind` is `holiday` / `makeup_workday`, or in Chinese 放假 / 休息 / 调休上班 / 上班 / 补班.
Pure: no database. Problems become a `CalendarImportError` with the row number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from yichuang.workdays.errors import CalendarImportError

COLUMNS = ("date", "kind", "name", "note")
HEADER_ALIASES = {
    "date": "date",
    "日期": "date",
    "kind": "kind",
    "类型": "kind",
    "name": "name",
    "名称": "name",
    "节日": "name",
    "note": "note",
    "备注": "note",
}


@dataclass(frozen=True)
class HolidayRow:
    """One row as read from the file; values are validated by the import service."""

    row: int
    date: Any
    kind: Any
    name: Any
    note: Any = ""


def read_holiday_file(path: str | Path) -> list[HolidayRow]:
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path.read_bytes())
    if path.suffix.lower() in {".csv", ".txt"}:
        return read_holiday_text(_decode(path.read_bytes()))
    raise CalendarImportError(
        problems=[{"row": 0, "column": "", "message": _("只支持 .csv 或 .xlsx 文件")}]
    )


def read_holiday_upload(*, name: str, content: bytes) -> list[HolidayRow]:
    if name.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    return read_holiday_text(_decode(content))


def read_holiday_text(text: str) -> list[HolidayRow]:
    """Rows from CSV text (comma, tab or Chinese comma separated)."""
    lines = text.replace("，", ",").replace("\t", ",").splitlines()
    return _rows(list(csv.reader(lines)))


def _decode(content: bytes) -> str:
    # Excel in Chinese offices saves CSV as GB18030 (GBK); UTF-8 with or without BOM otherwise.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CalendarImportError(
        problems=[{"row": 0, "column": "", "message": _("文件编码无法识别，请另存为 UTF-8 CSV")}]
    )


def _read_xlsx(content: bytes) -> list[HolidayRow]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a corrupt or mislabelled file: report, never crash
        raise CalendarImportError(
            problems=[{"row": 0, "column": "", "message": _("无法读取 Excel 文件：%s") % exc}]
        ) from exc
    sheet = workbook.worksheets[0]
    table = [list(values) for values in sheet.iter_rows(values_only=True)]
    workbook.close()
    return _rows(table)


def _rows(table: list[list[Any]]) -> list[HolidayRow]:
    numbered = [
        (number, cells)
        for number, cells in enumerate(table, start=1)
        if any(cell not in (None, "") and str(cell).strip() for cell in cells)
    ]
    if not numbered:
        raise CalendarImportError(
            problems=[{"row": 0, "column": "", "message": _("文件中没有数据")}]
        )
    header_number, header = numbered[0]
    names = [HEADER_ALIASES.get(str(cell or "").strip().lower()) for cell in header]
    if "date" in names:
        body = numbered[1:]
        positions = {column: names.index(column) for column in COLUMNS if column in names}
        missing = [column for column in ("date", "kind", "name") if column not in positions]
        if missing:
            raise CalendarImportError(
                problems=[
                    {
                        "row": header_number,
                        "column": column,
                        "message": _("表头缺少“%s”列") % column,
                    }
                    for column in missing
                ]
            )
    else:  # no header: date, kind, name, note by position
        body = numbered
        positions = {column: index for index, column in enumerate(COLUMNS)}

    def cell(cells: list[Any], column: str) -> Any:
        index = positions.get(column)
        if index is None or index >= len(cells):
            return ""
        value = cells[index]
        return value.strip() if isinstance(value, str) else ("" if value is None else value)

    return [
        HolidayRow(
            row=number,
            date=cell(cells, "date"),
            kind=cell(cells, "kind"),
            name=cell(cells, "name"),
            note=cell(cells, "note"),
        )
        for number, cells in body
    ]


def parse_day(value: Any) -> dt.date | None:
    """A date from a cell: a date, a datetime at midnight, or text YYYY-MM-DD / YYYY/MM/DD."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-")
    parts = text.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        return None
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None
