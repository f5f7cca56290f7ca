"""The Chinese text of each case event's notification: a title and a body.

Each composer reads the committed case (and its latest notice, commitment, suspension,
extension, decision or result) and returns the text; the same body goes into the in-app
message and the SMS.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from yichuang.cases import hooks
from yichuang.cases.models import (
    Case,
    Decision,
    Delivery,
    Extension,
    ExtensionStatus,
    MaterialCommitment,
    Notice,
    NoticeKind,
    Result,
    Suspension,
)


@dataclass(frozen=True)
class Text:
    title: str
    body: str


def date_zh(day: dt.date | str | None) -> str:
    """`2026-03-09` → `2026年3月9日`."""
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return f"{day.year}年{day.month}月{day.day}日"


def _ref(case: Case) -> dict[str, str]:
    return {"number": case.number, "item": case.item_version.name}


def open_commitment(case: Case) -> MaterialCommitment | None:
    """The case's latest commitment that is neither fulfilled nor broken."""
    return (
        case.commitments.filter(fulfilled_at__isnull=True, broken_at__isnull=True)
        .order_by("-signed_at", "-id")
        .first()
    )


def _commitment_materials(commitment: MaterialCommitment) -> str:
    return "、".join(commitment.materials.order_by("position", "id").values_list("name", flat=True))


def _latest_notice(case: Case, kind: str) -> Notice | None:
    return case.notices.filter(kind=kind).order_by("-issued_at", "-id").first()


def _notice_items(notice: Notice | None) -> str:
    """`材料A（未提交）、材料B（复印件不清晰）` from a notice body `{"items": [...]}`."""
    if notice is None:
        return ""
    parts = []
    for item in (notice.body or {}).get("items", []):
        name, note = str(item.get("name", "")), str(item.get("note", "")).strip()
        parts.append(f"{name}（{note}）" if note else name)
    return "、".join(parts)


def accepted(case: Case) -> Text:
    body = _("您的办件（编号%(number)s，%(item)s）已受理，承诺办结日期%(due)s。") % {
        **_ref(case),
        "due": date_zh(case.due_date),
    }
    commitment = open_commitment(case)
    if commitment is not None:
        body += _("请于%(date)s前补交容缺材料：%(materials)s。") % {
            "date": date_zh(commitment.supply_by),
            "materials": _commitment_materials(commitment),
        }
    return Text(_("办件已受理"), body)


def correction_requested(case: Case) -> Text:
    notice = _latest_notice(case, NoticeKind.CORRECTION)
    items = _notice_items(notice) or _("详见补正材料通知书")
    supply_by = (notice.body or {}).get("supply_by") if notice is not None else None
    if supply_by:
        ask = _("请于%(date)s前补正以下材料：%(items)s。") % {
            "date": date_zh(supply_by),
            "items": items,
        }
    else:
        ask = _("请补正以下材料：%(items)s。") % {"items": items}
    body = _("您的办件（编号%(number)s，%(item)s）需要补正材料。") % _ref(case) + ask
    return Text(_("请补正材料"), body)


def one_time_notice(case: Case) -> Text:
    items = _notice_items(_latest_notice(case, NoticeKind.ONE_TIME)) or _("详见一次性告知书")
    body = _(
        "您的申请（编号%(number)s，%(item)s）材料不齐全或不符合要求，请一次性补齐：%(items)s。"
    ) % {**_ref(case), "items": items}
    return Text(_("一次性告知"), body)


def not_accepted(case: Case) -> Text:
    notice = _latest_notice(case, NoticeKind.REFUSAL)
    reason = str((notice.body or {}).get("reason", "")) if notice is not None else ""
    body = _("您的申请（编号%(number)s，%(item)s）不予受理。") % _ref(case)
    if reason:
        body += _("理由：%(reason)s。") % {"reason": reason}
    return Text(_("申请不予受理"), body)


