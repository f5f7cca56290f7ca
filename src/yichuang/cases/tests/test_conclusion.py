"""Pre-review correction, decision, result and conclusion, withdrawal."""

from __future__ import annotations

import datetime as dt

import pytest

from yichuang.cases import services
from yichuang.cases.errors import CaseError, CaseForbidden, CaseNotFound
from yichuang.cases.history import history_verify
from yichuang.cases.models import Delivery, NoticeKind, StageOutcome, TaskStatus
from yichuang.cases.tests import factories
from yichuang.cases.tests.test_acceptance import at
from yichuang.cases.workflow import Status
from yichuang.catalog.models import HandlingKind
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    department = orgs_factories.department(centre=orgs_factories.centre(code="blzq"))
    return catalog_factories.published_item(
        department=department, materials=2, promised_limit=5, handled_online=True
    )


@pytest.fixture
def officer(version):
    return orgs_factories.staff(centre=version.item.centre).user


@pytest.fixture
def leader(version):
    return orgs_factories.staff(roles=(Role.LEADER,), centre=version.item.centre).user


def _online_case(version, owner, when="2026-03-02"):
    with clock.frozen(at(when)):
        case = services.case_open(user=owner, item_version=version, applicant=owner.applicant)
        for material in version.materials.all():
            services.case_material_add(
                user=owner, case=case, content=factories.PDF, material=material
            )
        return services.case_submit(user=owner, case=case)


def _accepted(version, officer, when="2026-03-02"):
    with clock.frozen(at(when)):
        case = services.case_open(
            user=officer, item_version=version, applicant=factories.applicant()
        )
        for material in version.materials.all():
            services.case_material_add(
                user=officer, case=case, content=factories.PDF, material=material
            )
        return services.case_accept(user=officer, case=case)


# -- pre-review correction -------------------------------------------------------------------


def test_pre_review_asks_for_a_correction_and_the_resubmission_goes_back(version, officer):
    owner = factories.applicant_user()
    case = _online_case(version, owner)
    first = version.materials.order_by("position").first()

    with clock.frozen(at("2026-03-03")):
        case = services.case_request_correction(
            user=officer, case=case, items=[(first, "复印件不清晰"), (None, "联系电话缺失")]
        )

    assert case.status == Status.CORRECTION_REQUESTED
    notice = case.notices.get()
    assert notice.kind == NoticeKind.CORRECTION
    assert [(i["name"], i["note"]) for i in notice.body["items"]] == [
        (first.name, "复印件不清晰"),
        ("申请表", "联系电话缺失"),
    ]
    with clock.frozen(at("2026-03-04")):
        case = services.case_submit(user=owner, case=case)
    assert case.status == Status.SUBMITTED
    assert history_verify(case=case) is None


def test_a_correction_needs_every_item_described(version, officer):
    case = _online_case(version, factories.applicant_user())

    with pytest.raises(CaseError) as empty:
        services.case_request_correction(user=officer, case=case, items=[])
    with pytest.raises(CaseError) as blank:
        services.case_request_correction(user=officer, case=case, items=[(None, "  ")])

    assert (empty.value.code, blank.value.code) == (
        "correction_items_required",
        "defect_needs_description",
    )
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and not case.notices.exists()


def test_an_officer_of_another_centre_cannot_ask_for_a_correction(version):
    case = _online_case(version, factories.applicant_user())
    stranger = orgs_factories.staff().user

    with pytest.raises(CaseNotFound):
        services.case_request_correction(user=stranger, case=case, items=[(None, "缺失")])


# -- decision and conclusion -------------------------------------------------------------------


def test_an_immediate_item_is_decided_and_concluded_at_the_window_the_same_day(version, officer):
    version.handling_kind, version.promised_limit = HandlingKind.IMMEDIATE, 0
    version.save(update_fields=["handling_kind", "promised_limit"])
    case = _accepted(version, officer)

    with clock.frozen(at("2026-03-02", 15)):
        case = services.case_decide(user=officer, case=case, outcome="approved")
        case = services.case_conclude(
            user=officer, case=case, result_name="准予登记通知书", result_number="林东〔2026〕1号"
        )

    assert case.status == Status.CONCLUDED
    assert (case.result.name, case.result.delivery) == ("准予登记通知书", Delivery.PICKUP)
    assert case.concluded_at.date() == dt.date(2026, 3, 2)
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[-3:] == ["decided", "result_issued", "concluded"]
    assert history_verify(case=case) is None


