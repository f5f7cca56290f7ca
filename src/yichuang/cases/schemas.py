"""API schemas of the case engine, and the functions that render a case for one reader.

Identity numbers are shown as the reader may see them (`identity.access.id_number_for`);
lights are computed when rendered (`cases.services.timing`), never stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from urllib.parse import quote

from ninja import Field, Schema

from yichuang.cases.models import (
    Case,
    CaseEvent,
    Channel,
    Delivery,
    ExtensionStatus,
    MaterialOrigin,
    Notice,
    NoticeKind,
    Outcome,
    SubmittedMaterial,
    SuspensionKind,
    Task,
    TaskStatus,
)
from yichuang.cases.services.timing import case_light, task_light
from yichuang.cases.workflow import Actor, Status
from yichuang.catalog.models import Material
from yichuang.common.pagination import CURSOR_MAX_LENGTH
from yichuang.identity.access import id_number_for
from yichuang.identity.models import ApplicantKind
from yichuang.workdays.calendar import WorkCalendar

MAX_PAGE_SIZE = 100
CURSOR = Field(
    None,
    max_length=CURSOR_MAX_LENGTH,
    description="上一页答复中的 next；不填为第一页。无效的游标答复 422 invalid_cursor",
)
_MAX_ID = 2**31 - 1

LightName = Literal["green", "yellow", "red"]


# -- input ---------------------------------------------------------------------------------


class CaseFilters(Schema):
    status: Status | None = Field(None, description="办件状态")
    item: str | None = Field(None, max_length=64, description="事项实施编码")
    overdue: bool = Field(False, description="只看已超期的办件")
    cursor: str | None = CURSOR
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class ApplicantIn(Schema):
    kind: ApplicantKind = Field(description="natural_person：自然人；legal_person：法人")
    id_number: str = Field(max_length=32, description="公民身份号码或统一社会信用代码")
    name: str = Field(max_length=200)
    phone: str = Field("", max_length=20)


class CaseOpenIn(Schema):
    item: str = Field(max_length=64, description="事项实施编码（使用其已发布版本）")
    applicant: ApplicantIn | None = Field(
        None, description="工作人员代为申请时填写；申请人本人申请时省略"
    )
    channel: Channel | None = Field(
        None, description="申请渠道；省略时工作人员为窗口，申请人为网上"
    )
    agent_name: str = Field("", max_length=100)
    agent_id_number: str = Field("", max_length=18)
    power_of_attorney: bool = False
    form_data: dict[str, Any] = Field(default_factory=dict, description="申请表内容")


class DefectIn(Schema):
    material: int = Field(ge=1, le=_MAX_ID, description="事项材料 id")
    note: str = Field(max_length=500, description="材料存在的问题")


class OneTimeNoticeIn(Schema):
    defects: list[DefectIn] = Field(
        default_factory=list, max_length=200, description="已提交但有问题的材料"
    )


class RefuseIn(Schema):
    reason: str = Field(max_length=2000, description="不予受理的理由")


MaterialId = Annotated[int, Field(ge=1, le=_MAX_ID)]


class AcceptIn(Schema):
    """Without `pending`: 受理. With `pending`: 容缺受理 with the applicant's commitment."""

    pending: list[MaterialId] = Field(
        default_factory=list, max_length=200, description="容缺的事项材料 id（容缺受理时填写）"
    )
    signed_by_name: str = Field("", max_length=100, description="承诺人姓名")
    signed_by_id_number: str = Field("", max_length=32, description="承诺人证件号码")
    supply_by: dt.date | None = Field(
        None, description="补交期限（YYYY-MM-DD），省略时为承诺办结日期"
    )


class CorrectionItemIn(Schema):
    material: MaterialId | None = Field(None, description="事项材料 id；申请表等其他内容省略")
    note: str = Field(max_length=500, description="需要补正的内容")


class CorrectionIn(Schema):
    items: list[CorrectionItemIn] = Field(max_length=200, description="需要补正的每一项")


class WithdrawIn(Schema):
    reason: str = Field("", max_length=2000, description="撤回的原因")


class DecideIn(Schema):
    outcome: Outcome = Field(description="approved：准予许可；refused：不予许可")
    reason: str = Field("", max_length=2000, description="理由（不予许可时必填）")


