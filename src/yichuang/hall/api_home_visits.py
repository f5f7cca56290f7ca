"""Home visits (上门服务) in the hall API: request, schedule, cancel, record (which opens
the case with channel 上门服务). Phone and ID numbers are masked per `identity.access`."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from yichuang.catalog.models import ServiceItem, ServiceItemVersion
from yichuang.common.auth import API_AUTH
from yichuang.common.schemas import ErrorOut
from yichuang.hall.errors import HallError, HallForbidden, HallNotFound
from yichuang.hall.models import HomeVisit, HomeVisitReason, HomeVisitStatus
from yichuang.hall.schemas import NO_NUL
from yichuang.hall.services import assistance, home_visits
from yichuang.identity.access import id_number_for, phone_for
from yichuang.identity.models import ApplicantKind
from yichuang.orgs.models import Staff
from yichuang.orgs.selectors import staff_for_user

router = Router(tags=["上门服务"])

_MAX_ID = 2**31 - 1
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
VisitId = Path[int, {"ge": 1, "le": _MAX_ID, "description": "上门服务 ID"}]


class HomeVisitOut(Schema):
    id: int
    status: str
    status_label: str
    reason: str
    reason_label: str
    applicant_name: str
    applicant_id_number: str
    address: str
    contact_phone: str
    description: str
    item_code: str | None
    item_name: str | None
    scheduled_for: dt.datetime | None
    staff: list[str]
    visited_at: dt.datetime | None
    record: str
    case_number: str | None
    cancel_reason: str
    created_at: dt.datetime


class HomeVisitIn(Schema):
    reason: Literal["elderly", "disabled", "ill", "other"]
    address: str = Field(..., pattern=NO_NUL, max_length=300)
    contact_phone: str = Field(..., pattern=NO_NUL, max_length=20)
    description: str = Field("", pattern=NO_NUL, max_length=2000)
    item_code: str = Field(
        "", pattern=NO_NUL, max_length=60, description="办理事项实施编码（可选）"
    )
    # Staff recording a phone call name the applicant by ID number (registered if new).
    applicant_kind: Literal["natural_person", "legal_person"] = ApplicantKind.NATURAL_PERSON
    applicant_id_number: str = Field("", pattern=NO_NUL, max_length=30)
    applicant_name: str = Field("", pattern=NO_NUL, max_length=200)


class ScheduleIn(Schema):
    staff_ids: list[int] = Field(..., min_length=1, max_length=5)
    when: dt.datetime


class CancelIn(Schema):
    reason: str = Field("", pattern=NO_NUL, max_length=200)


class RecordIn(Schema):
    record: str = Field(..., pattern=NO_NUL, max_length=5000)
    item_version_id: int = Field(..., ge=1, le=_MAX_ID)
    form_data: dict[str, Any] = Field(default_factory=dict)


class RecordOut(Schema):
    visit: HomeVisitOut
    case_number: str
    channel: str


class ListQuery(Schema):
    status: Literal["", "requested", "scheduled", "done", "cancelled"] = ""
    mine: bool = Field(False, description="只看安排给我的上门服务")


_UNREAD = object()


def visit_out(
    request: HttpRequest, visit: HomeVisit, *, item_name: Any = _UNREAD
) -> dict[str, Any]:
    """One visit; `item_name` when already read (a list reads them at once)."""
    if item_name is _UNREAD:
        item_name = home_visits.home_visit_item_name(visit)
    return {
        "id": visit.pk,
        "status": visit.status,
        "status_label": str(HomeVisitStatus(visit.status).label),
        "reason": visit.reason,
        "reason_label": str(HomeVisitReason(visit.reason).label),
        "applicant_name": visit.applicant.name,
        "applicant_id_number": _own_or(request, visit, visit.applicant.id_number, id_number_for),
        "address": visit.address,
        "contact_phone": _own_or(request, visit, visit.contact_phone, phone_for),
        "description": visit.description,
        "item_code": visit.item.implementation_code if visit.item_id else None,
        "item_name": item_name,
        "scheduled_for": visit.scheduled_for,
        "staff": [member.name for member in visit.staff.all()],
        "visited_at": visit.visited_at,
        "record": visit.record,
        "case_number": visit.case.number if visit.case_id else None,
        "cancel_reason": visit.cancel_reason,
        "created_at": visit.created_at,
    }


def _own_or(request: HttpRequest, visit: HomeVisit, number: str, mask: Any) -> str:
    """The applicant sees their own numbers; others as their role allows."""
    person = getattr(request.auth, "applicant", None)
    if person is not None and person.pk == visit.applicant_id:
        return number
    return mask(request.auth, number)


@router.get("/home-visits", response={200: list[HomeVisitOut], 401: ErrorOut}, auth=API_AUTH)
def visit_list(request: HttpRequest, filters: Query[ListQuery]):
    """上门服务：申请人看到本人的，工作人员看到本中心的（mine=true 只看安排给我的）。"""
    rows = (
        home_visits.home_visits_assigned_to(request.auth)
        if filters.mine
        else home_visits.home_visits_visible_to(request.auth)
    )
    if filters.status:
        rows = rows.filter(status=filters.status)
    visits = list(rows.prefetch_related("staff")[:500])
    names = home_visits.home_visit_item_names(visits)
    return [visit_out(request, visit, item_name=names[visit.pk]) for visit in visits]


@router.get("/home-visits/{visit_id}", response={200: HomeVisitOut, **ERRORS}, auth=API_AUTH)
def visit_read(request: HttpRequest, visit_id: VisitId):
    return visit_out(request, home_visits.home_visit_get_for(user=request.auth, pk=visit_id))


def _item(code: str) -> ServiceItem | None:
    if not code:
        return None
    item = ServiceItem.objects.filter(implementation_code=code).first()
    if item is None:
        raise HallNotFound(code="item_not_found", message=_("没有这个事项"), field="item_code")
    return item


@router.post("/home-visits", response={201: HomeVisitOut, **ERRORS}, auth=API_AUTH)
def visit_request(request: HttpRequest, payload: HomeVisitIn):
    """申请上门服务：申请人本人；或工作人员按证件号码为来电的申请人登记。"""
    if staff_for_user(request.auth) is not None:
        if not payload.applicant_id_number:
            raise HallError(
                code="applicant_required",
                message=_("请填写申请人的证件号码"),
                field="applicant_id_number",
            )
        applicant = assistance.applicant_find_or_register(
            kind=payload.applicant_kind,
            id_number=payload.applicant_id_number,
            name=payload.applicant_name,
            phone=payload.contact_phone,
        )
    else:
        applicant = getattr(request.auth, "applicant", None)
        if applicant is None:
            raise HallForbidden(code="not_an_applicant", message=_("请以申请人身份登录"))
    visit = home_visits.home_visit_request(
        user=request.auth,
        applicant=applicant,
        reason=payload.reason,
        address=payload.address,
        contact_phone=payload.contact_phone,
        description=payload.description,
        item=_item(payload.item_code),
    )
    return Status(201, visit_out(request, visit))


def _staff(ids: list[int]) -> list[Staff]:
    wanted = {pk for pk in ids if 1 <= pk <= _MAX_ID}
    found = list(Staff.objects.filter(pk__in=wanted))
    if len(found) != len(set(ids)):
        raise HallError(code="staff_not_of_centre", message=_("上门人员须为本中心在岗工作人员"))
    return found


@router.post(
    "/home-visits/{visit_id}/schedule", response={200: HomeVisitOut, **ERRORS}, auth=API_AUTH
)
def visit_schedule(request: HttpRequest, visit_id: VisitId, payload: ScheduleIn):
    """安排上门人员和时间（工作日、晚于当前时间）。"""
    visit = home_visits.home_visit_get_for(user=request.auth, pk=visit_id)
    when = payload.when
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    visit = home_visits.home_visit_schedule(
        user=request.auth, visit=visit, staff=_staff(payload.staff_ids), when=when
    )
    return visit_out(request, visit)


@router.post(
    "/home-visits/{visit_id}/cancel", response={200: HomeVisitOut, **ERRORS}, auth=API_AUTH
)
def visit_cancel(request: HttpRequest, visit_id: VisitId, payload: CancelIn):
    """取消上门服务（申请人本人，或中心管理员填写原因）。"""
    visit = home_visits.home_visit_get_for(user=request.auth, pk=visit_id)
    visit = home_visits.home_visit_cancel(user=request.auth, visit=visit, reason=payload.reason)
    return visit_out(request, visit)


@router.post("/home-visits/{visit_id}/record", response={201: RecordOut, **ERRORS}, auth=API_AUTH)
def visit_record(request: HttpRequest, visit_id: VisitId, payload: RecordIn):
    """上门人员记录上门情况并创建办件（渠道：上门服务）。"""
    visit = home_visits.home_visit_get_for(user=request.auth, pk=visit_id)
    version = ServiceItemVersion.objects.filter(pk=payload.item_version_id).first()
    if version is None:
        raise HallNotFound(
            code="item_not_found", message=_("没有这个事项"), field="item_version_id"
        )
    case = home_visits.home_visit_record(
        user=request.auth,
        visit=visit,
        record=payload.record,
        item_version=version,
        form_data=payload.form_data,
    )
    visit = home_visits.home_visit_get_for(user=request.auth, pk=visit_id)
    return Status(
        201,
        {"visit": visit_out(request, visit), "case_number": case.number, "channel": case.channel},
    )
