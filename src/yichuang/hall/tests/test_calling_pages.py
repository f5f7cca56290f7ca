"""The calling panel on the window desk: sign in, call, recall, missed, transfer, pause,
finish, the missed list — each through htmx (the panel answers) and plain POST (back to
the desk with a message). A refused action is a Chinese message, never an error page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from yichuang.cases.tests import factories as case_factories
from yichuang.common import clock
from yichuang.hall.models import Priority, TakenVia, Ticket, TicketStatus, WindowSession
from yichuang.hall.services import calling, tickets
from yichuang.hall.tests import factories
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _nine_o_clock():
    with clock.frozen(factories.at(hour=9)):
        yield


@pytest.fixture
def hall():
    """A centre with two windows; queue A served by window 1, queue B by window 2."""
    centre = orgs_factories.centre(name="巴林左旗政务服务中心")
    one = factories.window(centre=centre, number=1, name="综合受理")
    two = factories.window(centre=centre, number=2, name="不动产")
    a = factories.queue(centre=centre, code="A", name="综合受理", windows=[one])
    b = factories.queue(centre=centre, code="B", name="不动产登记", windows=[two])
    officer = orgs_factories.staff(centre=centre, name="窗口一号")
    return {"centre": centre, "one": one, "two": two, "a": a, "b": b, "officer": officer}


def take(hall, code="A", **kwargs) -> Ticket:
    return tickets.ticket_take(centre=hall["centre"], queue_code=code, via=TakenVia.KIOSK, **kwargs)


def act(client, window, action, data=None, *, htmx=True):
    url = reverse("hall:calling_action", args=[window.pk, action])
    return client.post(url, data or {}, **(HTMX if htmx else {}))


@pytest.fixture
def desk(client, hall):
    client.force_login(hall["officer"].user)
    return client


@pytest.fixture
def signed_in(desk, hall):
    desk.post(reverse("hall:calling_sign_in"), {"window": hall["one"].pk})
    return desk


def test_the_desk_shows_the_windows_of_the_centre_and_which_are_taken(desk, hall):
    other = orgs_factories.staff(centre=hall["centre"], name="窗口二号")
    calling.window_sign_in(user=other.user, window=hall["two"])

    page = desk.get(reverse("cases:desk")).content.decode()

    assert 'id="calling-panel"' in page
    assert "1号窗口 综合受理" in page
    assert "窗口二号 已签到" in page


def test_a_helper_has_no_calling_panel(client, hall):
    helper = orgs_factories.staff(centre=hall["centre"], roles=(Role.HELPER,))
    client.force_login(helper.user)

    page = client.get(reverse("cases:desk")).content.decode()

    assert 'id="calling-panel"' not in page


def test_signing_in_by_plain_post_goes_back_to_the_desk_with_the_window(desk, hall):
    response = desk.post(reverse("hall:calling_sign_in"), {"window": hall["one"].pk}, follow=True)

    assert response.redirect_chain[0][1] == 302
    assert WindowSession.objects.get(ended_at=None).window == hall["one"]
    page = response.content.decode()
    assert "已签到1号窗口 综合受理" in page
    assert 'data-queue="A"' in page


def test_a_window_taken_by_another_officer_is_refused_on_the_panel(desk, hall):
    other = orgs_factories.staff(centre=hall["centre"])
    calling.window_sign_in(user=other.user, window=hall["one"])

    response = desk.post(reverse("hall:calling_sign_in"), {"window": hall["one"].pk}, **HTMX)

    assert response.status_code == 200
    assert 'data-error-code="window_taken"' in response.content.decode()
    assert "该窗口已有其他工作人员签到" in response.content.decode()


def test_a_window_of_another_centre_or_garbage_is_not_found_on_the_panel(desk, hall):
    elsewhere = factories.window(centre=orgs_factories.centre())
    for value in (elsewhere.pk, "x", 10**30, ""):
        response = desk.post(reverse("hall:calling_sign_in"), {"window": value}, **HTMX)
        assert response.status_code == 200
        assert "没有这个窗口" in response.content.decode() or "请选择有效的选项" in (
            response.content.decode()
        )
    assert not WindowSession.objects.exists()


def test_acting_without_signing_in_shows_a_message(desk, hall):
    response = act(desk, hall["one"], "call-next", htmx=False)

    assert response.status_code == 302
    page = desk.get(reverse("cases:desk")).content.decode()
    assert "请先签到该窗口" in page
    assert 'data-error-code="not_signed_in"' in page


def test_an_unknown_action_is_a_message(signed_in, hall):
    response = act(signed_in, hall["one"], "explode")

    assert response.status_code == 200
    assert "没有这个操作" in response.content.decode()


def test_call_next_shows_the_ticket_with_its_details(signed_in, hall):
    applicant = case_factories.applicant(name="李四")
    with clock.frozen(factories.at(hour=8, minute=40)):
        ticket = take(hall, priority=Priority.DISABLED, applicant=applicant)

    page = act(signed_in, hall["one"], "call-next").content.decode()

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED
    assert 'data-current="A001"' in page
    assert "请A001号到1号窗口办理" in page
    assert "残疾人" in page
    assert "李四" in page
    assert "20 分钟" in page  # taken 8:40, called 9:00


def test_call_next_with_nobody_waiting_says_so(signed_in, hall):
    page = act(signed_in, hall["one"], "call-next").content.decode()

    assert "当前没有等候的号" in page


def test_missed_is_disabled_with_a_hint_until_enough_calls(signed_in, hall, settings):
    settings.YICHUANG = {**settings.YICHUANG, "HALL_CALLS_BEFORE_MISSED": 3}
    take(hall)
    page = act(signed_in, hall["one"], "call-next").content.decode()
    assert "已呼叫1次，呼叫满3次后才能过号" in page
    assert 'disabled aria-describedby="missed-hint"' in page

    refused = act(signed_in, hall["one"], "missed").content.decode()
    assert 'data-error-code="not_called_enough"' in refused
    assert Ticket.objects.get().status == TicketStatus.CALLED

    act(signed_in, hall["one"], "recall")
    page = act(signed_in, hall["one"], "recall").content.decode()
    assert "已重呼A001号（第3次）" in page
    assert 'aria-describedby="missed-hint"' not in page

    page = act(signed_in, hall["one"], "missed").content.decode()
    assert "A001号已过号" in page
    assert 'data-missed="A001"' in page
    assert Ticket.objects.get().status == TicketStatus.MISSED


def test_a_missed_ticket_is_recalled_or_reinserted_from_the_list(signed_in, hall, settings):
    settings.YICHUANG = {**settings.YICHUANG, "HALL_CALLS_BEFORE_MISSED": 1}
    first = take(hall)
    act(signed_in, hall["one"], "call-next")
    act(signed_in, hall["one"], "missed")

    page = act(signed_in, hall["one"], "recall-missed", {"ticket": first.pk}).content.decode()
    assert "已叫号：请A001号到1号窗口办理" in page
    first.refresh_from_db()
    assert first.status == TicketStatus.CALLED

    act(signed_in, hall["one"], "missed")
    page = act(signed_in, hall["one"], "reinsert", {"ticket": first.pk}).content.decode()
    assert "A001号已重新排队" in page
    first.refresh_from_db()
    assert first.status == TicketStatus.WAITING


def test_recalling_a_ticket_not_in_the_missed_list_is_refused(signed_in, hall):
    waiting = take(hall)
    for value in (waiting.pk, "abc", -1, 10**12):
        page = act(signed_in, hall["one"], "recall-missed", {"ticket": value}).content.decode()
        assert "只能处理本窗口队列最近过号的号" in page or "请选择有效的选项" in page
    waiting.refresh_from_db()
    assert waiting.status == TicketStatus.WAITING


def test_transfer_to_another_queue_keeps_the_number(signed_in, hall):
    take(hall)
    act(signed_in, hall["one"], "call-next")

    page = act(signed_in, hall["one"], "transfer", {"to_queue": "B"}).content.decode()

    ticket = Ticket.objects.get()
    assert "A001号已转至不动产登记" in page
    assert (ticket.number, ticket.queue, ticket.status) == ("A001", hall["b"], "waiting")
    assert ticket.rank == 0


def test_transfer_to_another_window(signed_in, hall):
    take(hall)
    act(signed_in, hall["one"], "call-next")

    page = act(signed_in, hall["one"], "transfer", {"to_window": hall["two"].pk}).content.decode()

    assert "A001号已转至2号窗口" in page
    assert Ticket.objects.get().target_window == hall["two"]


def test_transfer_to_the_same_queue_or_nowhere_is_refused(signed_in, hall):
    take(hall)
    act(signed_in, hall["one"], "call-next")

    same = act(signed_in, hall["one"], "transfer", {"to_queue": "A"}).content.decode()
    nowhere = act(signed_in, hall["one"], "transfer", {}).content.decode()
    unknown = act(signed_in, hall["one"], "transfer", {"to_queue": "Z" * 500}).content.decode()

    assert "转往的队列与当前队列相同" in same
    assert "请选择转往的队列或窗口" in nowhere
    assert "没有这个排队队列" in unknown
    assert Ticket.objects.get().status == TicketStatus.CALLED


def test_pause_blocks_calling_until_resumed(signed_in, hall):
    take(hall)

    page = act(signed_in, hall["one"], "pause").content.decode()
    assert "窗口已暂停服务" in page
    assert "data-call-next disabled" in page
    refused = act(signed_in, hall["one"], "call-next").content.decode()
    assert 'data-error-code="window_paused"' in refused

    act(signed_in, hall["one"], "resume")
    page = act(signed_in, hall["one"], "call-next").content.decode()
    assert 'data-current="A001"' in page


def test_finish_ends_the_ticket_and_sign_out_frees_the_window(signed_in, hall):
    take(hall)
    act(signed_in, hall["one"], "call-next")

    page = act(signed_in, hall["one"], "finish").content.decode()
    assert "A001号已办结" in page
    assert Ticket.objects.get().status == TicketStatus.DONE

    page = act(signed_in, hall["one"], "sign-out").content.decode()
    assert "已签退" in page
    assert not WindowSession.objects.filter(ended_at=None).exists()


def test_actions_on_another_officers_window_are_refused(signed_in, hall):
    other = orgs_factories.staff(centre=hall["centre"])
    calling.window_sign_in(user=other.user, window=hall["two"])
    take(hall, "B")

    page = act(signed_in, hall["two"], "call-next").content.decode()

    assert "请先签到该窗口" in page
    assert Ticket.objects.get().status == TicketStatus.WAITING


def test_plain_post_actions_answer_with_a_redirect_and_a_message(signed_in, hall):
    take(hall)

    response = act(signed_in, hall["one"], "call-next", htmx=False)

    assert response.status_code == 302
    assert response["Location"].endswith("/desk/#calling-panel")
    page = signed_in.get(response["Location"]).content.decode()
    assert "已叫号：请A001号到1号窗口办理" in page


def test_the_panel_refreshes_alone_with_htmx(signed_in, hall):
    response = signed_in.get(reverse("hall:calling_panel"), **HTMX)

    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section class="card calling-panel"')
    assert signed_in.get(reverse("hall:calling_panel")).status_code == 302


def test_get_on_an_action_is_not_allowed(signed_in, hall):
    assert (
        signed_in.get(
            reverse("hall:calling_action", args=[hall["one"].pk, "call-next"])
        ).status_code
        == 405
    )


def test_an_anonymous_visitor_is_sent_to_login(client, hall):
    response = act(client, hall["one"], "call-next", htmx=False)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
