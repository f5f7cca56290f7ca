"""API schemas of the working-day calendar."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _strict_iso_date(value: Any) -> Any:
    """Only YYYY-MM-DD text (no timestamps, no times): what the API documents."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise PydanticCustomError("date_parsing", "date must be YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_nonexistent", "not a calendar date") from None


IsoDate = Annotated[dt.date, BeforeValidator(_strict_iso_date)]


class DeadlineOut(Schema):
    start: dt.date
    workdays: int
    deadline: dt.date
    provisional: bool


class DayOut(Schema):
    date: dt.date
    workday: bool
    kind: Literal["workday", "weekend", "holiday", "makeup_workday"]
    name: str | None
    provisional: bool
