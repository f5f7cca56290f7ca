"""The kinds of events a case's history records, with their Chinese labels.

Every service names its event with one of these kinds (`case_event_record(kind=…)` or
`status_move(kind=…)`); pages and the API show the label. A test checks that every kind a
service writes has a label here.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

EVENT_LABELS = {
    "opened": _("创建申请"),
    "submitted": _("提交申请"),
    "resubmitted": _("重新提交"),
    "material_added": _("上传材料"),
    "correction_requested": _("要求补正"),
    "supplement_submitted": _("补正材料已提交"),
    "one_time_notice": _("一次性告知"),
    "not_accepted": _("不予受理"),
    "accepted": _("受理"),
    "accepted_with_pending": _("容缺受理"),
    "pending_supplied": _("容缺材料已补齐"),
    "pending_overdue": _("容缺材料逾期未补"),
    "no_review_stage": _("无需部门审查"),
    "stage_started": _("进入审查环节"),
    "stage_completed": _("审查环节完成"),
    "stage_returned": _("退回上一环节"),
    "review_completed": _("部门审查完成"),
    "task_approved": _("部门审查同意"),
    "task_deemed_approved": _("超时默认同意"),
    "task_rejected": _("部门审查不同意"),
    "suspended": _("暂停计时"),
    "special_procedure_ended": _("特别程序结束"),
    "resumed": _("恢复计时"),
    "extension_requested": _("申请延期"),
    "extension_approved": _("延期已批准"),
    "extension_refused": _("延期未批准"),
    "decided": _("作出决定"),
    "refused": _("不予许可"),
    "result_issued": _("出具办理结果"),
    "concluded": _("办结"),
    "withdrawn": _("申请人撤回"),
    "returned": _("退回申请"),
}


def event_label(kind: str) -> str:
    """The Chinese label of an event kind; an unknown kind is shown as it is."""
    label = EVENT_LABELS.get(kind)
    return str(label) if label is not None else kind
