"""The case API at /api/v1/cases — look up, list, read, open, submit, upload; accept (with
pending materials), one-time notice, refuse, pre-review correction; withdraw, decide,
conclude; supplement and resume; the department's task actions and extensions; notices as
PDF — and the reviewer's inbox at /api/v1/tasks.

Handlers parse, call one service or selector, render. Every read of a case, and of a
task, extension or notice of it, goes through the access functions of `cases.selectors`
(missing and forbidden both answer 404); every action through `cases.services`, which
authorise. `POST /cases`, `POST /cases/{number}/submit` and `POST /cases/{number}/
supplement` honour an `Idempotency-Key` header (see `_idempotent`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import Body, File, Form, Header, Path, Query, Router, UploadedFile
from ninja.responses import Status

from yichuang.cases import schemas, selectors, services
from yichuang.cases.errors import CaseConflict, CaseError, CaseForbidden
from yichuang.cases.models import Case, IdempotencyKey, Task
from yichuang.cases.schemas import (
    AcceptIn,
    CaseDetailOut,
    CaseFilters,
    CaseOpenIn,
    CasePageOut,
    ConcludeIn,
    CorrectionIn,
    DecideIn,
    EventOut,
    ExtensionDecideIn,
    ExtensionIn,
    LookupOut,
    OneTimeNoticeIn,
    OpinionIn,
    RefuseIn,
    SubmittedMaterialOut,
    SuspendIn,
    TaskFilters,
    TaskPageOut,
    TaskRejectIn,
    WithdrawIn,
)
from yichuang.cases.services import timing
from yichuang.cases.services._base import applicant_of
from yichuang.cases.services.materials import upload_limit
from yichuang.cases.views.notices import notice_pdf_response
from yichuang.catalog.models import Material
from yichuang.catalog.selectors import item_get_published
from yichuang.common import clock
from yichuang.common.auth import API_AUTH
from yichuang.common.pagination import Keyset, keyset_page
from yichuang.common.schemas import ErrorOut
from yichuang.identity.services import applicant_get_or_create
from yichuang.orgs.selectors import staff_for_user
from yichuang.workdays.selectors import calendar_get

# The authentication of every endpoint but the public lookup: the browser's session for
# now; one name so that the bearer-token authentication can replace it in one place.
AUTH = API_AUTH

router = Router(tags=["办件"], auth=AUTH)
# Mounted at /api/v1/tasks: the reviewer's inbox.
tasks_router = Router(tags=["审批任务"], auth=AUTH)

READ_ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
ACTION_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
IDEMPOTENCY_KEY = {"alias": "Idempotency-Key", "max_length": 100, "min_length": 1}
REPLAYED_HEADER = "Idempotent-Replayed"
LOOKUP_NUMBER = {"max_length": 60, "description": "办件编号"}
LOOKUP_CHECK = {"max_length": 20, "description": "申请人证件号码或手机号后6位"}
MATERIAL_ID = {"ge": 1, "le": 2**31 - 1, "description": "对应的事项材料 id"}
TASK_ID = {"ge": 1, "le": 2**63 - 1, "description": "审批任务 id"}
EXTENSION_ID = {"ge": 1, "le": 2**63 - 1, "description": "延期申请 id"}
NOTICE_NUMBER = {"min_length": 1, "max_length": 80, "description": "文书编号"}
PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "文书 PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


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


def _cases_filtered(request: HttpRequest, filters: CaseFilters) -> tuple[QuerySet[Case], Keyset]:
    if filters.overdue:
        cases = selectors.cases_overdue_for(user=request.user, today=clock.today())
        keyset = selectors.CASES_BY_DUE_DATE
    else:
        cases = selectors.for_list(selectors.cases_visible_to(request.user))
        keyset = selectors.CASES_NEWEST_FIRST
    if filters.status is not None:
        cases = cases.filter(status=filters.status)
    if filters.item:
        cases = cases.filter(item_version__item__implementation_code=filters.item)
    return cases, keyset


def _page(
    request: HttpRequest,
    rows: QuerySet[Any],
    *,
    keyset: Keyset,
    cursor: str | None,
    page_size: int,
    render: Callable[..., dict[str, Any]],
    cases_of: Callable[[Any], Case],
) -> dict[str, Any]:
    """The page of `rows` after `cursor`, each rendered for the caller on today's calendar;
    `cases_of(row)` is the case whose clock facts the row's light needs (read for the
    whole page at once, not prefetched row by row)."""
    page = keyset_page(rows.prefetch_related(None), keyset=keyset, cursor=cursor, size=page_size)
    timing.clock_facts_load(cases_of(row) for row in page.rows)
    today, calendar = clock.today(), calendar_get()
    return {
        "page_size": page_size,
        "has_more": page.has_more,
        "next": page.next,
        "items": [
            render(row, user=request.user, today=today, calendar=calendar) for row in page.rows
        ],
    }


@router.get("", response={200: CasePageOut, **READ_ERRORS}, summary="我可查看的办件")
def list_cases(request: HttpRequest, filters: Query[CaseFilters]):
    """The cases the caller may read, newest first (`overdue`: the longest overdue first),
    one page at a time: pass the answer's `next` as `cursor`."""
    cases, keyset = _cases_filtered(request, filters)
    return _page(
        request,
        cases,
        keyset=keyset,
        cursor=filters.cursor,
        page_size=filters.page_size,
        render=schemas.case_summary_out,
        cases_of=lambda case: case,
    )


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


