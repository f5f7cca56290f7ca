"""Case events notify the applicant after commit: in-app messages and an SMS."""

from __future__ import annotations

import logging

import pytest
from django.db import transaction

from yichuang.cases import hooks, services
from yichuang.cases.models import Delivery, Result
from yichuang.cases.tests import factories as case_factories
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.notifications import hooks as notification_hooks
from yichuang.notifications import services as notification_services
from yichuang.notifications.models import Message
from yichuang.notifications.sms import Sms
from yichuang.notifications.tests import factories
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db


class BrokenSmsBackend:
    def send(self, *, phone: str, text: str) -> None:
        raise ConnectionError("gateway down")


def announce(event, case, capture):
    with capture(execute=True):
        hooks.hooks_schedule(event=event, case_id=case.pk)


# What each event says: a fragment of the text the applicant receives.
EXPECTED = {
    hooks.ACCEPTED: (
        "已受理，承诺办结日期2026年3月9日。请于2026年3月6日前补交容缺材料：申请材料1、申请材料2。"
    ),
    hooks.CORRECTION_REQUESTED: (
        "请于2026年3月20日前补正以下材料：营业执照（复印件不清晰）、租赁合同。"
    ),
    hooks.ONE_TIME_NOTICE: "请一次性补齐：身份证（未提交）。",
    hooks.NOT_ACCEPTED: "不予受理。理由：不属于本中心受理范围。",
    hooks.PENDING_DUE_SOON: "请于2026年3月6日前补交：申请材料1、申请材料2，逾期将暂停办理。",
    hooks.PENDING_OVERDUE: "容缺材料未按期补交，已暂停办理。",
    hooks.SUSPENDED: "已暂停计时（专家评审），暂停期间不计入办理时限。",
    hooks.RESUMED: "已恢复办理，承诺办结日期2026年3月9日。",
    hooks.EXTENSION_APPROVED: "办理期限延长10个工作日，承诺办结日期为2026年3月9日。",
    hooks.DECIDED: "已作出决定：准予许可。",
    hooks.CONCLUDED: "已办结。办理结果：食品经营许可证。请携带有效身份证件到",
    hooks.WITHDRAWN: "已撤回。",
    hooks.RETURNED: "已退回，如需继续办理请重新申请。",
}


def test_every_registered_event_has_an_expected_text():
    assert set(notification_hooks.EVENTS) == set(EXPECTED)


@pytest.mark.parametrize("event", sorted(EXPECTED))
def test_event_sends_a_message_to_applicant_and_agent(event, django_capture_on_commit_callbacks):
    case = factories.everything(case=factories.case())

    announce(event, case, django_capture_on_commit_callbacks)

    for user in (case.applicant.user, case.agent.user):
        (message,) = factories.messages_of(user)
        assert (message.kind, message.case_id, message.read_at) == (event, case.pk, None)
        assert case.number in message.body
        assert EXPECTED[event] in message.body


@pytest.mark.parametrize("event", sorted(EXPECTED))
def test_event_sends_an_sms_to_the_applicant_phone(
    event, django_capture_on_commit_callbacks, sms_outbox
):
    case = factories.everything(case=factories.case())

    announce(event, case, django_capture_on_commit_callbacks)

    (sms,) = sms_outbox
    assert sms.phone == "13812345678"
    assert sms.text.startswith(f"【{case.centre.name}】")
    assert EXPECTED[event] in sms.text


def test_nothing_is_sent_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks, sms_outbox
):
    case = factories.case()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        hooks.hooks_schedule(event=hooks.ACCEPTED, case_id=case.pk)
        raise RuntimeError("the action failed")

    assert callbacks == []
    assert Message.objects.count() == 0
    assert sms_outbox == []


def test_nothing_is_sent_before_the_commit(django_capture_on_commit_callbacks, sms_outbox):
    case = factories.case()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        hooks.hooks_schedule(event=hooks.ACCEPTED, case_id=case.pk)

    assert len(callbacks) == 1
    assert (Message.objects.count(), sms_outbox) == (0, [])


def test_a_failing_sms_backend_is_logged_and_the_message_kept(
    settings, django_capture_on_commit_callbacks, caplog
):
    settings.YICHUANG = {
        **settings.YICHUANG,
        "SMS_BACKEND": "yichuang.notifications.tests.test_hooks.BrokenSmsBackend",
    }
    case = factories.case()

    with caplog.at_level(logging.ERROR, logger="yichuang.notifications"):
        announce(hooks.ACCEPTED, case, django_capture_on_commit_callbacks)

    assert [m.kind for m in factories.messages_of(case.applicant.user)] == [hooks.ACCEPTED]
    (record,) = [r for r in caplog.records if r.name == "yichuang.notifications"]
    assert "138****5678" in record.getMessage()
    assert "13812345678" not in caplog.text


