"""The tamper-evident history of a case (docs/adr/0002-case-history-hash-chain.md).

Every event carries `prev_hash`, the hash of the case's previous event ("" for the first),
and its own `hash`: SHA-256 over a canonical JSON of its content and `prev_hash`. The case
row keeps the hash of its last event in `history_head`. An event is appended under the
case's own row lock, so chains of different cases are written in parallel; there is no
global lock. `history_verify` recomputes a chain and reports the first event that does not
match: an edited row, a deleted or reordered one, or a forged hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from yichuang.cases.locks import case_lock
from yichuang.cases.models import Case, CaseEvent
from yichuang.cases.workflow import Actor
from yichuang.common import clock
from yichuang.orgs.models import Role
from yichuang.orgs.selectors import staff_for_user

EVENT_PAGE = 1000
CASE_PAGE = 500


def canonical_json(value: Any) -> bytes:
    """Sorted keys, UTF-8, no whitespace: the bytes that are hashed."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def _at_text(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat()


def event_hash(
    *,
    number: str,
    seq: int,
    kind: str,
    from_status: str,
    to_status: str,
    actor_id: int | None,
    actor_kind: str,
    actor_label: str,
    at: dt.datetime,
    reason: str,
    data: Any,
    prev_hash: str,
) -> str:
    payload = {
        "number": number,
        "seq": seq,
        "kind": kind,
        "from": from_status,
        "to": to_status,
        "actor_id": actor_id,
        "actor_kind": actor_kind,
        "actor_label": actor_label,
        "at": _at_text(at),
        "reason": reason,
        "data": data,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def _hash_of(event: CaseEvent, *, number: str) -> str:
    return event_hash(
        number=number,
        seq=event.seq,
        kind=event.kind,
        from_status=event.from_status,
        to_status=event.to_status,
        actor_id=event.actor_id,
        actor_kind=event.actor_kind,
        actor_label=event.actor_label,
        at=event.at,
        reason=event.reason,
        data=event.data,
        prev_hash=event.prev_hash,
    )


def _actor_fields(actor: Any, actor_kind: str | None) -> tuple[int | None, str, str]:
    """(user id, kind, label) of the actor: a user, or None for the system."""
    if actor is None:
        return None, actor_kind or Actor.SYSTEM, str(Actor.SYSTEM.label)
    if actor_kind is None:
        actor_kind = Actor.STAFF if hasattr(actor, "staff") else Actor.APPLICANT
    label = getattr(actor, "display_name", "") or getattr(actor, "username", "") or str(actor)
    member = staff_for_user(actor)
    if member is not None:  # "王淑芬（林东镇便民服务中心 综合受理窗口人员）": who to ask for
        roles = "、".join(str(Role(r).label) for r in sorted(member.role_set()))
        place = member.department.name if member.department_id else member.centre.name
        label = f"{member.name}（{place} {roles}）"
    return actor.pk, actor_kind, label


def case_event_record(
    *,
    case: Case,
    actor: Any,
    kind: str,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
    actor_kind: str | None = None,
    created: bool = False,
) -> CaseEvent:
    """Append one event to the case's chain and move `case.history_head` to it.

    `actor` is the user who acted (None: the system). Runs under the case's row lock (taken
    here; a no-op when the caller already holds it in the same transaction). `created`:
    the case row was inserted by this very transaction, which therefore holds it and knows
    the chain is empty (the first event, without reading anything back).

    No savepoint of its own: an event that cannot be written fails the whole change.
    """
    # Stored exactly as it will be read back, so the hash is reproducible.
    clean_data = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    actor_id, kind_of_actor, label = _actor_fields(actor, actor_kind)
    with transaction.atomic(savepoint=False):
        if created:
            locked, last_seq = case, 0
        else:
            locked = case_lock(case_id=case.pk)
            last_seq = (
                CaseEvent.objects.filter(case_id=locked.pk)
                .order_by("-seq")
                .values_list("seq", flat=True)
                .first()
            )
        event = CaseEvent(
            case=locked,
            seq=(last_seq or 0) + 1,
            actor_id=actor_id,
            actor_kind=kind_of_actor,
            actor_label=label[:200],
            at=clock.now(),
            kind=kind,
            from_status=str(from_status or ""),
            to_status=str(to_status or ""),
            reason=reason,
            data=clean_data,
            prev_hash=locked.history_head,
        )
        event.hash = _hash_of(event, number=locked.number)
        event.save(force_insert=True)
        Case.objects.filter(pk=locked.pk).update(history_head=event.hash)
    case.history_head = event.hash
    return event


@dataclass(frozen=True)
class HistoryBreak:
    """Where a case's chain stops matching: the first bad `seq` and what is wrong."""

    case_id: int
    number: str
    seq: int
    problem: str  # "missing" | "altered" | "broken_link" | "head_mismatch"


def _events(case_id: int) -> Iterator[CaseEvent]:
    """The case's events in seq order, read a page at a time (keyset pagination)."""
    after = 0
    while True:
        page = list(
            CaseEvent.objects.filter(case_id=case_id, seq__gt=after).order_by("seq")[:EVENT_PAGE]
        )
        yield from page
        if len(page) < EVENT_PAGE:
            return
        after = page[-1].seq


def _verify(*, case_id: int, number: str, head: str) -> HistoryBreak | None:
    expected_seq, prev = 1, ""
    for event in _events(case_id):
        if event.seq != expected_seq:
            return HistoryBreak(case_id, number, expected_seq, "missing")
        if event.prev_hash != prev:
            return HistoryBreak(case_id, number, event.seq, "broken_link")
        if event.hash != _hash_of(event, number=number):
            return HistoryBreak(case_id, number, event.seq, "altered")
        expected_seq, prev = expected_seq + 1, event.hash
    if prev != head:
        return HistoryBreak(case_id, number, expected_seq, "head_mismatch")
    return None


def history_verify(*, case: Case) -> HistoryBreak | None:
    """None when the case's chain is intact, else its first break."""
    head = Case.objects.filter(pk=case.pk).values_list("history_head", flat=True).get()
    return _verify(case_id=case.pk, number=case.number, head=head)


def histories_verify() -> Iterator[HistoryBreak]:
    """Every broken chain of every case, a page of cases at a time."""
    after = 0
    while True:
        page = list(
            Case.objects.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", "number", "history_head")[:CASE_PAGE]
        )
        for case_id, number, head in page:
            broken = _verify(case_id=case_id, number=number, head=head)
            if broken is not None:
                yield broken
        if len(page) < CASE_PAGE:
            return
        after = page[-1][0]
