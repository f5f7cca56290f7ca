"""A case with everything a notification may mention: applicant and agent logins, a
commitment, a correction notice, a suspension, an extension, a decision and a result."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from yichuang.cases.models import (
    Case,
    Decision,
    Delivery,
    Extension,
    ExtensionStatus,
    MaterialCommitment,
    Notice,
    NoticeKind,
    Outcome,
    Result,
    Suspension,
    SuspensionKind,
)
from yichuang.cases.tests import factories as case_factories
from yichuang.cases.workflow import Status
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.notifications.models import Message

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
AT = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


def case(*, status: str = Status.IN_REVIEW, **overrides) -> Case:
    """An accepted case of an applicant and an agent who both have logins."""
    version = overrides.pop("item_version", None) or catalog_factories.published_item()
    values = {
        "item_version": version,
        "applicant": case_factories.applicant(with_user=True, phone="13812345678"),
        "agent": case_factories.applicant(with_user=True),
        "power_of_attorney": True,
        "status": status,
        "accepted_on": dt.date(2026, 3, 2),
        "due_date": dt.date(2026, 3, 9),
    }
    values.update(overrides)
    return case_factories.case(**values)


def commitment(
    *, case: Case, supply_by: dt.date = dt.date(2026, 3, 6), **overrides
) -> MaterialCommitment:
    values = {
        "signed_by_name": case.applicant.name,
        "signed_by_id_number": case.applicant.id_number,
        "signed_at": AT,
        "supply_by": supply_by,
    }
    values.update(overrides)
    row = MaterialCommitment.objects.create(case=case, **values)
    row.materials.set(case.item_version.materials.order_by("position")[:2])
    return row


def notice(*, case: Case, kind: str, body: dict, n: int = 1) -> Notice:
    return Notice.objects.create(
        case=case, kind=kind, number=f"{case.number}-N{n:02d}", issued_at=AT, body=body
    )


def correction_notice(*, case: Case) -> Notice:
    return notice(
        case=case,
        kind=NoticeKind.CORRECTION,
        body={
            "items": [
                {"name": "营业执照", "note": "复印件不清晰"},
                {"name": "租赁合同", "note": ""},
            ],
            "supply_by": "2026-03-20",
        },
    )


def everything(*, case: Case) -> Case:
    """Every fact a composer reads, so any event can be announced on this case."""
    commitment(case=case)
    correction_notice(case=case)
    notice(
        case=case,
        kind=NoticeKind.ONE_TIME,
        body={"items": [{"name": "身份证", "note": "未提交"}]},
        n=2,
    )
    notice(case=case, kind=NoticeKind.REFUSAL, body={"reason": "不属于本中心受理范围"}, n=3)
    Suspension.objects.create(
        case=case, kind=SuspensionKind.EXPERT_REVIEW, reason="专家论证", started_on=AT.date()
    )
    Extension.objects.create(
        case=case,
        workdays=10,
        reason="情况复杂",
        status=ExtensionStatus.APPROVED,
        requested_at=AT,
        approved_at=AT,
    )
    Decision.objects.create(case=case, outcome=Outcome.APPROVED, decided_at=AT)
    Result.objects.create(
        case=case, name="食品经营许可证", number="JY1150422000001", delivery=Delivery.PICKUP
    )
    return case


def messages_of(user) -> list[Message]:
    return list(Message.objects.filter(recipient=user).order_by("id"))