def test_a_failing_notification_is_logged_and_the_next_hook_still_runs(
    django_capture_on_commit_callbacks, caplog, monkeypatch
):
    def broken(case):
        raise ValueError("bad data")

    monkeypatch.setitem(notification_services.COMPOSERS, hooks.ACCEPTED, broken)
    case = factories.case()
    calls = []
    hook = lambda *, case_id: calls.append(case_id)  # noqa: E731
    hooks.hook_register(event=hooks.ACCEPTED, hook=hook)
    try:
        with caplog.at_level(logging.ERROR, logger="yichuang.notifications"):
            announce(hooks.ACCEPTED, case, django_capture_on_commit_callbacks)
    finally:
        hooks.hook_unregister(event=hooks.ACCEPTED, hook=hook)

    assert calls == [case.pk]
    assert f"notification accepted of case {case.pk} failed" in caplog.text


def test_a_missing_case_is_logged_and_sends_nothing(
    django_capture_on_commit_callbacks, caplog, sms_outbox
):
    with (
        caplog.at_level(logging.WARNING, logger="yichuang.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        hooks.hooks_schedule(event=hooks.ACCEPTED, case_id=-1)

    assert (Message.objects.count(), sms_outbox) == (0, [])
    assert "case -1 not found" in caplog.text


def test_no_sms_without_a_phone_and_no_message_without_a_login(
    django_capture_on_commit_callbacks, sms_outbox
):
    case = factories.case(applicant=case_factories.applicant(phone=""), agent=None)

    announce(hooks.ACCEPTED, case, django_capture_on_commit_callbacks)

    assert (Message.objects.count(), sms_outbox) == (0, [])


def test_sms_without_a_login_still_goes_to_the_phone(
    django_capture_on_commit_callbacks, sms_outbox
):
    case = factories.case(applicant=case_factories.applicant(phone="13900001111"), agent=None)

    announce(hooks.ACCEPTED, case, django_capture_on_commit_callbacks)

    assert [s.phone for s in sms_outbox] == ["13900001111"]
    assert Message.objects.count() == 0


@pytest.mark.parametrize(
    ("delivery", "tracking", "expected"),
    [
        (Delivery.POST, "SF1234567890", "已邮寄送达，快递单号SF1234567890。"),
        (Delivery.POST, "", "将邮寄送达，请注意查收。"),
        (Delivery.ELECTRONIC, "", "已电子送达，请登录网上办事大厅查看下载。"),
    ],
)
def test_concluded_says_how_to_get_the_result(
    delivery, tracking, expected, django_capture_on_commit_callbacks
):
    case = factories.case()
    Result.objects.create(case=case, name="营业执照", delivery=delivery, tracking_number=tracking)

    announce(hooks.CONCLUDED, case, django_capture_on_commit_callbacks)

    (message,) = factories.messages_of(case.applicant.user)
    assert message.body.endswith(f"办理结果：营业执照。{expected}")


def test_the_default_backend_logs_the_sms_with_the_phone_masked(
    settings, django_capture_on_commit_callbacks, caplog
):
    settings.YICHUANG = {
        **settings.YICHUANG,
        "SMS_BACKEND": "yichuang.notifications.sms.LogSmsBackend",
    }
    case = factories.case()

    with caplog.at_level(logging.INFO, logger="yichuang.sms"):
        announce(hooks.WITHDRAWN, case, django_capture_on_commit_callbacks)

    (record,) = [r for r in caplog.records if r.name == "yichuang.sms"]
    assert record.getMessage() == (
        f"SMS to 138****5678: 【{case.centre.name}】您的办件（编号{case.number}，"
        f"{case.item_version.name}）已撤回。"
    )


def test_accepting_a_case_at_the_window_notifies_the_applicant(
    django_capture_on_commit_callbacks, sms_outbox
):
    department = orgs_factories.department(centre=orgs_factories.centre(code="blzq"))
    version = catalog_factories.published_item(department=department, promised_limit=5)
    officer = orgs_factories.staff(centre=version.item.centre).user
    applicant = case_factories.applicant(with_user=True, phone="13812345678")
    with clock.frozen(factories.AT):
        case = services.case_open(user=officer, item_version=version, applicant=applicant)
        for material in version.materials.all():
            services.case_material_add(
                user=officer, case=case, content=case_factories.PDF, material=material
            )
        with django_capture_on_commit_callbacks(execute=True):
            services.case_accept(user=officer, case=case)

    (message,) = factories.messages_of(applicant.user)
    assert message.body.endswith("已受理，承诺办结日期2026年3月9日。")
    assert sms_outbox == [Sms(phone="13812345678", text=f"【{case.centre.name}】{message.body}")]


def test_registering_again_adds_no_second_hook(django_capture_on_commit_callbacks):
    notification_hooks.hooks_register()
    case = factories.case()

    announce(hooks.WITHDRAWN, case, django_capture_on_commit_callbacks)

    assert len(factories.messages_of(case.applicant.user)) == 1