@router.get(
    "/{number}/notices/{notice_number}.pdf",
    response={**READ_ERRORS, 503: ErrorOut},
    summary="下载告知文书 PDF",
    openapi_extra=PDF_RESPONSE,
)
def download_notice(request: HttpRequest, number: str, notice_number: Path[str, NOTICE_NUMBER]):
    """The notice as a printable PDF with a QR code to the public status page; 503 when the
    server has no Chinese font to embed."""
    case = selectors.case_get_for(user=request.user, number=number)
    notice = selectors.notice_get_for(user=request.user, case=case, number=notice_number)
    return notice_pdf_response(request=request, notice=notice)


# What a row of the inbox answer shows, and what its warning light is computed from: the
# busiest list of a department reads these columns of its 7 tables and no others.
TASK_INBOX_FIELDS = (
    *("id", "status", "limit_workdays", "started_on", "due_date", "due_provisional"),
    *("stage_id", "case_id", "department_id", "stage__number", "stage__name", "department__name"),
    *("case__number", "case__status", "case__accepted_on", "case__due_date"),
    *("case__item_version_id", "case__applicant_id", "case__applicant__name"),
    "case__applicant__id_number",
    *("case__item_version__name", "case__item_version__handling_kind"),
    *("case__item_version__promised_limit", "case__item_version__item_id"),
    "case__item_version__item__implementation_code",
)