class ConcludeIn(Schema):
    result_name: str = Field("", max_length=200, description="结果名称；省略时按事项填写")
    result_number: str = Field("", max_length=100, description="结果文号")
    delivery: Delivery = Field(Delivery.PICKUP, description="送达方式")
    tracking_number: str = Field("", max_length=60, description="快递单号（邮寄送达时必填）")


class OpinionIn(Schema):
    opinion: str = Field("", max_length=2000, description="审查意见")


class TaskRejectIn(Schema):
    reason: str = Field(max_length=2000, description="不同意的理由")


class SuspendIn(Schema):
    kind: SuspensionKind = Field(description="特别程序的类型（听证、检验检测、鉴定、专家评审等）")
    reason: str = Field(max_length=2000, description="暂停计时的原因")


class ExtensionIn(Schema):
    workdays: int = Field(ge=1, le=30, description="延长的工作日数")
    reason: str = Field(max_length=2000, description="延期的理由")


class ExtensionDecideIn(Schema):
    approve: bool = Field(description="true：批准；false：不批准")
    note: str = Field("", max_length=2000, description="审批意见")


class TaskFilters(Schema):
    status: TaskStatus = Field(TaskStatus.PENDING, description="任务状态")
    cursor: str | None = CURSOR
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


# -- output --------------------------------------------------------------------------------


class LookupOut(Schema):
    """The public lookup: status and due date only, nothing personal. A fixed shape."""

    number: str
    status: Status
    status_label: str
    due_date: dt.date | None
    light: LightName | None


class CaseSummaryOut(Schema):
    number: str
    item_code: str = Field(description="事项实施编码")
    item_name: str
    applicant_name: str
    applicant_id_number: str = Field(description="按查看人权限脱敏")
    status: Status
    status_label: str
    channel: Channel
    channel_label: str
    submitted_at: dt.datetime | None
    accepted_on: dt.date | None
    due_date: dt.date | None
    due_provisional: bool
    light: LightName | None


class CasePageOut(Schema):
    """One page of cases, newest first (overdue: the longest overdue first). Keyset
    pagination: pass `next` as `cursor` for the following page. No total is given: an
    exact count over a province's cases would cost more than the page itself."""

    page_size: int
    has_more: bool = Field(description="是否还有下一页")
    next: str | None = Field(description="下一页的游标（作为 cursor 传入）；没有下一页时为 null")
    items: list[CaseSummaryOut]


class AgentOut(Schema):
    name: str
    id_number: str = Field(description="按查看人权限脱敏")
    power_of_attorney: bool


class SubmittedMaterialOut(Schema):
    id: int
    material_id: int | None = Field(description="对应的事项材料 id")
    material_name: str
    content_type: str
    size: int
    sha256: str
    origin: MaterialOrigin
    origin_label: str
    uploaded_at: dt.datetime
    download: str = Field(description="下载地址（需有权查看该办件）")


class MissingMaterialOut(Schema):
    id: int
    name: str


class NoticeOut(Schema):
    kind: NoticeKind
    label: str
    number: str
    issued_at: dt.datetime
    body: dict[str, Any]
    pdf: str = Field(description="文书 PDF 地址（需有权查看该办件）")


class TaskOut(Schema):
    id: int
    department: str
    status: TaskStatus
    status_label: str
    started_on: dt.date
    due_date: dt.date | None
    light: LightName | None


class StageOut(Schema):
    number: int
    name: str
    started_on: dt.date
    completed_at: dt.datetime | None
    outcome: str
    tasks: list[TaskOut]


class SuspensionOut(Schema):
    kind: SuspensionKind
    label: str
    reason: str
    started_on: dt.date
    ended_on: dt.date | None


class ExtensionOut(Schema):
    id: int
    task_id: int | None = Field(description="申请延期的审批任务 id")
    workdays: int
    reason: str
    status: ExtensionStatus
    status_label: str
    requested_at: dt.datetime
    approved_at: dt.datetime | None
    decision_note: str


class DecisionOut(Schema):
    outcome: Outcome
    label: str
    reason: str
    decided_at: dt.datetime


class ResultOut(Schema):
    name: str
    number: str
    delivery: Delivery
    delivery_label: str
    tracking_number: str
    delivered_at: dt.datetime | None


