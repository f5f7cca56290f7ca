"""Public calendar API at /api/v1/calendar (no login): deadlines and day information."""

from __future__ import annotations

from typing import Annotated

from django.conf import settings
from django.http import HttpRequest
from ninja import Path, Query, Router

from yichuang.common.schemas import ErrorOut
from yichuang.workdays.schemas import DayOut, DeadlineOut, IsoDate
from yichuang.workdays.selectors import day_info_get, workday_deadline

router = Router(tags=["工作日历"])

MAX_WORKDAYS: int = settings.YICHUANG.get("MAX_WORKDAYS", 3650)


@router.get(
    "/deadline",
    response={200: DeadlineOut, 422: ErrorOut},
    summary="按工作日计算办理期限",
    description=(
        "受理日（start）当日不计入，从次日起算（民法典第二百零一条）；调休上班日计入；"
        "workdays=0 表示即办件（当日，非工作日顺延）。涉及尚未录入节假日的年度时按周一至周五"
        "计算并返回 provisional=true。"
    ),
)
def deadline(
    request: HttpRequest,
    start: Annotated[IsoDate, Query(description="起始日（受理日），YYYY-MM-DD")],
    workdays: Annotated[int, Query(ge=0, le=MAX_WORKDAYS, description="工作日数（0 为即办件）")],
):
    result = workday_deadline(start=start, workdays=workdays)
    return DeadlineOut(
        start=start, workdays=workdays, deadline=result.deadline, provisional=result.provisional
    )


@router.get(
    "/days/{day}",
    response={200: DayOut, 422: ErrorOut},
    summary="查询某日是否为工作日",
)
def day(request: HttpRequest, day: Annotated[IsoDate, Path(description="日期，YYYY-MM-DD")]):
    info = day_info_get(day=day)
    return DayOut(
        date=info.day,
        workday=info.workday,
        kind=info.kind.value,
        name=info.name,
        provisional=info.provisional,
    )
