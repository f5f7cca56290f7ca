"""The self-service kiosk: pairing, ID card sign-in, idle sign-out, taking a number, and
what the signed-in person may see (their own cases and notices only)."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from yichuang.cases.models import NoticeKind
from yichuang.cases.tests import factories as case_factories
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.common.errors import DomainError
from yichuang.hall.models import Kiosk, KioskSession, Priority, TakenVia, Ticket
from yichuang.hall.services import kiosk as kiosk_services
from yichuang.hall.tests import factories as hall_factories
from yichuang.hall.views.kiosk import COOKIE
from yichuang.identity.models import Applicant
from yichuang.identity.validation import resident_id_check_character
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

NOW = hall_factories.at(hour=10)


def elderly_id() -> str:
    body = "15042219500101123"  # born 1950-01-01: 76 on the test day
    return body + resident_id_check_character(body)


@pytest.fixture(autouse=True)
def frozen_clock():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def centre():
    centre = orgs_factories.centre(name="巴林左旗政务服务中心", code="blzq")
    hall_factories.queue(centre=centre, code="A", name="综合受理")
    hall_factories.queue(centre=centre, code="B", name="不动产登记")
    return centre


@pytest.fixture
def made(centre):
    return kiosk_services.kiosk_create(centre=centre, code="hall-1", name="一楼自助终端")


@pytest.fixture
def kiosk_client(made) -> Client:
    _kiosk, token = made
    browser = Client()
    assert browser.get("/kiosk/pair/", {"token": token}).status_code == 302
    return browser


def sign_in(browser: Client, *, id_number: str, name: str):
    return browser.post("/kiosk/sign-in/", {"id_number": id_number, "name": name})


@pytest.fixture
def person():
    return case_factories.applicant(name="张三")


@pytest.fixture
def signed_in(kiosk_client, person) -> Client:
    assert sign_in(kiosk_client, id_number=person.id_number, name="张三").status_code == 302
    return kiosk_client


# -- pairing --------------------------------------------------------------------------------


def test_a_new_kiosk_keeps_only_the_hash_of_its_token(made):
    kiosk, token = made

    assert kiosk.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in Kiosk.objects.filter(pk=kiosk.pk).values_list("token_hash", flat=True)[0]


def test_a_kiosk_code_is_used_once(centre, made):
    with pytest.raises(DomainError) as caught:
        kiosk_services.kiosk_create(centre=centre, code="hall-1", name="另一台")

    assert caught.value.code == "kiosk_code_taken"


def test_a_kiosk_code_must_be_a_slug(centre):
    with pytest.raises(DomainError) as caught:
        kiosk_services.kiosk_create(centre=centre, code="大厅 1", name="一楼")

    assert caught.value.code == "invalid_kiosk_code"


def test_an_unpaired_browser_is_told_the_terminal_is_not_activated(made):
    response = Client().get("/kiosk/")

    assert response.status_code == 403
    assert "本终端尚未激活" in response.content.decode()
    assert 'data-error="kiosk_not_paired"' in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/kiosk/take/", "/kiosk/cases/", "/kiosk/notices/", "/kiosk/notices/1/pdf/"]
)
def test_every_kiosk_page_refuses_an_unpaired_browser(made, path):
    assert Client().get(path).status_code == 403


def test_a_wrong_token_does_not_pair(made):
    browser = Client()

    response = browser.get("/kiosk/pair/", {"token": "guess" * 10})

    assert response.status_code == 403
    assert 'data-error="kiosk_not_paired"' in response.content.decode()
    assert browser.get("/kiosk/").status_code == 403


def test_pairing_sets_a_signed_http_only_cookie_and_opens_the_start_screen(made):
    _kiosk, token = made
    browser = Client()

    response = browser.post("/kiosk/pair/", {"token": token})

    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] is True
    assert token in cookie.value and cookie.value != token  # signed, not bare
    start = browser.get("/kiosk/")
    assert start.status_code == 200
    assert "请将身份证放在读卡区" in start.content.decode()


def test_a_tampered_cookie_is_refused(made):
    browser = Client()
    browser.cookies[COOKIE] = made[1]  # the bare token without the signature

    assert browser.get("/kiosk/").status_code == 403


def test_a_deactivated_kiosk_is_refused_at_once(kiosk_client, made):
    Kiosk.objects.filter(pk=made[0].pk).update(is_active=False)

    assert kiosk_client.get("/kiosk/").status_code == 403


def test_a_renewed_token_unpairs_the_old_browser(kiosk_client, made):
    kiosk_services.kiosk_token_renew(kiosk=made[0])

    assert kiosk_client.get("/kiosk/").status_code == 403


def test_the_command_prints_a_token_that_pairs(centre):
    out = StringIO()

    call_command("kiosk_create", centre="blzq", code="hall-2", name="二楼", stdout=out)

    token = out.getvalue().splitlines()[2]
    assert Kiosk.objects.get(code="hall-2").token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert Client().get("/kiosk/pair/", {"token": token}).status_code == 302


# -- signing in with the ID card -------------------------------------------------------------


def test_the_simulated_reader_offers_the_centres_applicants(kiosk_client, centre, person):
    case_factories.case(
        item_version=catalog_factories.published_item(
            department=orgs_factories.department(centre=centre)
        ),
        applicant=person,
    )

    page = kiosk_client.get("/kiosk/").content.decode()

    assert f'data-id-number="{person.id_number}"' in page
    assert "模拟身份证读卡器" in page


def test_the_simulated_reader_is_absent_when_the_setting_is_off(kiosk_client, person, settings):
    settings.YICHUANG = {**settings.YICHUANG, "KIOSK_SIMULATED_READER": False}

    page = kiosk_client.get("/kiosk/").content.decode()

    assert "data-sim-card" not in page
    assert person.id_number not in page


def test_a_known_person_signs_in_with_their_card(kiosk_client, person):
    response = sign_in(kiosk_client, id_number=person.id_number, name="张三")

    assert response.status_code == 302
    session = KioskSession.objects.get()
    assert session.applicant == person and session.ended_at is None
    assert kiosk_client.session["hall_kiosk_session"] == session.key
    assert "您好，张三" in kiosk_client.get("/kiosk/").content.decode()


def test_a_card_whose_name_differs_from_the_register_is_refused(kiosk_client, person):
    response = sign_in(kiosk_client, id_number=person.id_number, name="李四")

    assert response.status_code == 422
    assert 'data-error="name_mismatch"' in response.content.decode()
    assert not KioskSession.objects.exists()


def test_an_invalid_id_number_is_refused_with_its_code(kiosk_client, person):
    wrong = person.id_number[:-1] + ("0" if person.id_number[-1] != "0" else "1")

    response = sign_in(kiosk_client, id_number=wrong, name="张三")

    assert response.status_code == 422
    assert 'data-error="bad_check_digit"' in response.content.decode()


@pytest.mark.parametrize(
    ("id_number", "name"), [("", "张三"), ("x" * 10_000, "张三"), (None, None), ("1" * 18, "")]
)
def test_hostile_card_data_is_a_4xx(kiosk_client, id_number, name):
    data = {} if id_number is None else {"id_number": id_number, "name": name}

    response = kiosk_client.post("/kiosk/sign-in/", data)

    assert response.status_code == 422
    assert not KioskSession.objects.exists()


def test_an_unknown_card_registers_the_person(kiosk_client):
    number = case_factories.resident_id(777)

    sign_in(kiosk_client, id_number=number, name="王五")

    assert Applicant.objects.get(id_number=number).name == "王五"
    assert KioskSession.objects.get().applicant.id_number == number


def test_the_next_card_replaces_the_previous_person(signed_in):
    other = case_factories.applicant(name="赵六")

    sign_in(signed_in, id_number=other.id_number, name="赵六")

    first, second = KioskSession.objects.order_by("pk")
    assert first.end_reason == "replaced" and first.ended_at == NOW
    assert second.applicant == other and second.ended_at is None


def test_signing_out_ends_the_session(signed_in):
    response = signed_in.post("/kiosk/sign-out/", {"reason": "signed_out"})

    assert response.status_code == 302
    assert KioskSession.objects.get().end_reason == "signed_out"
    assert "请将身份证放在读卡区" in signed_in.get("/kiosk/").content.decode()


def test_the_pages_idle_timer_signs_out_with_reason_idle(signed_in):
    signed_in.post("/kiosk/sign-out/", {"reason": "idle"})

    assert KioskSession.objects.get().end_reason == "idle"


def test_a_session_idle_too_long_is_ended_on_the_next_request(signed_in, settings):
    settings.YICHUANG = {**settings.YICHUANG, "KIOSK_IDLE_SECONDS": 60}

    with clock.frozen(NOW + dt.timedelta(seconds=61)):
        response = signed_in.get("/kiosk/cases/")

    assert response.status_code == 302
    assert response["Location"] == "/kiosk/?ended=1"
    session = KioskSession.objects.get()
    assert session.end_reason == "idle" and session.ended_at == NOW + dt.timedelta(seconds=61)


def test_a_touch_keeps_the_session_alive(signed_in, settings):
    settings.YICHUANG = {**settings.YICHUANG, "KIOSK_IDLE_SECONDS": 60}
    with clock.frozen(NOW + dt.timedelta(seconds=50)):
        assert signed_in.get("/kiosk/cases/").status_code == 200

    with clock.frozen(NOW + dt.timedelta(seconds=100)):
        assert signed_in.get("/kiosk/cases/").status_code == 200

    assert KioskSession.objects.get().last_touch_at == NOW + dt.timedelta(seconds=100)


def test_a_session_of_another_kiosk_is_not_valid_here(signed_in, centre):
    _other, token = kiosk_services.kiosk_create(centre=centre, code="hall-9", name="九号")
    signed_in.get("/kiosk/pair/", {"token": token})

    assert signed_in.get("/kiosk/cases/").status_code == 302


# -- taking a number ------------------------------------------------------------------------------


def test_taking_a_number_at_the_kiosk(signed_in, person):
    response = signed_in.post("/kiosk/take/", {"queue": "A", "priority": ""})

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/kiosk/tickets/{ticket.public_token}/"
    assert (ticket.number, ticket.taken_via, ticket.applicant) == ("A001", TakenVia.KIOSK, person)
    assert ticket.rank == 1
    page = signed_in.get(response["Location"]).content.decode()
    assert "A001" in page and "前面还有 0 人" in page
    assert "<svg" in page  # the QR code of the ticket page
    assert "@page" not in page  # print rules live in the stylesheet


def test_the_elderly_get_the_priority_lane_from_their_card(kiosk_client):
    sign_in(kiosk_client, id_number=elderly_id(), name="老张")

    kiosk_client.post("/kiosk/take/", {"queue": "A"})

    ticket = Ticket.objects.get()
    assert (ticket.priority, ticket.rank) == (Priority.ELDERLY, 0)


def test_a_stated_priority_reason_takes_the_priority_lane(signed_in):
    signed_in.post("/kiosk/take/", {"queue": "B", "priority": Priority.PREGNANT})

    ticket = Ticket.objects.get()
    assert (ticket.number, ticket.priority, ticket.rank) == ("B001", Priority.PREGNANT, 0)


def test_taking_twice_in_one_queue_is_refused_with_a_code(signed_in):
    signed_in.post("/kiosk/take/", {"queue": "A"})

    response = signed_in.post("/kiosk/take/", {"queue": "A"})

    assert response.status_code == 409
    assert 'data-error="already_waiting"' in response.content.decode()
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "status"),
    [({"queue": "Z"}, 404), ({"queue": "A", "priority": "vip"}, 422), ({}, 404)],
)
def test_a_bad_take_is_a_4xx(signed_in, data, status):
    assert signed_in.post("/kiosk/take/", data).status_code == status
    assert not Ticket.objects.exists()


def test_the_kiosk_takes_numbers_without_the_anonymous_rate_limit(signed_in, settings):
    settings.YICHUANG = {**settings.YICHUANG, "HALL_ANONYMOUS_TICKETS_PER_HOUR": 0}

    assert signed_in.post("/kiosk/take/", {"queue": "A"}).status_code == 302


def test_another_persons_ticket_is_not_shown(signed_in, centre):
    theirs = hall_factories_ticket(centre)

    assert signed_in.get(f"/kiosk/tickets/{theirs.public_token}/").status_code == 404


def hall_factories_ticket(centre) -> Ticket:
    from yichuang.hall.services.tickets import ticket_take

    return ticket_take(
        centre=centre, queue_code="A", via=TakenVia.KIOSK, applicant=case_factories.applicant()
    )


# -- my cases and notices ------------------------------------------------------------------------


@pytest.fixture
def cases(centre, person):
    version = catalog_factories.published_item(
        department=orgs_factories.department(centre=centre), name="食品经营许可"
    )
    mine = case_factories.case(item_version=version, applicant=person)
    theirs = case_factories.case(item_version=version)
    return {
        "mine": mine,
        "theirs": theirs,
        "my_notice": case_factories.notice(case=mine, kind=NoticeKind.ACCEPTANCE),
        "their_notice": case_factories.notice(case=theirs, kind=NoticeKind.ACCEPTANCE),
    }


def test_my_cases_lists_only_the_persons_cases(signed_in, cases):
    page = signed_in.get("/kiosk/cases/").content.decode()

    assert cases["mine"].number in page
    assert cases["theirs"].number not in page


def test_a_case_of_the_person_shows_its_progress_and_notices(signed_in, cases):
    response = signed_in.get(f"/kiosk/cases/{cases['mine'].number}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "办理进度" in page and 'data-notice="acceptance"' in page


def test_another_persons_case_is_not_found(signed_in, cases):
    assert signed_in.get(f"/kiosk/cases/{cases['theirs'].number}/").status_code == 404
    assert signed_in.get("/kiosk/cases/" + "9" * 500 + "/").status_code == 404


def test_the_notices_list_has_only_the_persons_notices(signed_in, cases):
    page = signed_in.get("/kiosk/notices/").content.decode()

    assert cases["my_notice"].number in page
    assert cases["their_notice"].number not in page


def test_the_persons_notice_is_a_pdf_framed_in_the_page(signed_in, cases):
    pk = cases["my_notice"].pk
    page = signed_in.get(f"/kiosk/notices/{pk}/").content.decode()

    response = signed_in.get(f"/kiosk/notices/{pk}/pdf/")

    assert f"/kiosk/notices/{pk}/pdf/" in page
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.parametrize("suffix", ["", "pdf/"])
def test_another_persons_notice_is_not_found(signed_in, cases, suffix):
    pk = cases["their_notice"].pk

    assert signed_in.get(f"/kiosk/notices/{pk}/{suffix}").status_code == 404


def test_a_huge_notice_id_is_not_found(signed_in, cases):
    assert signed_in.get(f"/kiosk/notices/{2**63}/pdf/").status_code == 404


def test_signed_out_the_cases_are_gone(signed_in, cases):
    signed_in.post("/kiosk/sign-out/", {"reason": "signed_out"})

    response = signed_in.get("/kiosk/cases/")

    assert response.status_code == 302
    assert cases["mine"].number not in signed_in.get("/kiosk/").content.decode()


# -- appointment check-in ------------------------------------------------------------------


def _appointment_at_ten(centre, person):
    from yichuang.hall.tests.factories_appointments import TEN, appointment

    queue = centre.queues.get(code="A")
    queue.slot_capacity = 5
    queue.save()
    return appointment(queue=queue, applicant=person, day=clock.today(), starts=TEN)


def test_todays_appointment_checks_in_at_the_kiosk_for_a_priority_ticket(centre, signed_in, person):
    booked = _appointment_at_ten(centre, person)

    home = signed_in.get("/kiosk/").content.decode()
    response = signed_in.post(f"/kiosk/appointments/{booked.code}/check-in/")
    booked.refresh_from_db()

    assert f'data-appointment="{booked.code}"' in home
    assert response.status_code == 302
    assert (booked.status, booked.ticket.priority, booked.ticket.rank) == (
        "checked_in",
        "appointment",
        0,
    )
    assert response["Location"] == f"/kiosk/tickets/{booked.ticket.public_token}/"


def test_someone_elses_appointment_does_not_check_in_at_the_kiosk(centre, signed_in):
    other = _appointment_at_ten(centre, case_factories.applicant())

    response = signed_in.post(f"/kiosk/appointments/{other.code}/check-in/")
    other.refresh_from_db()

    assert response.status_code == 404
    assert other.status == "booked"
