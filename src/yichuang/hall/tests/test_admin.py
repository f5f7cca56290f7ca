"""The hall's admin as a centre admin sees it: only their subtree; queues saved through
the services; the supervision lists read-only; kiosks made by `kiosk_create`."""

from __future__ import annotations

import secrets
import sys
import types

import pytest
from django.contrib import admin
from django.urls import reverse

from yichuang.hall.models import (
    Appointment,
    Assignment,
    HomeVisit,
    Kiosk,
    Queue,
    TakenVia,
    Ticket,
    WindowSession,
)
from yichuang.hall.tests import factories
from yichuang.hall.tests.factories import WORKDAY, at
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def tree():
    county = orgs_factories.centre(code="county", name="左旗政务服务中心")
    township = orgs_factories.centre(parent=county, code="township", name="林东镇便民服务中心")
    other = orgs_factories.centre(code="other", name="右旗政务服务中心")
    return {"county": county, "township": township, "other": other}


@pytest.fixture
def admin_of(client):
    def login(centre):
        member = orgs_factories.staff(roles=(Role.CENTRE_ADMIN,), centre=centre)
        assert client.login(username=member.user.username, password=PASSWORD)
        return client

    return login


def ticket_in(centre, number: str) -> Ticket:
    queue = Queue.objects.filter(centre=centre).first() or factories.queue(centre=centre)
    return Ticket.objects.create(
        centre=centre,
        day=WORKDAY,
        number=number,
        origin_queue=queue,
        queue=queue,
        queued_at=at(),
        taken_at=at(),
        taken_via=TakenVia.KIOSK,
        public_token=secrets.token_hex(16),
    )


@pytest.mark.parametrize(
    "model", [Queue, Kiosk, Ticket, WindowSession, Appointment, Assignment, HomeVisit]
)
def test_admin_classes_pass_django_checks(model):
    assert admin.site._registry[model].check() == []


# --- queues ------------------------------------------------------------------------------


def test_queue_list_shows_only_the_subtree(tree, admin_of):
    factories.queue(centre=tree["county"], code="A", name="综合受理")
    factories.queue(centre=tree["township"], code="B", name="社保医保")
    factories.queue(centre=tree["other"], code="C", name="右旗税务")

    page = admin_of(tree["county"]).get(reverse("admin:hall_queue_changelist")).content.decode()

    assert "综合受理" in page and "社保医保" in page
    assert "右旗税务" not in page


def test_a_queue_of_another_centre_is_not_reachable(tree, admin_of):
    queue = factories.queue(centre=tree["other"], code="C", name="右旗税务")

    response = admin_of(tree["county"]).get(reverse("admin:hall_queue_change", args=[queue.pk]))

    assert response.status_code in (302, 403, 404)
    assert "右旗税务" not in response.content.decode()


