"""GET /api/v1/hall/figures, the figures page and its Excel export."""

from __future__ import annotations

import datetime as dt
import io
import secrets

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from yichuang.common import clock
from yichuang.hall.models import TakenVia, Ticket, TicketStatus
from yichuang.hall.tests import factories
from yichuang.hall.tests.factories import WORKDAY, at
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/hall/figures"


def ticket(*, queue, window, number, taken, wait, handling, via=TakenVia.KIOSK) -> Ticket:
    called = taken + dt.timedelta(minutes=wait)
    return Ticket.objects.create(
        centre=queue.centre,
        day=taken.date(),
        number=number,
        origin_queue=queue,
        queue=queue,
        status=TicketStatus.DONE,
        queued_at=taken,
        taken_at=taken,
        taken_via=via,
        window=window,
        call_count=1,
        first_called_at=called,
        called_at=called,
        finished_at=called + dt.timedelta(minutes=handling),
        public_token=secrets.token_hex(16),
    )


@pytest.fixture
def hall():
    county = orgs_factories.centre(code="county", name="左旗政务服务中心")
    township = orgs_factories.centre(parent=county, code="township")
    window = factories.window(centre=county, number=1, name="综合受理1")
    queue = factories.queue(centre=county, code="A", name="综合受理", windows=[window])
    start = at(WORKDAY, 9)
    for n, (wait, handling) in enumerate([(2, 4), (4, 6), (6, 8), (8, 10), (30, 12)], start=1):
        via = TakenVia.WINDOW if n == 5 else TakenVia.KIOSK
        ticket(
            queue=queue, window=window, number=f"A{n:03d}", taken=start, wait=wait,
            handling=handling, via=via,
        )  # fmt: skip
    return {"county": county, "township": township, "queue": queue, "window": window}


@pytest.fixture
def leader_client(client, hall):
    member = orgs_factories.staff(roles=(Role.LEADER,), centre=hall["county"])
    client.force_login(member.user)
    return client


def get(client, **params):
    with clock.frozen(at(WORKDAY, 16)):
        return client.get(URL, params)


# --- the API -----------------------------------------------------------------------------


def test_a_leader_reads_todays_figures_of_their_centre(leader_client, settings):
    settings.YICHUANG = {**settings.YICHUANG, "HALL_WAIT_TARGET_MINUTES": 20}

    response = get(leader_client)

    assert response.status_code == 200
    body = response.json()
    assert (body["centre"], body["start"], body["end"]) == ("county", "2026-03-04", "2026-03-04")
    queue = body["queues"][0]
    assert (queue["key"], queue["taken"], queue["served"]) == ("A", 5, 5)
    assert queue["waiting_minutes"] == {"count": 5, "mean": 10.0, "p50": 6.0, "p90": 21.2}
    assert queue["handling_minutes"] == {"count": 5, "mean": 8.0, "p50": 8.0, "p90": 11.2}
    assert queue["over_target_share"] == 0.2
    assert queue["self_service_share"] == 0.8
    assert body["windows"][0]["key"] == "1"
    assert [d["key"] for d in body["days"]] == ["2026-03-04"]


def test_a_range_gives_a_row_per_day(leader_client):
    response = get(leader_client, start="2026-03-01", end="2026-03-04")

    assert response.status_code == 200
    assert [d["taken"] for d in response.json()["days"]] == [0, 0, 0, 5]