@tasks_router.get("", response={200: TaskPageOut, **READ_ERRORS}, summary="本部门的审批任务")
def list_tasks(request: HttpRequest, filters: Query[TaskFilters]):
    """The caller's department tasks in `status`, the most urgent first (empty for anyone
    who is not a department reviewer)."""
    tasks = selectors.tasks_inbox_for(user=request.user, status=filters.status)
    return _page(
        request,
        tasks.select_related("case__item_version__item").only(*TASK_INBOX_FIELDS),
        keyset=selectors.TASKS_BY_DUE_DATE,
        cursor=filters.cursor,
        page_size=filters.page_size,
        render=schemas.task_inbox_out,
        cases_of=lambda task: task.case,
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


def _materials_of(
    case: Case, material_ids: list[int | None], *, field: str = "material"
) -> list[Material | None]:
    """The catalogue materials of the case's item version, in the order given (None stays
    None); an id of another item, or of none, is `material_not_of_item`."""
    wanted = {m for m in material_ids if m is not None}
    found = {
        m.pk: m for m in Material.objects.filter(pk__in=wanted, version_id=case.item_version_id)
    }
    if wanted - found.keys():
        raise CaseError(code="material_not_of_item", message=_("该材料不属于本事项"), field=field)
    return [None if m is None else found[m] for m in material_ids]


def _material_of(case: Case, material_id: int | None) -> Material | None:
    return _materials_of(case, [material_id])[0]


def _corrections(case: Case, payload: CorrectionIn) -> list[tuple[Material | None, str]]:
    materials = _materials_of(case, [i.material for i in payload.items], field="items")
    return [(m, i.note) for m, i in zip(materials, payload.items, strict=True)]


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
def accept_case(request: HttpRequest, number: str, payload: Body[AcceptIn | None] = None):
    """受理; with `pending` materials, 容缺受理: only materials the item marks pendable, a
    commitment signed by the applicant (a company's legal representative, or an agent with
    a power of attorney), supplied by `supply_by` (at the latest the due date)."""
    given = payload or AcceptIn()
    case = selectors.case_get_for(user=request.user, number=number)
    accepted = services.case_accept(
        user=request.user,
        case=case,
        pending=_materials_of(case, list(given.pending), field="pending"),
        signed_by_name=given.signed_by_name,
        signed_by_id_number=given.signed_by_id_number,
        supply_by=given.supply_by,
    )
    return _detail(request, accepted)


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


@router.post(
    "/{number}/request-correction",
    response={200: CaseDetailOut, **ACTION_ERRORS},
    summary="预审要求补正",
)
def request_correction(request: HttpRequest, number: str, payload: CorrectionIn):
    """Online pre-review: the submission goes back to the applicant with what to correct."""
    case = selectors.case_get_for(user=request.user, number=number)
    corrected = services.case_request_correction(
        user=request.user, case=case, items=_corrections(case, payload)
    )
    return _detail(request, corrected)


@router.post("/{number}/withdraw", response={200: CaseDetailOut, **ACTION_ERRORS}, summary="撤回")
def withdraw_case(request: HttpRequest, number: str, payload: Body[WithdrawIn | None] = None):
    """The applicant (or their agent) withdraws before the decision."""
    case = selectors.case_get_for(user=request.user, number=number)
    reason = (payload or WithdrawIn()).reason
    return _detail(request, services.case_withdraw(user=request.user, case=case, reason=reason))


@router.post("/{number}/decide", response={200: CaseDetailOut, **ACTION_ERRORS}, summary="作出决定")
def decide_case(request: HttpRequest, number: str, payload: DecideIn):
    """准予许可 or 不予许可 (with the reason)."""
    case = selectors.case_get_for(user=request.user, number=number)
    decided = services.case_decide(
        user=request.user, case=case, outcome=payload.outcome, reason=payload.reason
    )
    return _detail(request, decided)


@router.post("/{number}/conclude", response={200: CaseDetailOut, **ACTION_ERRORS}, summary="办结")
def conclude_case(request: HttpRequest, number: str, payload: ConcludeIn):
    """Record the result and how it reaches the applicant, and conclude the case."""
    case = selectors.case_get_for(user=request.user, number=number)
    concluded = services.case_conclude(
        user=request.user,
        case=case,
        result_name=payload.result_name,
        result_number=payload.result_number,
        delivery=payload.delivery,
        tracking_number=payload.tracking_number,
    )
    return _detail(request, concluded)


@router.post(
    "/{number}/supplement", response={200: CaseDetailOut, **ACTION_ERRORS}, summary="提交补正材料"
)
def submit_supplement(
    request: HttpRequest,
    number: str,
    idempotency_key: Header[str | None, IDEMPOTENCY_KEY] = None,
):
    """The supplement asked for by a correction notice is in (upload it first): the clock
    restarts. A retry with the same `Idempotency-Key` answers the first result."""

    def perform() -> Case:
        case = selectors.case_get_for(user=request.user, number=number)
        return services.case_supplement_submit(user=request.user, case=case)

    return _idempotent(request, key=idempotency_key, status=200, perform=perform)


@router.post("/{number}/resume", response={200: CaseDetailOut, **ACTION_ERRORS}, summary="恢复计时")
def resume_case(request: HttpRequest, number: str):
    """End the running special procedure (by a reviewer of the current stage)."""
    case = selectors.case_get_for(user=request.user, number=number)
    return _detail(request, services.case_resume(user=request.user, case=case))


# -- department tasks and extensions -------------------------------------------------------


def _task(request: HttpRequest, number: str, task_id: int) -> Task:
    case = selectors.case_get_for(user=request.user, number=number)
    return selectors.task_get_for(user=request.user, case=case, task_id=task_id)


@router.post(
    "/{number}/tasks/{task_id}/approve",
    response={200: CaseDetailOut, **ACTION_ERRORS},
    summary="审批同意",
)
def approve_task(
    request: HttpRequest,
    number: str,
    task_id: Path[int, TASK_ID],
    payload: Body[OpinionIn | None] = None,
):
    """The department approves its task; the last approval of a stage completes it."""
    task = _task(request, number, task_id)
    opinion = (payload or OpinionIn()).opinion
    return _detail(
        request, services.task_approve(user=request.user, task=task, opinion=opinion).case
    )


@router.post(
    "/{number}/tasks/{task_id}/reject",
    response={200: CaseDetailOut, **ACTION_ERRORS},
    summary="审批不同意",
)
def reject_task(
    request: HttpRequest, number: str, task_id: Path[int, TASK_ID], payload: TaskRejectIn
):
    """不同意, with the reason: the case is refused or returned to the previous stage."""
    task = _task(request, number, task_id)
    rejected = services.task_reject(user=request.user, task=task, reason=payload.reason)
    return _detail(request, rejected.case)


@router.post(
    "/{number}/tasks/{task_id}/request-correction",
    response={200: CaseDetailOut, **ACTION_ERRORS},
    summary="审批要求补正",
)
def request_task_correction(
    request: HttpRequest, number: str, task_id: Path[int, TASK_ID], payload: CorrectionIn
):
    """补正 during review: the applicant is told what to supply; the clock stops."""
    task = _task(request, number, task_id)
    asked = services.task_request_correction(
        user=request.user, task=task, items=_corrections(task.case, payload)
    )
    return _detail(request, asked.case)


@router.post(
    "/{number}/tasks/{task_id}/suspend",
    response={200: CaseDetailOut, **ACTION_ERRORS},
    summary="启动特别程序（暂停计时）",
)
def suspend_task(
    request: HttpRequest, number: str, task_id: Path[int, TASK_ID], payload: SuspendIn
):
    """A special procedure (hearing, testing, appraisal, expert review…) stops the clock."""
    task = _task(request, number, task_id)
    suspension = services.case_suspend(
        user=request.user, task=task, kind=payload.kind, reason=payload.reason
    )
    return _detail(request, suspension.case)


@router.post(
    "/{number}/tasks/{task_id}/extensions",
    response={201: CaseDetailOut, **ACTION_ERRORS},
    summary="申请延期",
)
def request_extension(
    request: HttpRequest, number: str, task_id: Path[int, TASK_ID], payload: ExtensionIn
):
    """Ask a leader for more working days, before the case's due date."""
    task = _task(request, number, task_id)
    extension = services.extension_request(
        user=request.user, task=task, workdays=payload.workdays, reason=payload.reason
    )
    return Status(201, _detail(request, extension.case))


@router.post(
    "/{number}/extensions/{extension_id}/decide",
    response={200: CaseDetailOut, **ACTION_ERRORS},
    summary="审批延期申请",
)
def decide_extension(
    request: HttpRequest,
    number: str,
    extension_id: Path[int, EXTENSION_ID],
    payload: ExtensionDecideIn,
):
    """A leader approves (the applicant is told the new due date) or refuses."""
    case = selectors.case_get_for(user=request.user, number=number)
    extension = selectors.extension_get_for(user=request.user, case=case, extension_id=extension_id)
    decided = services.extension_decide(
        user=request.user, extension=extension, approve=payload.approve, note=payload.note
    )
    return _detail(request, decided.case)