def pending_due_soon(case: Case) -> Text:
    commitment = open_commitment(case)
    body = _("您的办件（编号%(number)s，%(item)s）的容缺材料补交期限将到。") % _ref(case)
    if commitment is not None:
        body += _("请于%(date)s前补交：%(materials)s，逾期将暂停办理。") % {
            "date": date_zh(commitment.supply_by),
            "materials": _commitment_materials(commitment),
        }
    return Text(_("容缺材料补交提醒"), body)


def pending_overdue(case: Case) -> Text:
    body = _("您的办件（编号%(number)s，%(item)s）容缺材料未按期补交，已暂停办理。") % _ref(case)
    return Text(_("容缺材料逾期未补"), body)


def suspended(case: Case) -> Text:
    suspension = Suspension.objects.filter(case=case, ended_on__isnull=True).order_by("-id").first()
    body = _("您的办件（编号%(number)s，%(item)s）已暂停计时") % _ref(case)
    if suspension is not None:
        body += _("（%(kind)s）") % {"kind": suspension.get_kind_display()}
    return Text(_("办件暂停计时"), body + _("，暂停期间不计入办理时限。"))


def resumed(case: Case) -> Text:
    body = _("您的办件（编号%(number)s，%(item)s）已恢复办理，承诺办结日期%(due)s。") % {
        **_ref(case),
        "due": date_zh(case.due_date),
    }
    return Text(_("办件恢复办理"), body)


def extension_approved(case: Case) -> Text:
    extension = (
        Extension.objects.filter(case=case, status=ExtensionStatus.APPROVED)
        .order_by("-approved_at", "-id")
        .first()
    )
    days = extension.workdays if extension is not None else 0
    body = _(
        "您的办件（编号%(number)s，%(item)s）办理期限延长%(days)d个工作日，承诺办结日期为%(due)s。"
    ) % {**_ref(case), "days": days, "due": date_zh(case.due_date)}
    return Text(_("办理期限延长"), body)


def decided(case: Case) -> Text:
    decision = Decision.objects.filter(case=case).first()
    outcome = decision.get_outcome_display() if decision is not None else ""
    body = _("您的办件（编号%(number)s，%(item)s）已作出决定：%(outcome)s。") % {
        **_ref(case),
        "outcome": outcome,
    }
    return Text(_("办件已作出决定"), body)


def _collect(case: Case, result: Result) -> str:
    if result.delivery == Delivery.PICKUP:
        return _("请携带有效身份证件到%(centre)s出件窗口领取。") % {"centre": case.centre.name}
    if result.delivery == Delivery.POST:
        if result.tracking_number:
            return _("已邮寄送达，快递单号%(tracking)s。") % {"tracking": result.tracking_number}
        return _("将邮寄送达，请注意查收。")
    return _("已电子送达，请登录网上办事大厅查看下载。")


def concluded(case: Case) -> Text:
    result = Result.objects.filter(case=case).first()
    body = _("您的办件（编号%(number)s，%(item)s）已办结。") % _ref(case)
    if result is not None:
        body += _("办理结果：%(name)s。") % {"name": result.name} + _collect(case, result)
    return Text(_("办件已办结"), body)


def withdrawn(case: Case) -> Text:
    return Text(_("办件已撤回"), _("您的办件（编号%(number)s，%(item)s）已撤回。") % _ref(case))


def returned(case: Case) -> Text:
    body = _("您的办件（编号%(number)s，%(item)s）已退回，如需继续办理请重新申请。") % _ref(case)
    return Text(_("办件已退回"), body)


COMPOSERS: dict[str, Callable[[Case], Text]] = {
    hooks.ACCEPTED: accepted,
    hooks.CORRECTION_REQUESTED: correction_requested,
    hooks.ONE_TIME_NOTICE: one_time_notice,
    hooks.NOT_ACCEPTED: not_accepted,
    hooks.PENDING_DUE_SOON: pending_due_soon,
    hooks.PENDING_OVERDUE: pending_overdue,
    hooks.SUSPENDED: suspended,
    hooks.RESUMED: resumed,
    hooks.EXTENSION_APPROVED: extension_approved,
    hooks.DECIDED: decided,
    hooks.CONCLUDED: concluded,
    hooks.WITHDRAWN: withdrawn,
    hooks.RETURNED: returned,
}
