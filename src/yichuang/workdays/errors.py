"""Errors of the working-day calendar: a machine code and a Chinese message."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from yichuang.common.errors import DomainError


class CalendarError(DomainError):
    """A calendar rule was broken by the caller's input (HTTP 422)."""


class CalendarOverflow(CalendarError):
    """The result would fall outside the dates the platform can represent."""

    def __init__(self) -> None:
        super().__init__(
            code="date_out_of_range",
            message=_("计算结果超出可表示的日期范围（最晚为 9999-12-31），请检查起始日期和天数"),
        )


class CalendarImportError(CalendarError):
    """A holiday file or a typed-in year has bad rows; nothing was imported.

    `details` lists every problem as `{"row": n, "column": "...", "message": "..."}`.
    """

    def __init__(self, *, problems: list[dict[str, Any]]) -> None:
        super().__init__(
            code="calendar_import_invalid",
            message=_("节假日数据有误，未导入任何内容，请按行号修改后重新导入"),
            details=problems,
        )
        self.problems = problems


class InvalidOverride(CalendarError):
    """One override row is not acceptable (e.g. a make-up working day on a weekday)."""