def test_a_leader_reads_a_centre_below(leader_client):
    response = get(leader_client, centre="township")

    assert response.status_code == 200
    assert response.json()["total"]["taken"] == 0


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"start": "2026-03-05", "end": "2026-03-04"}, "range_reversed"),
        ({"start": "2025-03-03", "end": "2026-03-04"}, "range_too_long"),
        ({"start": "0001-01-01", "end": "9999-12-31"}, "range_too_long"),
    ],
)
def test_a_bad_range_is_422_in_chinese(leader_client, params, code):
    response = get(leader_client, **params)

    assert response.status_code == 422
    assert response.json()["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["message"])


@pytest.mark.parametrize(
    "params",
    [{"start": "yesterday"}, {"end": "2026-02-30"}, {"start": "9" * 40}, {"centre": "x" * 41}],
)
def test_malformed_input_is_422(leader_client, params):
    response = get(leader_client, **params)

    assert response.status_code == 422
    assert "code" in response.json() and "message" in response.json()


def test_anonymous_is_401(client, hall):
    assert get(client).status_code == 401


def test_a_window_officer_is_403(client, hall):
    client.force_login(
        orgs_factories.staff(roles=(Role.WINDOW_OFFICER,), centre=hall["county"]).user
    )

    response = get(client)

    assert response.status_code == 403
    assert response.json()["code"] == "figures_forbidden"


def test_a_centre_outside_the_subtree_is_404(client, hall):
    member = orgs_factories.staff(roles=(Role.CENTRE_ADMIN,), centre=hall["township"])
    client.force_login(member.user)

    response = get(client, centre="county")

    assert response.status_code == 404
    assert response.json()["code"] == "centre_not_found"


def test_a_bearer_token_works_too(client, hall):
    from yichuang.identity.tokens import token_issue

    member = orgs_factories.staff(roles=(Role.CENTRE_ADMIN,), centre=hall["county"])

    with clock.frozen(at(WORKDAY, 16)):
        issued = token_issue(username=member.user.username, password="correct-horse-battery")
        response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {issued.token}")

    assert response.status_code == 200


def test_the_api_query_count_is_bounded(leader_client, hall, django_assert_max_num_queries):
    for n in range(6, 60):
        ticket(
            queue=hall["queue"], window=hall["window"], number=f"A{n:03d}",
            taken=at(WORKDAY, 10), wait=n % 13, handling=n % 7,
        )  # fmt: skip

    with django_assert_max_num_queries(10):
        response = get(leader_client, start="2026-01-01", end="2026-03-04")

    assert response.json()["total"]["taken"] == 59


# --- the page and the Excel export -------------------------------------------------------


def page(client, name="hall:figures", **params):
    with clock.frozen(at(WORKDAY, 16)):
        return client.get(reverse(name), params)


def test_the_page_shows_the_tables(leader_client):
    response = page(leader_client)

    html = response.content.decode()
    assert response.status_code == 200
    assert "大厅运行统计" in html
    assert 'data-row="A"' in html
    assert 'data-row="total"' in html
    assert "6.0" in html and "21.2" in html  # median and p90 of the wait


def test_the_page_refuses_a_reversed_range_with_a_message(leader_client):
    response = page(leader_client, start="2026-03-05", end="2026-03-04")

    assert response.status_code == 422
    assert "开始日期不能晚于结束日期" in response.content.decode()


def test_the_page_is_403_for_a_window_officer_and_404_for_non_staff(
    client, hall, django_user_model
):
    client.force_login(
        orgs_factories.staff(roles=(Role.WINDOW_OFFICER,), centre=hall["county"]).user
    )
    assert page(client).status_code == 403

    client.force_login(django_user_model.objects.create_user(username="citizen", password="x" * 12))
    assert page(client).status_code == 404


def test_the_page_asks_an_anonymous_visitor_to_log_in(client, hall):
    assert page(client).status_code == 302


def test_the_excel_export_reads_back_with_the_same_figures(leader_client):
    response = page(leader_client, name="hall:figures_export", start="2026-03-03", end="2026-03-04")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["按队列", "按窗口", "按日"]
    queues = workbook["按队列"]
    assert "左旗政务服务中心" in queues["A1"].value
    assert queues["A2"].value == "队列"
    headers = [c.value for c in queues[2]]
    total, a = (
        dict(zip(headers, [c.value for c in row], strict=True))
        for row in queues.iter_rows(min_row=3)
    )
    assert total["队列"] == "全部"
    assert a["队列"] == "A 综合受理"
    assert (a["取号数"], a["办结数"], a["过号数"]) == (5, 5, 0)
    assert a["平均等候（分钟）"] == 10.0
    assert a["等候中位数（分钟）"] == 6.0
    assert a["等候P90（分钟）"] == 21.2
    assert a["办理P90（分钟）"] == 11.2
    assert a["自助取号占比（%）"] == 80.0
    days = [[c.value for c in row] for row in workbook["按日"].iter_rows(min_row=3)]
    assert [(d[0], d[1]) for d in days] == [("2026-03-03", 0), ("2026-03-04", 5)]
    assert days[0][7] is None  # no wait measured on a day without tickets
    windows = [[c.value for c in row] for row in workbook["按窗口"].iter_rows(min_row=3)]
    assert windows[0][:3] == ["1号窗口 综合受理1", 5, 5]


def test_the_export_of_a_bad_range_is_the_page_with_the_message(leader_client):
    response = page(leader_client, name="hall:figures_export", start="2025-01-01", end="2026-03-04")

    assert response.status_code == 422
    assert "统计区间最长366天" in response.content.decode()
