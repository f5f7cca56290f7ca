"""The case API at /api/v1/cases: look up, list, read, open, submit, upload, accept, notify,
refuse.

Handlers parse, call one service or selector, render. Every read of a case goes through
the access functions of `cases.selectors` (missing and forbidden both answer 404); every
action through `cases.services`, which authorise. `POST /cases` and `POST /cases/{number}/
submit` honour an `Idempotency-Key` header (see `_idempotent`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.db import IntegrityError, transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import File, Form, Header, Query, Router, UploadedFile
from ninja.responses import Status

from yichuang.cases import schemas, selectors, services
from yichuang.cases.errors import CaseConflict, CaseError, CaseForbidden
from yichuang.cases.models import Case, IdempotencyKey
from yichuang.cases.schemas import (
    CaseDetailOut,
    CaseFilters,
    CaseOpenIn,
    CasePageOut,
    EventOut,
    LookupOut,
    OneTimeNoticeIn,
    RefuseIn,
    SubmittedMaterialOut,
)
from yichuang.cases.services._base import applicant_of
from yichuang.cases.services.materials import upload_limit
from yichuang.catalog.models import Material
from yichuang.catalog.selectors import item_get_published
from yichuang.common import clock
from yichuang.common.auth import API_AUTH
from yichuang.common.schemas import ErrorOut
from yichuang.identity.services import applicant_get_or_create
from yichuang.orgs.selectors import staff_for_user
from yichuang.workdays.selectors import calendar_get

# The authentication of every endpoint but the public lookup: the browser's session for
# now; one name so that the bearer-token authentication can replace it in one place.
AUTH = API_AUTH

router = Router(tags=["办件"], auth=AUTH)

READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
ACTION_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
IDEMPOTENCY_KEY = {"alias": "Idempotency-Key", "max_length": 100, "min_length": 1}
REPLAYED_HEADER = "Idempotent-Replayed"
LOOKUP_NUMBER = {"max_length": 60, "description": "办件编号"}
LOOKUP_CHECK = {"max_length": 20, "description": "申请人证件号码或手机号后6位"}
MATERIAL_ID = {"ge": 1, "le": 2**31 - 1, "description": "对应的事项材料 id"}


def _detail(request: HttpRequest, case: Case) -> dict[str, Any]:
    return schemas.case_detail_out(
        case,
        user=request.user,
        today=clock.today(),
        calendar=calendar_get(),
        missing=selectors.materials_missing(case=case),
    )


def _json(body: dict[str, Any], *, status: int) -> HttpResponse:
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )


# -- idempotency ---------------------------------------------------------------------------


def _request_digest(request: HttpRequest) -> str:
    """What a retry must repeat exactly: the method, the path and the body."""
    digest = hashlib.sha256()
    for part in (request.method or "", request.path):
        digest.update(part.encode())
        digest.update(b"\n")
    try:
        digest.update(request.body)
    except RawPostDataException:
        # A multipart body was consumed by the form parser (these endpoints take JSON).
        digest.update(urlencode(sorted(request.POST.lists()), doseq=True).encode())
    return digest.hexdigest()


def _replay(stored: IdempotencyKey, *, digest: str) -> HttpResponse:
    if stored.request_hash != digest:
        raise CaseError(
            code="idempotency_key_reused",
            message=_("该幂等键已用于另一个请求"),
            field="Idempotency-Key",
        )
    if not stored.response_status:
        # The key and its answer are written in one transaction, so a committed row without
        # an answer means a row written some other way: never replay an empty answer.
        raise CaseConflict(
            code="idempotency_in_progress", message=_("相同幂等键的请求正在处理中，请稍后重试")
        )
    response = _json(stored.response_body, status=stored.response_status)
    response[REPLAYED_HEADER] = "true"
    return response


def _idempotent(
    request: HttpRequest,
    *,
    key: str | None,
    status: int,
    perform: Callable[[], Case],
) -> HttpResponse:
    """Run `perform` once per (user, key); a retry with the same request gets the first answer.

    The key row is inserted first, in the same transaction as the action: a concurrent
    request with the same key waits on the unique index until the first commits, then
    replays its answer. A failed action rolls the key back, so a retry runs it again.
    """
    if key is None:
        with transaction.atomic():
            case = perform()
        return _json(_render(request, case), status=status)
    digest = _request_digest(request)
    stored = IdempotencyKey.objects.filter(user=request.user, key=key).first()
    if stored is not None:
        return _replay(stored, digest=digest)
    try:
        with transaction.atomic():
            row = IdempotencyKey.objects.create(
                user=request.user, key=key, request_hash=digest, created_at=clock.now()
            )
            case = perform()
            row.case, row.response_status = case, status
            row.response_body = _render(request, case)
            row.save(update_fields=["case", "response_status", "response_body"])
    except IntegrityError:
        stored = IdempotencyKey.objects.filter(user=request.user, key=key).first()
        if stored is None:
            raise
        return _replay(stored, digest=digest)
    return _json(row.response_body, status=status)


def _render(request: HttpRequest, case: Case) -> dict[str, Any]:
    return CaseDetailOut.model_validate(_detail(request, case)).model_dump(mode="json")


# -- reads ---------------------------------------------------------------------------------


@router.get(
    "/lookup",
    response={200: LookupOut, 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="办件公开查询",
)
def lookup(
    request: HttpRequest,
    number: Query[str, LOOKUP_NUMBER],
    check: Query[str, LOOKUP_CHECK],
):
    """Status and due date only; a wrong check answers exactly like an unknown number."""
    case = selectors.case_lookup_public(number=number, check=check)
    return schemas.case_lookup_out(case, today=clock.today())


def _cases_filtered(request: HttpRequest, filters: CaseFilters):
    if filters.overdue:
        cases = selectors.cases_overdue_for(user=request.user, today=clock.today())
    else:
        cases = selectors.cases_visible_to(request.user).order_by("-created_at", "-id")
    if filters.status is not None:
        cases = cases.filter(status=filters.status)
    if filters.item:
        cases = cases.filter(item_version__item__implementation_code=filters.item)
    return cases.prefetch_related("suspensions", "extensions")


@router.get("", response={200: CasePageOut, **READ_ERRORS}, summary="我可查看的办件")
def list_cases(request: HttpRequest, filters: Query[CaseFilters]):
    cases = _cases_filtered(request, filters)
    start = (filters.page - 1) * filters.page_size
    page = list(cases[start : start + filters.page_size])
    today, calendar = clock.today(), calendar_get()
    return {
        "count": cases.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [
            schemas.case_summary_out(c, user=request.user, today=today, calendar=calendar)
            for c in page
        ],
    }


@router.get("/{number}", response={200: CaseDetailOut, **READ_ERRORS}, summary="办件详情")
def get_case(request: HttpRequest, number: str):
    return _detail(request, selectors.case_get_for(user=request.user, number=number))


@router.get("/{number}/events", response={200: list[EventOut], **READ_ERRORS}, summary="办件时间线")
def list_events(request: HttpRequest, number: str):
    case = selectors.case_get_for(user=request.user, number=number)
    return [schemas.event_out(e) for e in selectors.case_events(case=case)]


@router.get(
    "/{number}/materials/{material_id}/file",
    response=READ_ERRORS,
    summary="下载办件材料",
    openapi_extra={
        "responses": {
            200: {
                "description": "材料文件",
                "content": {
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                    "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                    "image/png": {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def download_material(request: HttpRequest, number: str, material_id: int):
    """The file as uploaded, to anyone who may read the case."""
    case = selectors.case_get_for(user=request.user, number=number)
    row = case.materials.filter(pk=material_id).exclude(file="").first()
    if row is None:
        raise selectors.case_not_found()
    return FileResponse(
        row.file.open("rb"),
        content_type=row.content_type,
        as_attachment=True,
        filename=row.file.name.rsplit("/", 1)[-1],
    )


# -- actions -------------------------------------------------------------------------------


def _open(request: HttpRequest, payload: CaseOpenIn) -> Case:
    """Staff name the applicant (found or registered by number); an applicant opens for
    themselves."""
    version = item_get_published(code=payload.item)
    if payload.applicant is None:
        applicant = applicant_of(request.user)
        if applicant is None:
            if staff_for_user(request.user) is not None:
                raise CaseError(
                    code="applicant_required", message=_("请填写申请人信息"), field="applicant"
                )
            raise CaseForbidden(code="not_an_applicant", message=_("请以申请人身份登录"))
    elif staff_for_user(request.user) is None:
        raise CaseForbidden(
            code="applicant_details_staff_only",
            message=_("只有工作人员可以代他人申请；申请人请登录本人账号申请"),
        )
    else:
        given = payload.applicant
        applicant, _created = applicant_get_or_create(
            kind=given.kind, id_number=given.id_number, name=given.name, phone=given.phone
        )
    return services.case_open(
        user=request.user,
        item_version=version,
        applicant=applicant,
        channel=payload.channel,
        agent_name=payload.agent_name,
        agent_id_number=payload.agent_id_number,
        power_of_attorney=payload.power_of_attorney,
        form_data=payload.form_data,
    )


@router.post("", response={201: CaseDetailOut, **ACTION_ERRORS}, summary="新建办件")
def open_case(
    request: HttpRequest,
    payload: CaseOpenIn,
    idempotency_key: Header[str | None, IDEMPOTENCY_KEY] = None,
):
    """A window officer opens a submitted case for the person in front of them; an
    applicant opens an online draft. A retry with the same `Idempotency-Key` and body
    answers the first result (header `Idempotent-Replayed: true`) and opens nothing."""
    return _idempotent(
        request, key=idempotency_key, status=201, perform=lambda: _open(request, payload)
    )


@router.post("/{number}/submit", response={200: CaseDetailOut, **ACTION_ERRORS}, summary="提交办件")
def submit_case(
    request: HttpRequest,
    number: str,
    idempotency_key: Header[str | None, IDEMPOTENCY_KEY] = None,
):
    def perform() -> Case:
        case = selectors.case_get_for(user=request.user, number=number)
        return services.case_submit(user=request.user, case=case)

    return _idempotent(request, key=idempotency_key, status=200, perform=perform)


def _material_of(case: Case, material_id: int | None) -> Material | None:
    if material_id is None:
        return None
    material = Material.objects.filter(pk=material_id, version_id=case.item_version_id).first()
    if material is None:
        raise CaseError(
            code="material_not_of_item", message=_("该材料不属于本事项"), field="material"
        )
    return material


@router.post(
    "/{number}/materials",
    response={201: SubmittedMaterialOut, **ACTION_ERRORS},
    summary="上传办件材料",
)
def upload_material(
    request: HttpRequest,
    number: str,
    file: File[UploadedFile],
    material: Form[int | None, MATERIAL_ID] = None,
):
    """PDF, JPEG or PNG (decided from the content), up to the size limit."""
    case = selectors.case_get_for(user=request.user, number=number)
    # Never more than one byte past the limit is read: enough to refuse an oversized file.
    content = file.read(upload_limit() + 1)
    row = services.case_material_add(
        user=request.user, case=case, content=content, material=_material_of(case, material)
    )
    return Status(201, schemas.submitted_material_out(row))


@router.post("/{number}/accept", response={200: CaseDetailOut, **ACTION_ERRORS}, summary="受理")
def accept_case(request: HttpRequest, number: str):
    case = selectors.case_get_for(user=request.user, number=number)
    return _detail(request, services.case_accept(user=request.user, case=case))


@router.post(
    "/{number}/one-time-notice",
    response={200: CaseDetailOut, **ACTION_ERRORS},
    summary="出具一次性告知书",
)
def issue_one_time_notice(request: HttpRequest, number: str, payload: OneTimeNoticeIn):
    """Every missing required material is listed; `defects` add the wrong ones."""
    case = selectors.case_get_for(user=request.user, number=number)
    defects = [(_material_of(case, d.material), d.note) for d in payload.defects]
    return _detail(
        request, services.case_issue_one_time_notice(user=request.user, case=case, defects=defects)
    )


@router.post("/{number}/refuse", response={200: CaseDetailOut, **ACTION_ERRORS}, summary="不予受理")
def refuse_case(request: HttpRequest, number: str, payload: RefuseIn):
    case = selectors.case_get_for(user=request.user, number=number)
    refused = services.case_refuse(user=request.user, case=case, reason=payload.reason)
    return _detail(request, refused)
