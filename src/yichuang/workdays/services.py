"""Actions that change the holiday calendar. Each one bumps the calendar revision.

The admin and the `import-holidays` command go through these functions only, so every
app server sees an edit at its next `selectors.calendar_get()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yichuang.workdays.errors import CalendarImportError, InvalidOverride
from yichuang.workdays.importing import HolidayRow, parse_day
from yichuang.workdays.models import (
    CalendarRevision,
    CalendarSource,
    CalendarYear,
    DayOverride,
    OverrideKind,
    new_revision_token,
)

KIND_ALIASES: dict[str, str] = {
    "holiday": OverrideKind.HOLIDAY,
    "放假": OverrideKind.HOLIDAY,
    "休息": OverrideKind.HOLIDAY,
    "休": OverrideKind.HOLIDAY,
    "节假日": OverrideKind.HOLIDAY,
    "makeup_workday": OverrideKind.MAKEUP_WORKDAY,
    "调休上班": OverrideKind.MAKEUP_WORKDAY,
    "上班": OverrideKind.MAKEUP_WORKDAY,
    "补班": OverrideKind.MAKEUP_WORKDAY,
    "班": OverrideKind.MAKEUP_WORKDAY,
}

# Sources a whole-year import may carry; `local` days are kept by an import, never replaced.
IMPORT_SOURCES = frozenset(
    {CalendarSource.STATE_COUNCIL_NOTICE, CalendarSource.CHINESECALENDAR, CalendarSource.ADMIN}
)
NAME_MAX = DayOverride._meta.get_field("name").max_length
NOTE_MAX = DayOverride._meta.get_field("note").max_length


def _revision_bump() -> None:
    CalendarRevision.objects.update_or_create(
        id=CalendarRevision.SINGLETON_ID, defaults={"token": new_revision_token()}
    )


def override_problem(*, day: dt.date, kind: str, name: str) -> tuple[str, str] | None:
    """(field, message) saying why an override row is not acceptable, or None.

    Shared by the admin forms, the services and the import.
    """
    if kind not in OverrideKind.values:
        return "kind", _("类型应为“放假”(holiday)或“调休上班”(makeup_workday)")
    if not name or not name.strip():
        return "name", _("名称不能为空")
    if len(name) > NAME_MAX:
        return "name", _("名称不能超过 %d 个字") % NAME_MAX
    if kind == OverrideKind.MAKEUP_WORKDAY and day.weekday() < 5:
        return "kind", _("调休上班日应为周六或周日：%s 本就是工作日，无需录入") % day.isoformat()
    return None


# -- single days (the admin) -------------------------------------------------------------


def day_override_save(*, override: DayOverride) -> DayOverride:
    """Create or change one override row (the admin's add and change forms)."""
    problem = override_problem(day=override.date, kind=override.kind, name=override.name)
    if problem:
        raise InvalidOverride(code="invalid_override", message=problem[1], field=problem[0])
    with transaction.atomic():
        override.save()
        _revision_bump()
    return override


def day_override_set(
    *,
    day: dt.date,
    kind: str,
    name: str,
    source: str = CalendarSource.ADMIN,
    note: str = "",
) -> DayOverride:
    """Make `day` a holiday or a make-up working day, replacing any row for that date."""
    problem = override_problem(day=day, kind=kind, name=name)
    if problem:
        raise InvalidOverride(code="invalid_override", message=problem[1], field=problem[0])
    with transaction.atomic():
        override, _created = DayOverride.objects.update_or_create(
            date=day, defaults={"kind": kind, "name": name.strip(), "source": source, "note": note}
        )
        _revision_bump()
    return override


def day_overrides_delete(*, days: Iterable[dt.date]) -> int:
    """Remove the overrides of these dates: they follow the Monday–Friday rule again."""
    with transaction.atomic():
        deleted, _detail = DayOverride.objects.filter(date__in=list(days)).delete()
        _revision_bump()
    return deleted


# -- known years ---------------------------------------------------------------------------


def calendar_year_mark(
    *, year: int, source: str = CalendarSource.ADMIN, note: str = ""
) -> CalendarYear:
    """Declare the year's data complete: results in it are no longer provisional."""
    if not 1 <= year <= 9999:
        raise InvalidOverride(
            code="invalid_year", message=_("年份应在 1 到 9999 之间"), field="year"
        )
    with transaction.atomic():
        calendar_year, _created = CalendarYear.objects.update_or_create(
            year=year, defaults={"source": source, "note": note}
        )
        _revision_bump()
    return calendar_year


def calendar_year_save(*, calendar_year: CalendarYear) -> CalendarYear:
    """Save a year row from the admin form."""
    with transaction.atomic():
        calendar_year.save()
        _revision_bump()
    return calendar_year


def calendar_years_unmark(*, years: Iterable[int]) -> int:
    """The years become unknown again (their overrides stay); results turn provisional."""
    with transaction.atomic():
        deleted, _detail = CalendarYear.objects.filter(year__in=list(years)).delete()
        _revision_bump()
    return deleted


# -- a whole year at once ------------------------------------------------------------------


@dataclass(frozen=True)
class YearImportResult:
    year: int
    holidays: int
    makeup_workdays: int
    replaced: int


def _validate_rows(
    *, year: int, rows: Sequence[HolidayRow]
) -> tuple[list[DayOverride], list[int], list[dict[str, Any]]]:
    problems: list[dict[str, Any]] = []
    accepted: list[DayOverride] = []
    accepted_rows: list[int] = []
    seen: dict[dt.date, int] = {}

    def problem(row: HolidayRow, column: str, message: str) -> None:
        problems.append({"row": row.row, "column": column, "message": message})

    for row in rows:
        day = parse_day(row.date)
        if day is None:
            problem(row, "date", _("日期“%s”无效，应为 YYYY-MM-DD 格式的有效日期") % row.date)
            continue
        if day.year != year:
            problem(
                row,
                "date",
                _("日期 %(day)s 不在 %(year)d 年内（跨年的调休日请在后台单独录入）")
                % {"day": day.isoformat(), "year": year},
            )
            continue
        if day in seen:
            problem(
                row,
                "date",
                _("日期 %(day)s 与第 %(row)d 行重复") % {"day": day.isoformat(), "row": seen[day]},
            )
            continue
        seen[day] = row.row
        kind = KIND_ALIASES.get(str(row.kind).strip().lower())
        if kind is None:
            problem(
                row,
                "kind",
                _("类型“%s”无效，应为 holiday/放假 或 makeup_workday/调休上班") % row.kind,
            )
            continue
        name = str(row.name or "").strip()
        found = override_problem(day=day, kind=kind, name=name)
        if found:
            problem(row, *found)
            continue
        note = str(row.note or "").strip()
        if len(note) > NOTE_MAX:
            problem(row, "note", _("备注不能超过 %d 个字") % NOTE_MAX)
            continue
        accepted.append(DayOverride(date=day, kind=kind, name=name, note=note))
        accepted_rows.append(row.row)
    return accepted, accepted_rows, problems


def calendar_year_import(
    *,
    year: int,
    rows: Sequence[HolidayRow],
    source: str = CalendarSource.STATE_COUNCIL_NOTICE,
    note: str = "",
) -> YearImportResult:
    """Enter a whole year's holidays and make-up working days, all or nothing.

    The rows replace every override of that year except `local` ones (which stay; a row
    on a local day's date is an error), and the year is marked known. Every bad row is
    reported with its row number and nothing is written.
    """
    if not 1 <= year <= 9999:
        raise CalendarImportError(
            problems=[{"row": 0, "column": "year", "message": _("年份应在 1 到 9999 之间")}]
        )
    if source not in IMPORT_SOURCES:
        raise CalendarImportError(
            problems=[
                {"row": 0, "column": "source", "message": _("整年导入的来源不能是“地方规定”")}
            ]
        )
    if not rows:
        raise CalendarImportError(
            problems=[{"row": 0, "column": "", "message": _("没有任何日期数据")}]
        )
    accepted, accepted_rows, problems = _validate_rows(year=year, rows=rows)
    with transaction.atomic():
        local = dict(
            DayOverride.objects.filter(date__year=year, source=CalendarSource.LOCAL)
            .select_for_update()
            .values_list("date", "name")
        )
        row_of = {o.date: n for o, n in zip(accepted, accepted_rows, strict=True)}
        for override in accepted:
            if override.date in local:
                problems.append(
                    {
                        "row": row_of[override.date],
                        "column": "date",
                        "message": _("%(day)s 已有地方规定“%(name)s”，请先在后台删除该记录")
                        % {"day": override.date.isoformat(), "name": local[override.date]},
                    }
                )
        if problems:
            problems.sort(key=lambda p: p["row"])
            raise CalendarImportError(problems=problems)
        replaced, _detail = (
            DayOverride.objects.filter(date__year=year)
            .exclude(source=CalendarSource.LOCAL)
            .delete()
        )
        for override in accepted:
            override.source = source
        DayOverride.objects.bulk_create(accepted)
        CalendarYear.objects.update_or_create(year=year, defaults={"source": source, "note": note})
        _revision_bump()
    return YearImportResult(
        year=year,
        holidays=sum(o.kind == OverrideKind.HOLIDAY for o in accepted),
        makeup_workdays=sum(o.kind == OverrideKind.MAKEUP_WORKDAY for o in accepted),
        replaced=replaced,
    )


def calendar_national_sync() -> list[int]:
    """Add the years the installed `chinesecalendar` knows and the table does not.

    Years already known are left alone (the table is the source of truth). Returns the
    years added. Run after upgrading the package (`yichuang sync-national-holidays`).
    """
    from yichuang.workdays.national import PACKAGE_VERSION, national_calendar

    overrides, known_years = national_calendar()
    with transaction.atomic():
        existing_years = set(CalendarYear.objects.values_list("year", flat=True))
        new_years = [year for year in known_years if year not in existing_years]
        if not new_years:
            return []
        existing_days = set(
            DayOverride.objects.filter(date__year__in=new_years).values_list("date", flat=True)
        )
        DayOverride.objects.bulk_create(
            [
                DayOverride(
                    date=day, kind=str(o.kind), name=o.name, source=CalendarSource.CHINESECALENDAR
                )
                for day, o in sorted(overrides.items())
                if day.year in new_years and day not in existing_days
            ]
        )
        CalendarYear.objects.bulk_create(
            [
                CalendarYear(
                    year=year,
                    source=CalendarSource.CHINESECALENDAR,
                    note=f"chinesecalendar {PACKAGE_VERSION}",
                )
                for year in new_years
            ]
        )
        _revision_bump()
    return new_years
