"""Assisted handling (帮办代办) in the hall API: assignments of helpers, the applicant's
authorisation, ending, and the helper opening a case as agent. Personal numbers are
masked per `identity.access`."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from yichuang.cases.models import Case
from yichuang.cases.selectors import case_get_for
from yichuang.catalog.models import ServiceItemVersion
from yichuang.common.auth import API_AUTH
from yichuang.common.schemas import ErrorOut
from yichuang.hall.errors import HallError, HallNotFound
from yichuang.hall.models import Assignment, AssignmentStatus
from yichuang.hall.schemas import NO_NUL
from yichuang.hall.services import assistance
from yichuang.identity.access import id_number_for
from yichuang.identity.models import ApplicantKind
from yichuang.orgs.models import Staff
from yichuang.orgs.selectors import staff_for_user

router = Router(tags=["帮办代办"])

_MAX_ID = 2**31 - 1
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
AssignmentId = Path[int, {"ge": 1, "le": _MAX_ID, "description": "指派 ID"}]


class AssignmentOut(Schema):
    id: int
    status: str
    status_label: str
    helper_id: int
    helper_name: str
    applicant_kind: str
    applicant_name: str
    applicant_id_number: str
    case_number: str | None
    note: str
    authorised: bool
    authorised_at: dt.datetime | None
    authorisation_scope: str
    authorisation_by: str
    created_at: dt.datetime
    ended_at: dt.datetime | None
    cases: list[str]


class AssignmentIn(Schema):
    helper_id: int = Field(..., ge=1, le=_MAX_ID, description="帮办代办员（工作人员 ID）")
    applicant_kind: Literal["natural_person", "legal_person"] = ApplicantKind.NATURAL_PERSON
    applicant_id_number: str = Field(
        "", pattern=NO_NUL, max_length=30, description="身份证号码或统一社会信用代码"
    )
    applicant_name: str = Field(
        "", pattern=NO_NUL, max_length=200, description="未登记的申请人须填写名称"
    )
    case_number: str = Field(
        "", pattern=NO_NUL, max_length=60, description="指派到办件时填写办件编号"
    )
    note: str = Field("", pattern=NO_NUL, max_length=300)


class AuthoriseIn(Schema):
    scope: str = Field(..., pattern=NO_NUL, max_length=300, description="授权范围")
    signed_by: str = Field(
        "", pattern=NO_NUL, max_length=100, description="签署人（默认申请人或法定代表人）"
    )


class AssistedCaseIn(Schema):
    item_version_id: int = Field(..., ge=1, le=_MAX_ID)
    form_data: dict[str, Any] = Field(default_factory=dict)


class AssistedCaseOut(Schema):
    number: str
    channel: str
    status: str
    agent_name: str
    power_of_attorney: bool


class ListQuery(Schema):
    status: Literal["", "active", "ended"] = ""


def assignment_out(
    request: HttpRequest, row: Assignment, *, cases: list[Case] | None = None
) -> dict[str, Any]:
    """One assignment; `cases` are its cases when already read (a list reads them at once)."""
    if cases is None:
        cases = assistance.assignments_cases([row])[row.pk]
    return {
        "id": row.pk,
        "status": row.status,
        "status_label": str(AssignmentStatus(row.status).label),
        "helper_id": row.helper_id,
        "helper_name": row.helper.name,
        "applicant_kind": row.applicant.kind,
        "applicant_name": row.applicant.name,
        "applicant_id_number": id_number_for(request.auth, row.applicant.id_number),
        "case_number": row.case.number if row.case_id else None,
        "note": row.note,
        "authorised": row.authorised_at is not None,
        "authorised_at": row.authorised_at,
        "authorisation_scope": row.authorisation_scope,
        "authorisation_by": row.authorisation_by,
        "created_at": row.created_at,
        "ended_at": row.ended_at,
        "cases": [case.number for case in cases],
    }


@router.get("/assignments", response={200: list[AssignmentOut], 401: ErrorOut}, auth=API_AUTH)
def assignment_list(request: HttpRequest, filters: Query[ListQuery]):
    """帮办代办指派：帮办代办员看到自己的，中心管理员、窗口人员看到本中心的。"""
    rows = assistance.assignments_visible_to(request.auth)
    if filters.status:
        rows = rows.filter(status=filters.status)
    rows = list(rows[:500])
    cases = assistance.assignments_cases(rows, cases=Case.objects.only("pk", "number"))
    return [assignment_out(request, row, cases=cases[row.pk]) for row in rows]


def _helper(request: HttpRequest, pk: int) -> Staff:
    member = staff_for_user(request.auth)
    helper = Staff.objects.filter(pk=pk).first()
    if member is None or helper is None or helper.centre_id != member.centre_id:
        raise HallError(code="not_a_helper", message=_("请选择本中心的帮办代办员"), field="helper")
    return helper


@router.post("/assignments", response={201: AssignmentOut, **ERRORS}, auth=API_AUTH)
def assignment_create(request: HttpRequest, payload: AssignmentIn):
    """指派帮办代办员：给服务对象（按证件号码查找）或给一个办件（按办件编号）。"""
    assistance.assigner_of(request.auth)
    case = None
    if payload.case_number:
        case = case_get_for(user=request.auth, number=payload.case_number)
        applicant = case.applicant
    elif payload.applicant_id_number:
        applicant = assistance.applicant_find_or_register(
            kind=payload.applicant_kind,
            id_number=payload.applicant_id_number,
            name=payload.applicant_name,
        )
    else:
        raise HallNotFound(
            code="applicant_required",
            message=_("请填写服务对象的证件号码或办件编号"),
            field="applicant_id_number",
        )
    row = assistance.assignment_create(
        user=request.auth,
        helper=_helper(request, payload.helper_id),
        applicant=applicant,
        case=case,
        note=payload.note,
    )
    return Status(201, assignment_out(request, row))


@router.post(
    "/assignments/{assignment_id}/authorise", response={200: AssignmentOut, **ERRORS}, auth=API_AUTH
)
def assignment_authorise(request: HttpRequest, assignment_id: AssignmentId, payload: AuthoriseIn):
    """记录申请人的授权委托（时间、范围、签署人）。"""
    row = assistance.assignment_get_for(user=request.auth, pk=assignment_id)
    row = assistance.assignment_authorise(
        user=request.auth, assignment=row, scope=payload.scope, signed_by=payload.signed_by
    )
    return assignment_out(request, row)


@router.post(
    "/assignments/{assignment_id}/end", response={200: AssignmentOut, **ERRORS}, auth=API_AUTH
)
def assignment_end(request: HttpRequest, assignment_id: AssignmentId):
    """结束指派。"""
    row = assistance.assignment_get_for(user=request.auth, pk=assignment_id)
    return assignment_out(request, assistance.assignment_end(user=request.auth, assignment=row))


@router.post(
    "/assignments/{assignment_id}/cases", response={201: AssistedCaseOut, **ERRORS}, auth=API_AUTH
)
def assisted_case_open(request: HttpRequest, assignment_id: AssignmentId, payload: AssistedCaseIn):
    """帮办代办员凭授权为服务对象代为申请（渠道：帮办代办）。"""
    row = assistance.assignment_get_for(user=request.auth, pk=assignment_id)
    version = ServiceItemVersion.objects.filter(pk=payload.item_version_id).first()
    if version is None:
        raise HallNotFound(
            code="item_not_found", message=_("没有这个事项"), field="item_version_id"
        )
    case = assistance.assisted_case_open(
        user=request.auth, assignment=row, item_version=version, form_data=payload.form_data
    )
    return Status(
        201,
        {
            "number": case.number,
            "channel": case.channel,
            "status": case.status,
            "agent_name": case.agent_name,
            "power_of_attorney": case.power_of_attorney,
        },
    )
