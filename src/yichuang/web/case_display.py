"""What the applicant's case pages show about a case: its light, its history in words, and
the checklist of the item's materials. Read-only helpers over the case engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from yichuang.cases import deadlines
from yichuang.cases.events import event_label
from yichuang.cases.models import (
    Case,
    CaseEvent,
    MaterialCommitment,
    Notice,
    NoticeKind,
    SubmittedMaterial,
    Suspension,
    SuspensionKind,
)
from yichuang.cases.services import opening, timing
from yichuang.cases.workflow import Actor, Status, transition_allowed
from yichuang.catalog.models import Material, MaterialSource

LIGHT_LABELS: dict[str, Any] = {
    deadlines.Light.GREEN: _("正常"),
    deadlines.Light.YELLOW: _("临近到期"),
    deadlines.Light.RED: _("已超期"),
}

# The statuses in which the applicant's uploads are still part of the file.
UPLOAD_STATUSES = frozenset(
    {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.CORRECTION_REQUESTED,
        Status.AWAITING_MATERIALS,
        Status.ACCEPTED,
        Status.IN_REVIEW,
        Status.SUSPENDED,
        Status.PENDING_DECISION,
    }
)


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    who: str
    what: str
    reason: str
    to_status: str
    detail: str = ""


def timeline(events: list[CaseEvent]) -> list[TimelineEntry]:
    status_labels = dict(Status.choices)
    actor_labels = dict(Actor.choices)
    return [
        TimelineEntry(
            at=event.at,
            who=event.actor_label or str(actor_labels.get(event.actor_kind, "")),
            what=event_label(event.kind),
            reason=event.reason,
            to_status=str(status_labels.get(event.to_status, ""))
            if event.to_status and event.to_status != event.from_status
            else "",
            detail=str((event.data or {}).get("name") or "")
            if event.kind == "material_added"
            else "",
        )
        for event in events
    ]


# Whether the item may be applied for online: the rule `case_open` applies.
online_intake = opening.online_intake_allowed


case_light = timing.case_light


# Before acceptance no clock runs yet; after the decision (or a refusal, a withdrawal, a
# return) it has stopped for good.
BEFORE_ACCEPTANCE = frozenset(
    {Status.DRAFT, Status.SUBMITTED, Status.CORRECTION_REQUESTED, Status.AWAITING_MATERIALS}
)


def light_label(light: deadlines.Light | None, *, status: str) -> str:
    """The words beside the light, or why there is none."""
    if light is not None:
        return str(LIGHT_LABELS[light])
    return str(_("未开始计时") if status in BEFORE_ACCEPTANCE else _("已停止计时"))


@dataclass
class ChecklistRow:
    material: Material
    handed_in: list[SubmittedMaterial] = field(default_factory=list)

    @property
    def shared(self) -> bool:
        return self.material.source == MaterialSource.DATA_SHARING

    @property
    def missing(self) -> bool:
        return self.material.required and not self.shared and not self.handed_in


def checklist(
    *, materials: list[Material], submitted: list[SubmittedMaterial]
) -> tuple[list[ChecklistRow], list[SubmittedMaterial]]:
    """One row per catalogue material with the files handed in for it, and the files
    handed in without a catalogue material."""
    rows = {m.pk: ChecklistRow(material=m) for m in materials}
    others: list[SubmittedMaterial] = []
    for item in submitted:
        row = rows.get(item.material_id) if item.material_id is not None else None
        if row is None:
            others.append(item)
        else:
            row.handed_in.append(item)
    return list(rows.values()), others


def applicant_may(*, case: Case, to_status: str) -> bool:
    """Whether the transition table lets the applicant move the case to `to_status`."""
    return transition_allowed(from_status=case.status, to_status=to_status, by=Actor.APPLICANT)


# -- correction (补正) and pending materials (容缺) ------------------------------------------


@dataclass
class CorrectionItem:
    """One entry of a correction notice, with the files handed in for it since."""

    name: str
    note: str
    material: Material | None
    slot: str
    supplied: list[SubmittedMaterial] = field(default_factory=list)


@dataclass
class Correction:
    notice: Notice
    department: str
    items: list[CorrectionItem]
    # During review (suspended): the supplement is declared with "提交补正材料"; before
    # acceptance (pre-review) the applicant resubmits the case instead.
    during_review: bool
    # Whether any file arrived after the notice (what the supplement service requires).
    any_supplied: bool = False


def _latest(notices: list[Notice], kind: str) -> Notice | None:
    found = [n for n in notices if n.kind == kind]
    return max(found, key=lambda n: (n.issued_at, n.pk)) if found else None


def open_correction_suspension(suspensions: list[Suspension]) -> Suspension | None:
    return next(
        (s for s in suspensions if s.ended_on is None and s.kind == SuspensionKind.CORRECTION),
        None,
    )


def correction(
    *,
    case: Case,
    notices: list[Notice],
    suspensions: list[Suspension],
    materials: list[Material],
    submitted: list[SubmittedMaterial],
) -> Correction | None:
    """What the latest correction notice asks for, while the case waits for it: suspended
    for a correction during review, or sent back for correction at pre-review."""
    during_review = case.status == Status.SUSPENDED
    if during_review and open_correction_suspension(suspensions) is None:
        return None
    if not during_review and case.status != Status.CORRECTION_REQUESTED:
        return None
    notice = _latest(notices, NoticeKind.CORRECTION)
    if notice is None:
        return None
    since = [m for m in submitted if m.uploaded_at > notice.issued_at]
    by_pk = {m.pk: m for m in materials}
    body = notice.body or {}
    items = []
    for position, entry in enumerate(body.get("items") or [], start=1):
        material_id = entry.get("material")
        items.append(
            CorrectionItem(
                name=str(entry.get("name") or ""),
                note=str(entry.get("note") or ""),
                material=by_pk.get(material_id) if material_id else None,
                slot=f"correction-{position}",
                supplied=[m for m in since if material_id and m.material_id == material_id],
            )
        )
    return Correction(
        notice=notice,
        department=str(body.get("department") or ""),
        items=items,
        during_review=during_review,
        any_supplied=bool(since),
    )


@dataclass
class PendingRow:
    material: Material
    slot: str
    supplied: list[SubmittedMaterial] = field(default_factory=list)


@dataclass
class PendingCommitment:
    """容缺: a commitment not yet fulfilled, what it covers and what happens otherwise."""

    commitment: MaterialCommitment
    rows: list[PendingRow]
    consequence: str

    @property
    def overdue(self) -> bool:
        return self.commitment.broken_at is not None


def commitments_pending(
    *,
    commitments: list[MaterialCommitment],
    notices: list[Notice],
    submitted: list[SubmittedMaterial],
) -> list[PendingCommitment]:
    """The unfulfilled commitments (materials prefetched), each with its materials and the
    consequence stated in the 容缺受理通知书."""
    notice = _latest(notices, NoticeKind.PENDING_MATERIALS)
    consequence = str((notice.body or {}).get("consequence") or "") if notice else ""
    result = []
    for commitment in commitments:
        if commitment.fulfilled_at is not None:
            continue
        rows = [
            PendingRow(
                material=material,
                slot=f"pending-{commitment.pk}-{material.pk}",
                supplied=[m for m in submitted if m.material_id == material.pk],
            )
            for material in commitment.materials.all()
        ]
        result.append(PendingCommitment(commitment=commitment, rows=rows, consequence=consequence))
    return result