def test_creating_a_queue_through_the_admin(tree, admin_of):
    mine = factories.window(centre=tree["county"], number=1)
    client = admin_of(tree["county"])

    response = client.post(
        reverse("admin:hall_queue_add"),
        {
            "centre": tree["county"].pk,
            "code": "b",
            "name": "不动产登记",
            "windows": [mine.pk],
            "service_minutes": 15,
            "slot_capacity": 4,
            "sort_order": 2,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    queue = Queue.objects.get(centre=tree["county"])
    assert (queue.code, queue.name, queue.slot_capacity) == ("B", "不动产登记", 4)
    assert list(queue.windows.all()) == [mine]


def test_the_queue_form_offers_only_windows_of_managed_centres(tree, admin_of):
    factories.window(centre=tree["county"], number=1, name="综合受理一号")
    factories.window(centre=tree["other"], number=1, name="右旗窗口")

    page = admin_of(tree["county"]).get(reverse("admin:hall_queue_add")).content.decode()

    assert "综合受理一号" in page
    assert "右旗窗口" not in page


def test_a_queue_may_not_take_a_window_of_another_centre(tree, admin_of):
    townships_window = factories.window(centre=tree["township"], number=1)

    response = admin_of(tree["county"]).post(
        reverse("admin:hall_queue_add"),
        {
            "centre": tree["county"].pk,
            "code": "A",
            "name": "综合受理",
            "windows": [townships_window.pk],
            "service_minutes": 10,
            "slot_capacity": 0,
            "sort_order": 0,
        },
    )

    assert response.status_code == 200
    assert "只能选择本中心的窗口" in response.content.decode()
    assert not Queue.objects.exists()


def test_a_letter_is_used_once_per_centre(tree, admin_of):
    factories.queue(centre=tree["county"], code="A")

    response = admin_of(tree["county"]).post(
        reverse("admin:hall_queue_add"),
        {
            "centre": tree["county"].pk,
            "code": "A",
            "name": "另一个",
            "service_minutes": 10,
            "slot_capacity": 0,
            "sort_order": 0,
        },
    )

    assert response.status_code == 200
    assert "本中心已有字母为A的队列" in response.content.decode()
    assert Queue.objects.count() == 1


def test_changing_a_queue_keeps_its_centre(tree, admin_of):
    queue = factories.queue(centre=tree["county"], code="A", name="综合受理")

    response = admin_of(tree["county"]).post(
        reverse("admin:hall_queue_change", args=[queue.pk]),
        {"code": "Z", "name": "综合受理（新）", "service_minutes": 12, "slot_capacity": 0,
         "sort_order": 1, "is_active": "on"},
    )  # fmt: skip

    assert response.status_code == 302
    queue.refresh_from_db()
    assert (queue.code, queue.name, queue.centre) == ("Z", "综合受理（新）", tree["county"])


# --- read-only supervision ---------------------------------------------------------------


def test_tickets_are_listed_for_the_subtree_and_cannot_be_changed(tree, admin_of):
    ticket_in(tree["township"], "A101")
    elsewhere = ticket_in(tree["other"], "A909")
    client = admin_of(tree["county"])

    page = client.get(reverse("admin:hall_ticket_changelist")).content.decode()
    other = client.get(reverse("admin:hall_ticket_change", args=[elsewhere.pk]))
    add = client.get(reverse("admin:hall_ticket_add"))

    assert "A101" in page and "A909" not in page
    assert other.status_code in (302, 403, 404)
    assert add.status_code == 403


def test_a_ticket_is_viewed_not_edited(tree, admin_of):
    ticket = ticket_in(tree["county"], "A007")
    client = admin_of(tree["county"])

    view = client.get(reverse("admin:hall_ticket_change", args=[ticket.pk]))
    post = client.post(reverse("admin:hall_ticket_change", args=[ticket.pk]), {"number": "X"})

    assert view.status_code == 200
    assert 'name="number"' not in view.content.decode()
    assert post.status_code == 403
    ticket.refresh_from_db()
    assert ticket.number == "A007"


def test_window_sessions_are_scoped_by_the_windows_centre(tree, admin_of):
    mine = orgs_factories.staff(centre=tree["county"], name="赵雅琴")
    theirs = orgs_factories.staff(centre=tree["other"], name="外旗人员")
    WindowSession.objects.create(
        window=factories.window(centre=tree["county"], number=1), staff=mine, started_at=at()
    )
    WindowSession.objects.create(
        window=factories.window(centre=tree["other"], number=1), staff=theirs, started_at=at()
    )

    page = (
        admin_of(tree["county"])
        .get(reverse("admin:hall_windowsession_changelist"))
        .content.decode()
    )

    assert "赵雅琴" in page and "外旗人员" not in page


def test_a_township_admin_does_not_see_the_countys_tickets(tree, admin_of):
    ticket_in(tree["county"], "A555")

    page = admin_of(tree["township"]).get(reverse("admin:hall_ticket_changelist")).content.decode()

    assert "A555" not in page


@pytest.mark.parametrize(
    "name", ["appointment", "assignment", "homevisit", "windowsession", "ticket", "kiosk"]
)
def test_the_supervision_lists_open_for_a_centre_admin(tree, admin_of, name):
    response = admin_of(tree["county"]).get(reverse(f"admin:hall_{name}_changelist"))

    assert response.status_code == 200


def test_a_leader_has_no_admin(tree, client):
    member = orgs_factories.staff(roles=(Role.LEADER,), centre=tree["county"])
    client.force_login(member.user)

    response = client.get(reverse("admin:hall_ticket_changelist"))

    assert response.status_code == 302  # to the admin's login: not staff


# --- kiosks ------------------------------------------------------------------------------


def test_without_the_kiosk_service_kiosks_cannot_be_added(tree, admin_of, monkeypatch):
    monkeypatch.setitem(sys.modules, "yichuang.hall.services.kiosk", None)

    response = admin_of(tree["county"]).get(reverse("admin:hall_kiosk_add"))

    assert response.status_code == 403


def test_a_new_kiosk_is_made_by_the_service_and_its_token_shown_once(tree, admin_of, monkeypatch):
    calls = []

    def kiosk_create(*, centre, code, name, location):
        calls.append((centre, code, name, location))
        kiosk = Kiosk.objects.create(
            centre=centre, code=code, name=name, location=location, token_hash="0" * 64
        )
        return kiosk, "pairing-token-123"

    fake = types.ModuleType("yichuang.hall.services.kiosk")
    fake.kiosk_create = kiosk_create
    monkeypatch.setitem(sys.modules, "yichuang.hall.services.kiosk", fake)
    client = admin_of(tree["county"])

    response = client.post(
        reverse("admin:hall_kiosk_add"),
        {
            "centre": tree["county"].pk,
            "code": "kiosk-1",
            "name": "一楼大厅1号机",
            "location": "一楼",
        },
        follow=True,
    )

    assert calls == [(tree["county"], "kiosk-1", "一楼大厅1号机", "一楼")]
    assert "pairing-token-123" in response.content.decode()
    kiosk = Kiosk.objects.get(code="kiosk-1")
    again = client.get(reverse("admin:hall_kiosk_change", args=[kiosk.pk]))
    assert "pairing-token-123" not in again.content.decode()


def test_a_kiosk_code_in_use_is_refused_before_the_service_runs(tree, admin_of, monkeypatch):
    Kiosk.objects.create(centre=tree["county"], code="kiosk-1", name="旧终端")
    fake = types.ModuleType("yichuang.hall.services.kiosk")
    fake.kiosk_create = lambda **kwargs: pytest.fail("the service must not run")
    monkeypatch.setitem(sys.modules, "yichuang.hall.services.kiosk", fake)

    response = admin_of(tree["county"]).post(
        reverse("admin:hall_kiosk_add"),
        {"centre": tree["county"].pk, "code": "kiosk-1", "name": "新终端", "location": ""},
    )

    assert response.status_code == 200
    assert "已有这个编号的自助终端" in response.content.decode()
    assert Kiosk.objects.count() == 1
