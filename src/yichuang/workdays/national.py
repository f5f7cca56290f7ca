"""The national holiday calendar carried by the `chinesecalendar` package, as overrides.

Pure: no database. The data migration seeds the override table from `national_calendar()`
so that every install starts with the State Council's holidays and make-up working days
for the years the package knows (1.11.0: 2004–2026).
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
from chinese_calendar import constants

from yichuang.workdays.calendar import DayKind, Override

PACKAGE_VERSION: str = getattr(chinese_calendar, "__version__", "unknown")

# The package's English holiday names → the Chinese names the platform shows.
HOLIDAY_NAMES: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def chinese_name(english: str) -> str:
    """The Chinese name of a holiday of the package (the package's own if not mapped)."""
    if english in HOLIDAY_NAMES:
        return HOLIDAY_NAMES[english]
    for holiday in constants.Holiday:
        if holiday.value == english:
            return holiday.chinese
    return english


def national_calendar() -> tuple[dict[dt.date, Override], list[int]]:
    """(overrides, known years) from the installed `chinesecalendar` package."""
    overrides: dict[dt.date, Override] = {}
    for day, english in constants.holidays.items():
        overrides[day] = Override(DayKind.HOLIDAY, chinese_name(english))
    for day, english in constants.workdays.items():
        overrides[day] = Override(DayKind.MAKEUP_WORKDAY, chinese_name(english))
    years = sorted({day.year for day in constants.holidays})
    known_years = list(range(years[0], years[-1] + 1)) if years else []
    return overrides, known_years
