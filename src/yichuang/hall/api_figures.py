"""The hall's figures at GET /api/v1/hall/figures (leaders and centre admins).

Definitions (waiting and handling time, percentiles by linear interpolation, self-service)
are in `hall.selectors_figures`. Minutes are rounded to one decimal, shares to three.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from yichuang.common.auth import API_AUTH
from yichuang.common.schemas import ErrorOut
from yichuang.hall.schemas import NO_NUL
from yichuang.hall.selectors_figures import (
    FigureRow,
    HallFigures,
    Spread,
    figures_centre_for,
    figures_range,
    hall_figures,
)

router = Router(tags=["办事大厅"])


class FiguresQuery(Schema):
    centre: str = Field(
        "", pattern=NO_NUL, max_length=40, description="服务中心代码（默认本人所在中心）"
    )
    start: dt.date | None = Field(None, description="开始日期（默认今天）")
    end: dt.date | None = Field(None, description="结束日期（含；默认同开始日期或今天）")


class SpreadOut(Schema):
    count: int
    mean: float | None
    p50: float | None
    p90: float | None


class FigureRowOut(Schema):
    key: str
    label: str
    taken: int
    served: int
    missed: int
    unserved: int = Field(..., description="取消或当日未叫号")
    waiting_now: int
    serving_now: int
    waiting_minutes: SpreadOut = Field(..., description="等候时长（首次叫号 − 取号）")
    handling_minutes: SpreadOut = Field(..., description="办理时长（办结 − 首次叫号）")
    over_target: int
    over_target_share: float | None
    self_service: int
    self_service_share: float | None


class FiguresOut(Schema):
    centre: str
    centre_name: str
    start: dt.date
    end: dt.date
    wait_target_minutes: int
    total: FigureRowOut
    queues: list[FigureRowOut]
    windows: list[FigureRowOut]
    days: list[FigureRowOut]


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def spread_out(spread: Spread) -> dict[str, Any]:
    return {
        "count": spread.count,
        "mean": _round(spread.mean),
        "p50": _round(spread.p50),
        "p90": _round(spread.p90),
    }


def row_out(row: FigureRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "label": row.label,
        "taken": row.taken,
        "served": row.served,
        "missed": row.missed,
        "unserved": row.unserved,
        "waiting_now": row.waiting_now,
        "serving_now": row.serving_now,
        "waiting_minutes": spread_out(row.waiting),
        "handling_minutes": spread_out(row.handling),
        "over_target": row.over_target,
        "over_target_share": _round(row.over_target_share, 3),
        "self_service": row.self_service,
        "self_service_share": _round(row.self_service_share, 3),
    }


def figures_out(figures: HallFigures) -> dict[str, Any]:
    return {
        "centre": figures.centre.code,
        "centre_name": figures.centre.name,
        "start": figures.start,
        "end": figures.end,
        "wait_target_minutes": figures.target_minutes,
        "total": row_out(figures.total),
        "queues": [row_out(r) for r in figures.queues],
        "windows": [row_out(r) for r in figures.windows],
        "days": [row_out(r) for r in figures.days],
    }


@router.get(
    "/figures",
    response={200: FiguresOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=API_AUTH,
    summary="大厅运行统计",
)
def figures(request: HttpRequest, filters: Query[FiguresQuery]):
    centre = figures_centre_for(user=request.auth, code=filters.centre or None)
    start, end = figures_range(start=filters.start, end=filters.end)
    return figures_out(hall_figures(centre=centre, start=start, end=end))