def test_a_leader_decides_a_case_waiting_for_the_decision(version, officer, leader):
    version.stage_tasks.all().delete()
    case = _accepted(version, officer)
    assert case.status == Status.PENDING_DECISION

    with clock.frozen(at("2026-03-04")):
        case = services.case_decide(user=leader, case=case, outcome="refused", reason="不符合条件")

    assert case.status == Status.REFUSED
    assert (case.decision.outcome, case.decision.reason) == ("refused", "不符合条件")


def test_a_refusal_needs_a_reason(version, officer, leader):
    version.stage_tasks.all().delete()
    case = _accepted(version, officer)

    with pytest.raises(CaseError) as caught:
        services.case_decide(user=leader, case=case, outcome="refused", reason=" ")

    assert caught.value.code == "reason_required"


def test_a_window_officer_may_not_decide_a_promised_item(version, officer):
    version.stage_tasks.all().delete()
    case = _accepted(version, officer)

    with pytest.raises(CaseForbidden) as caught:
        services.case_decide(user=officer, case=case, outcome="approved")

    assert caught.value.code == "not_decider"


def test_a_case_in_review_cannot_be_decided_yet(version, officer, leader):
    case = _accepted(version, officer)

    with pytest.raises(CaseError) as caught:
        services.case_decide(user=leader, case=case, outcome="approved")

    assert caught.value.code == "transition_not_allowed"


def test_delivery_by_post_needs_the_tracking_number(version, officer, leader):
    version.stage_tasks.all().delete()
    case = _accepted(version, officer)
    case = services.case_decide(user=leader, case=case, outcome="approved")

    with pytest.raises(CaseError) as caught:
        services.case_conclude(user=officer, case=case, result_name="许可证", delivery="post")

    assert caught.value.code == "tracking_number_required"
    case = services.case_conclude(
        user=officer,
        case=case,
        result_name="许可证",
        delivery="post",
        tracking_number="SF1234567890",
    )
    assert (case.status, case.result.tracking_number) == (Status.CONCLUDED, "SF1234567890")


# -- withdrawal -------------------------------------------------------------------------------


def test_the_applicant_withdraws_during_review_and_open_work_ends(version, officer):
    owner = factories.applicant_user()
    case = _online_case(version, owner)
    with clock.frozen(at("2026-03-02", 14)):
        case = services.case_accept(user=officer, case=case)

    with clock.frozen(at("2026-03-03")):
        case = services.case_withdraw(user=owner, case=case, reason="不再需要")

    assert case.status == Status.WITHDRAWN
    assert case.tasks.get().status == TaskStatus.CANCELLED
    assert case.stages.get().outcome == StageOutcome.CANCELLED
    assert case.events.last().reason == "不再需要"


def test_staff_cannot_withdraw_for_the_applicant(version, officer):
    case = _online_case(version, factories.applicant_user())

    with pytest.raises(CaseNotFound):
        services.case_withdraw(user=officer, case=case)


def test_a_decided_case_cannot_be_withdrawn(version, officer):
    version.handling_kind, version.promised_limit = HandlingKind.IMMEDIATE, 0
    version.save(update_fields=["handling_kind", "promised_limit"])
    owner = factories.applicant_user()
    case = _online_case(version, owner)
    case = services.case_accept(user=officer, case=case)
    case = services.case_decide(user=officer, case=case, outcome="approved")

    with pytest.raises(CaseError) as caught:
        services.case_withdraw(user=owner, case=case)

    assert caught.value.code == "transition_not_allowed"


def test_an_undecided_extension_request_lapses_when_the_applicant_withdraws(version, officer):
    from yichuang.cases.models import ExtensionStatus

    owner = factories.applicant_user()
    case = _online_case(version, owner)
    reviewer = orgs_factories.staff(
        roles=(Role.REVIEWER,), department=version.item.department, centre=version.item.centre
    ).user
    with clock.frozen(at("2026-03-02", 14)):
        case = services.case_accept(user=officer, case=case)
        services.extension_request(
            user=reviewer, task=case.tasks.get(), workdays=3, reason="需向外地核实"
        )

    with clock.frozen(at("2026-03-03")):
        case = services.case_withdraw(user=owner, case=case)

    assert case.extensions.get().status == ExtensionStatus.CANCELLED