class CaseDetailOut(CaseSummaryOut):
    centre: str
    agent: AgentOut | None
    form_data: dict[str, Any]
    materials: list[SubmittedMaterialOut]
    missing_materials: list[MissingMaterialOut]
    notices: list[NoticeOut]
    stages: list[StageOut]
    suspensions: list[SuspensionOut]
    extensions: list[ExtensionOut]
    decision: DecisionOut | None
    result: ResultOut | None


class TaskInboxOut(Schema):
    id: int
    case_number: str
    item_code: str = Field(description="事项实施编码")
    item_name: str
    applicant_name: str
    applicant_id_number: str = Field(description="按查看人权限脱敏")
    stage_number: int
    stage_name: str
    department: str
    status: TaskStatus
    status_label: str
    started_on: dt.date
    due_date: dt.date | None
    due_provisional: bool
    light: LightName | None


class TaskPageOut(Schema):
    """One page of the department's tasks, the earliest due date first (undated last).
    Keyset pagination like `CasePageOut`; no total."""

    page_size: int
    has_more: bool = Field(description="是否还有下一页")
    next: str | None = Field(description="下一页的游标（作为 cursor 传入）；没有下一页时为 null")
    items: list[TaskInboxOut]


class EventOut(Schema):
    seq: int
    at: dt.datetime
    actor_label: str
    actor_kind: Actor
    kind: str
    from_status: str
    from_status_label: str
    to_status: str
    to_status_label: str
    reason: str
    data: dict[str, Any]


# -- rendering -----------------------------------------------------------------------------


def _label(choices: type, value: str) -> str:
    return str(choices(value).label) if value else ""


def _light(value: Any) -> str | None:
    return None if value is None else str(value)


def case_lookup_out(case: Case, *, today: dt.date) -> dict[str, Any]:
    return {
        "number": case.number,
        "status": case.status,
        "status_label": _label(Status, case.status),
        "due_date": case.due_date,
        "light": _light(case_light(case=case, today=today)),
    }


def case_summary_out(
    case: Case, *, user: Any, today: dt.date, calendar: WorkCalendar
) -> dict[str, Any]:
    version = case.item_version
    return {
        "number": case.number,
        "item_code": version.item.implementation_code,
        "item_name": version.name,
        "applicant_name": case.applicant.name,
        "applicant_id_number": id_number_for(user, case.applicant.id_number),
        "status": case.status,
        "status_label": _label(Status, case.status),
        "channel": case.channel,
        "channel_label": _label(Channel, case.channel),
        "submitted_at": case.submitted_at,
        "accepted_on": case.accepted_on,
        "due_date": case.due_date,
        "due_provisional": case.due_provisional,
        "light": _light(case_light(case=case, today=today, calendar=calendar)),
    }


def material_download_path(row: SubmittedMaterial) -> str:
    return f"/api/v1/cases/{row.case.number}/materials/{row.pk}/file"


def notice_pdf_path(notice: Notice) -> str:
    return f"/api/v1/cases/{quote(notice.case.number)}/notices/{quote(notice.number)}.pdf"


def submitted_material_out(row: SubmittedMaterial) -> dict[str, Any]:
    return {
        "id": row.pk,
        "material_id": row.material_id,
        "material_name": row.material.name if row.material else "",
        "content_type": row.content_type,
        "size": row.size,
        "sha256": row.sha256,
        "origin": row.origin,
        "origin_label": _label(MaterialOrigin, row.origin),
        "uploaded_at": row.uploaded_at,
        "download": material_download_path(row),
    }


def _agent_out(case: Case, *, user: Any) -> dict[str, Any] | None:
    if not (case.agent_id or case.agent_name):
        return None
    return {
        "name": case.agent_name or (case.agent.name if case.agent else ""),
        "id_number": id_number_for(user, case.agent_id_number),
        "power_of_attorney": case.power_of_attorney,
    }


def _stages_out(case: Case, *, today: dt.date, calendar: WorkCalendar) -> list[dict[str, Any]]:
    stages = case.stages.prefetch_related("tasks__department").order_by("number")
    return [
        {
            "number": stage.number,
            "name": stage.name,
            "started_on": stage.started_on,
            "completed_at": stage.completed_at,
            "outcome": stage.outcome,
            "tasks": [
                {
                    "id": task.pk,
                    "department": task.department.name,
                    "status": task.status,
                    "status_label": _label(TaskStatus, task.status),
                    "started_on": task.started_on,
                    "due_date": task.due_date,
                    "light": _light(
                        task_light(task=_with_case(task, case), today=today, calendar=calendar)
                    ),
                }
                for task in stage.tasks.all()
            ],
        }
        for stage in stages
    ]


