"""`yichuang import-holidays FILE [--year YYYY]`: enter a whole year from a CSV or .xlsx file.

Columns: date, kind, name[, note] (or 日期, 类型, 名称[, 备注]); see workdays/importing.py.
All or nothing: every bad row is printed with its row number and nothing is imported.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yichuang.workdays.errors import CalendarImportError
from yichuang.workdays.importing import parse_day, read_holiday_file
from yichuang.workdays.models import CalendarSource
from yichuang.workdays.services import IMPORT_SOURCES, calendar_year_import


class Command(BaseCommand):
    help = "导入一整年的节假日和调休上班日（CSV 或 .xlsx：date,kind,name[,note]），全部成功才写入"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="CSV 或 .xlsx 文件")
        parser.add_argument("--year", type=int, help="年份（缺省时由文件中的日期推断）")
        parser.add_argument(
            "--source",
            default=CalendarSource.STATE_COUNCIL_NOTICE,
            choices=sorted(IMPORT_SOURCES),
            help="数据来源（缺省：国务院办公厅通知）",
        )
        parser.add_argument("--note", default="", help="备注，例如通知文号")

    def handle(self, *args, **options) -> None:
        try:
            rows = read_holiday_file(options["file"])
            year = options["year"] or self._infer_year(rows)
            result = calendar_year_import(
                year=year, rows=rows, source=options["source"], note=options["note"]
            )
        except FileNotFoundError as exc:
            raise CommandError(_("找不到文件：%s") % options["file"]) from exc
        except CalendarImportError as exc:
            for problem in exc.problems:
                column = f" [{problem['column']}]" if problem.get("column") else ""
                self.stderr.write(
                    _("第 %(row)s 行%(column)s：%(message)s")
                    % {"row": problem["row"], "column": column, "message": problem["message"]}
                )
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "%(year)d 年已导入：放假 %(holidays)d 天，调休上班 %(makeup)d 天"
                    "（替换原有记录 %(replaced)d 条）；该年度已标记为已录入。"
                )
                % {
                    "year": result.year,
                    "holidays": result.holidays,
                    "makeup": result.makeup_workdays,
                    "replaced": result.replaced,
                }
            )
        )

    @staticmethod
    def _infer_year(rows) -> int:
        years = {day.year for day in (parse_day(row.date) for row in rows) if day is not None}
        if len(years) != 1:
            raise CalendarImportError(
                problems=[
                    {
                        "row": 0,
                        "column": "date",
                        "message": _(
                            "无法从文件推断年份（日期分属多个年份或均无效），请用 --year 指定"
                        ),
                    }
                ]
            )
        return years.pop()
