"""The per-case hash chain: appended under the case lock, and every kind of tampering found."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.core.management import call_command

from yichuang.cases.history import case_event_record, event_hash, history_verify
from yichuang.cases.models import Case, CaseEvent
from yichuang.cases.tests import factories
from yichuang.cases.workflow import Actor, Status
from yichuang.common import clock
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def _case_with_events(count: int = 3) -> Case:
    case = factories.case(status=Status.SUBMITTED)
    officer = orgs_factories.staff(centre=case.centre)
    with clock.frozen(AT):
        for i in range(count):
            case_event_record(
                case=case,
                actor=officer.user,
                kind=f"step{i}",
                from_status=Status.SUBMITTED,
                to_status=Status.SUBMITTED,
                reason=f"原因{i}",
                data={"n": i, "日期": dt.date(2026, 3, 2)},
            )
    return case


def test_events_are_numbered_and_chained_and_the_case_keeps_the_head():
    case = _case_with_events(3)

    events = list(case.events.order_by("seq"))

    assert [e.seq for e in events] == [1, 2, 3]
    assert [e.prev_hash for e in events] == ["", events[0].hash, events[1].hash]
    assert Case.objects.get(pk=case.pk).history_head == events[2].hash == case.history_head
    assert history_verify(case=case) is None


def test_the_hash_is_sha256_of_the_canonical_json():
    case = _case_with_events(1)
    event = case.events.get()

    payload = {
        "number": case.number,
        "seq": 1,
        "kind": "step0",
        "from": "submitted",
        "to": "submitted",
        "actor_id": event.actor_id,
        "actor_kind": "staff",
        "actor_label": event.actor_label,
        "at": "2026-03-02T09:30:00+00:00",
        "reason": "原因0",
        "data": {"n": 0, "日期": "2026-03-02"},
        "prev_hash": "",
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    assert event.hash == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_a_system_event_has_no_actor_and_the_system_label():
    case = factories.case()

    event = case_event_record(case=case, actor=None, kind="returned")

    assert (event.actor_id, event.actor_kind, event.actor_label) == (None, Actor.SYSTEM, "系统")


def test_an_edited_event_is_detected_at_its_seq():
    case = _case_with_events(3)

    CaseEvent.objects.filter(case=case, seq=2).update(reason="改过的原因")

    broken = history_verify(case=case)
    assert (broken.seq, broken.problem) == (2, "altered")


def test_a_deleted_event_in_the_middle_is_detected():
    case = _case_with_events(3)

    CaseEvent.objects.filter(case=case, seq=2).delete()

    broken = history_verify(case=case)
    assert (broken.seq, broken.problem) == (2, "missing")


def test_a_deleted_last_event_is_detected_by_the_head():
    case = _case_with_events(3)

    CaseEvent.objects.filter(case=case, seq=3).delete()

    broken = history_verify(case=case)
    assert (broken.seq, broken.problem) == (3, "head_mismatch")


def test_swapped_events_are_detected():
    case = _case_with_events(3)
    first, second = CaseEvent.objects.filter(case=case, seq__in=[1, 2]).order_by("seq")

    CaseEvent.objects.filter(pk=first.pk).update(seq=99)
    CaseEvent.objects.filter(pk=second.pk).update(seq=1)
    CaseEvent.objects.filter(pk=first.pk).update(seq=2)

    broken = history_verify(case=case)
    assert (broken.seq, broken.problem) == (1, "broken_link")


def test_a_forged_hash_on_an_edited_event_breaks_the_next_link():
    case = _case_with_events(3)
    event = CaseEvent.objects.get(case=case, seq=2)
    forged = event_hash(
        number=case.number,
        seq=2,
        kind=event.kind,
        from_status=event.from_status,
        to_status=event.to_status,
        actor_id=event.actor_id,
        actor_kind=event.actor_kind,
        actor_label=event.actor_label,
        at=event.at,
        reason="伪造",
        data=event.data,
        prev_hash=event.prev_hash,
    )

    CaseEvent.objects.filter(pk=event.pk).update(reason="伪造", hash=forged)

    broken = history_verify(case=case)
    assert (broken.seq, broken.problem) == (3, "broken_link")


def test_a_made_up_hash_is_detected():
    case = _case_with_events(2)

    CaseEvent.objects.filter(case=case, seq=2).update(hash="0" * 64)

    broken = history_verify(case=case)
    assert (broken.seq, broken.problem) == (2, "altered")


def test_verify_history_passes_on_intact_chains(capsys):
    _case_with_events(2)
    _case_with_events(1)

    call_command("verify_history")

    assert "全部办件历史完好" in capsys.readouterr().out


def test_verify_history_lists_each_broken_case_and_exits_1(capsys, monkeypatch):
    monkeypatch.setattr("yichuang.cases.history.CASE_PAGE", 1)
    monkeypatch.setattr("yichuang.cases.history.EVENT_PAGE", 2)
    intact = _case_with_events(5)
    edited = _case_with_events(5)
    cut = _case_with_events(5)
    CaseEvent.objects.filter(case=edited, seq=4).update(reason="改")
    CaseEvent.objects.filter(case=cut, seq=3).delete()

    with pytest.raises(SystemExit) as exited:
        call_command("verify_history")

    out = capsys.readouterr().out
    assert exited.value.code == 1
    assert f"{edited.number}：自第 4 个事件起不一致（事件内容被修改）" in out
    assert f"{cut.number}：自第 3 个事件起不一致（事件缺失）" in out
    assert intact.number not in out
    assert "发现 2 个办件的历史被破坏" in out


def test_the_cli_spells_the_command_with_a_hyphen():
    from yichuang.cli import COMMAND_ALIASES

    assert COMMAND_ALIASES["verify-history"] == "verify_history"


def _in_threads(count: int, work) -> list:
    import threading

    from django.db import connection

    barrier = threading.Barrier(count)
    outcomes: list = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            outcomes.append(work(i))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_events_appended_to_one_case_at_once_form_one_chain():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    case = factories.case()

    _in_threads(4, lambda i: case_event_record(case=case, actor=None, kind=f"parallel{i}").seq)

    assert sorted(case.events.values_list("seq", flat=True)) == [1, 2, 3, 4]
    assert history_verify(case=case) is None