def _with_case(task: Any, case: Case) -> Any:
    task.case = case  # the case in hand carries its suspensions; no query per task
    return task


def _decision_out(case: Case) -> dict[str, Any] | None:
    decision = getattr(case, "decision", None)
    if decision is None:
        return None
    return {
        "outcome": decision.outcome,
        "label": _label(Outcome, decision.outcome),
        "reason": decision.reason,
        "decided_at": decision.decided_at,
    }


def _result_out(case: Case) -> dict[str, Any] | None:
    result = getattr(case, "result", None)
    if result is None:
        return None
    return {
        "name": result.name,
        "number": result.number,
        "delivery": result.delivery,
        "delivery_label": _label(Delivery, result.delivery),
        "tracking_number": result.tracking_number,
        "delivered_at": result.delivered_at,
    }


def case_detail_out(
    case: Case,
    *,
    user: Any,
    today: dt.date,
    calendar: WorkCalendar,
    missing: list[Material],
) -> dict[str, Any]:
    """The whole case for a reader who may see it (`missing`: `selectors.materials_missing`)."""
    out = case_summary_out(case, user=user, today=today, calendar=calendar)
    materials = case.materials.select_related("material", "case").order_by("uploaded_at", "id")
    out.update(
        {
            "centre": case.centre.name,
            "agent": _agent_out(case, user=user),
            "form_data": case.form_data or {},
            "materials": [submitted_material_out(row) for row in materials],
            "missing_materials": [{"id": m.pk, "name": m.name} for m in missing],
            "notices": [
                {
                    "kind": n.kind,
                    "label": _label(NoticeKind, n.kind),
                    "number": n.number,
                    "issued_at": n.issued_at,
                    "body": n.body or {},
                    "pdf": notice_pdf_path(n),
                }
                for n in case.notices.select_related("case").order_by("issued_at", "id")
            ],
            "stages": _stages_out(case, today=today, calendar=calendar),
            "suspensions": [
                {
                    "kind": s.kind,
                    "label": _label(SuspensionKind, s.kind),
                    "reason": s.reason,
                    "started_on": s.started_on,
                    "ended_on": s.ended_on,
                }
                for s in case.suspensions.all()
            ],
            "extensions": [
                {
                    "id": e.pk,
                    "task_id": e.task_id,
                    "workdays": e.workdays,
                    "reason": e.reason,
                    "status": e.status,
                    "status_label": _label(ExtensionStatus, e.status),
                    "requested_at": e.requested_at,
                    "approved_at": e.approved_at,
                    "decision_note": e.decision_note,
                }
                for e in case.extensions.all()
            ],
            "decision": _decision_out(case),
            "result": _result_out(case),
        }
    )
    return out


def task_inbox_out(
    task: Task, *, user: Any, today: dt.date, calendar: WorkCalendar
) -> dict[str, Any]:
    """One row of the reviewer's inbox (the task's case, stage and department loaded)."""
    case = task.case
    return {
        "id": task.pk,
        "case_number": case.number,
        "item_code": case.item_version.item.implementation_code,
        "item_name": case.item_version.name,
        "applicant_name": case.applicant.name,
        "applicant_id_number": id_number_for(user, case.applicant.id_number),
        "stage_number": task.stage.number,
        "stage_name": task.stage.name,
        "department": task.department.name,
        "status": task.status,
        "status_label": _label(TaskStatus, task.status),
        "started_on": task.started_on,
        "due_date": task.due_date,
        "due_provisional": task.due_provisional,
        "light": _light(task_light(task=task, today=today, calendar=calendar)),
    }


def event_out(event: CaseEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at,
        "actor_label": event.actor_label,
        "actor_kind": event.actor_kind,
        "kind": event.kind,
        "from_status": event.from_status,
        "from_status_label": _label(Status, event.from_status),
        "to_status": event.to_status,
        "to_status_label": _label(Status, event.to_status),
        "reason": event.reason,
        "data": event.data or {},
    }
