"""Query counts of the hall's list endpoints and list pages: the number of queries does not
grow with the rows listed, so an N+1 fails here.

Each test builds N rows, reads the list once to warm the in-process caches (the working-day
calendar), counts the queries of a second read, adds 2N rows and counts again: both counts
are equal, and the second answer lists all 3N rows (the rows were really read).
"""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from collections.abc import Callable

import pytest
from django.test import Client

from yichuang.cases.models import NoticeKind
from yichuang.cases.tests import factories as case_factories
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.common.tests.query_counts import read, repeated
from yichuang.hall.models import (
    TakenVia,
    Ticket,
    TicketStatus,
)
from yichuang.hall.services import assistance, calling, home_visits
from yichuang.hall.services import kiosk as kiosk_services
from yichuang.hall.services import tickets as ticket_services
from yichuang.hall.tests import factories
from yichuang.hall.tests import factories_appointments as appointment_factories
from yichuang.hall.tests.factories import WORKDAY, at
from yichuang.orgs.models import Role
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

API = "/api/v1/hall"
N = 3
NOW = at(WORKDAY, 10)
_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen(NOW):
        yield


def assert_flat(
    client: Client,
    url: str,
    *,
    add: Callable[[int], object],
    rows: Callable[[object], int],
    data: dict | None = None,
) -> None:
    """The same number of queries for N and for 3N rows; the answer lists all 3N."""
    add(N)
    client.get(url, data or {})  # warm the in-process caches
    few, _ = read(client, url, data)
    add(2 * N)
    many, response = read(client, url, data)

    assert rows(response) == 3 * N
    assert len(many) == len(few), (
        f"{len(few)} queries for {N} rows, {len(many)} for {3 * N}:\n{repeated(many)}"
    )


def json_rows(response) -> int:
    return len(response.json())


def marked(marker: str) -> Callable[[object], int]:
    """Rows of a page: how often `marker` (a row's data attribute) occurs."""
    return lambda response: response.content.decode().count(marker)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def centre():
    return orgs_factories.centre(name="巴林左旗政务服务中心")


@pytest.fixture
def version(centre):
    department = orgs_factories.department(centre=centre)
    return catalog_factories.published_item(department=department, for_legal_persons=True)


def ticket(*, queue, status=TicketStatus.WAITING, **overrides) -> Ticket:
    """A ticket of today written directly (its number unique in the test)."""
    n = next(_seq)
    values = {
        "centre": queue.centre,
        "day": WORKDAY,
        "number": f"{queue.code}{n:03d}",
        "origin_queue": queue,
        "queue": queue,
        "status": status,
        "queued_at": at(WORKDAY, 8, n % 60),
        "taken_at": at(WORKDAY, 8, n % 60),
        "taken_via": TakenVia.KIOSK,
        "public_token": secrets.token_hex(16),
    }
    values.update(overrides)
    return Ticket.objects.create(**values)


# -- appointments ------------------------------------------------------------------------


@pytest.fixture
def bookable(centre):
    return appointment_factories.bookable_queue(centre=centre, code="A", name="综合受理")


def appointments_of(person, queue, version=None, *, days=None) -> Callable[[int], None]:
    """Adds appointments of `person` on days to come, each with an item and a ticket."""
    days = days or itertools.count(1)

    def add(count: int) -> None:
        for _ in range(count):
            day = WORKDAY + dt.timedelta(days=next(days))
            made = appointment_factories.appointment(queue=queue, applicant=person, day=day)
            made.item = version.item if version else None
            made.ticket = ticket(queue=queue)
            made.save(update_fields=["item", "ticket"])

    return add


def test_my_appointments_api(bookable, version):
    person = appointment_factories.person()

    assert_flat(
        client_for(person.user),
        f"{API}/appointments",
        add=appointments_of(person, bookable, version),
        rows=json_rows,
    )


def test_my_appointments_page(bookable, version):
    person = appointment_factories.person()

    assert_flat(
        client_for(person.user),
        "/my/appointments/",
        add=appointments_of(person, bookable, version),
        rows=marked("data-appointment="),
    )


def test_the_centres_appointments_page(centre, bookable, version):
    officer = orgs_factories.staff(centre=centre)
    days = itertools.count(1)

    def add(count: int) -> None:
        for _ in range(count):
            appointments_of(appointment_factories.person(), bookable, version, days=days)(1)

    assert_flat(
        client_for(officer.user),
        "/hall/appointments/",
        add=add,
        rows=marked("data-appointment="),
    )


def test_the_slots_api(settings, bookable):
    day = WORKDAY + dt.timedelta(days=1)
    hours = itertools.count(8)

    def add(count: int) -> None:
        periods = [p for p in settings.YICHUANG["APPOINTMENT_SLOTS"].split(",") if p]
        for _ in range(count):
            hour = next(hours)
            periods.append(f"{hour:02d}:00-{hour:02d}:30")
        settings.YICHUANG = {**settings.YICHUANG, "APPOINTMENT_SLOTS": ",".join(periods)}
        Client().get(f"{API}/slots", {"queue": "A", "day": day.isoformat()})  # rows made

    settings.YICHUANG = {**settings.YICHUANG, "APPOINTMENT_SLOTS": ""}
    assert_flat(
        Client(),
        f"{API}/slots",
        add=add,
        rows=json_rows,
        data={"queue": "A", "day": day.isoformat()},
    )


def test_the_appointment_days_api(settings, bookable):
    def add(count: int) -> None:
        ahead = settings.YICHUANG["APPOINTMENT_MAX_WORKDAYS_AHEAD"] + count
        settings.YICHUANG = {**settings.YICHUANG, "APPOINTMENT_MAX_WORKDAYS_AHEAD": ahead}

    settings.YICHUANG = {
        **settings.YICHUANG,
        "APPOINTMENT_MAX_WORKDAYS_AHEAD": 0,
        "APPOINTMENT_MIN_DAYS_AHEAD": 1,
    }
    assert_flat(Client(), f"{API}/appointment-days", add=add, rows=json_rows, data={"queue": "A"})


# -- assisted handling ---------------------------------------------------------------------


@pytest.fixture
def admin(centre):
    return orgs_factories.staff(roles=(Role.CENTRE_ADMIN,), centre=centre)


@pytest.fixture
def helper(centre):
    return orgs_factories.staff(roles=(Role.HELPER,), centre=centre, name="帮办员小李")


def assignments_of(admin, helper, version) -> Callable[[int], None]:
    """Adds authorised applicant-level assignments of `helper`, each with two cases opened
    under it, and one case-level assignment to a case of another applicant."""

    def add(count: int) -> None:
        for _ in range(count):
            person = case_factories.applicant()
            row = assistance.assignment_create(user=admin.user, helper=helper, applicant=person)
            row = assistance.assignment_authorise(user=helper.user, assignment=row, scope="全部")
            for _ in range(2):
                assistance.assisted_case_open(
                    user=helper.user, assignment=row, item_version=version
                )
            other = case_factories.case(item_version=version)
            assistance.assignment_create(
                user=admin.user, helper=helper, applicant=other.applicant, case=other
            )

    return add


def test_the_assignments_api(admin, helper, version):
    # Each add(1) makes 1 + 2 + 1 assignments: count rows per added group.
    assert_flat(
        client_for(admin.user),
        f"{API}/assignments",
        add=assignments_of(admin, helper, version),
        rows=lambda response: len(response.json()) // 4,
    )


def test_the_helpers_page(admin, helper, version):
    # Each group shows as two cards: the applicant's (with its two cases) and the case's.
    assert_flat(
        client_for(helper.user),
        "/helper/",
        add=assignments_of(admin, helper, version),
        rows=lambda response: response.content.decode().count("data-assignment=") // 2,
    )


def test_the_centres_assignments_page(admin, helper, version):
    assert_flat(
        client_for(admin.user),
        "/hall/assignments/",
        add=assignments_of(admin, helper, version),
        rows=lambda response: response.content.decode().count("data-assignment=") // 4,
    )


# -- home visits ---------------------------------------------------------------------------


def visits_of(admin, visitor, version, *, person=None) -> Callable[[int], None]:
    """Adds home visits for an item the centre offers: requested, scheduled (the visitor
    and the admin) and done (a case opened); for `person`, done, cancelled and done (a
    person has one open request at a time)."""
    tomorrow = at(WORKDAY + dt.timedelta(days=1), 10)

    def request():
        return home_visits.home_visit_request(
            user=admin.user,
            applicant=person or case_factories.applicant(),
            reason="elderly",
            address="林东镇某街1号",
            contact_phone="13800000000",
            item=version.item,
        )

    def schedule(staff):
        return home_visits.home_visit_schedule(
            user=admin.user, visit=request(), staff=staff, when=tomorrow
        )

    def record(visit):
        home_visits.home_visit_record(
            user=visitor.user, visit=visit, record="已上门", item_version=version
        )

    def add(count: int) -> None:
        for _ in range(count):
            if person is None:
                request()
                schedule([visitor, admin])
            else:
                record(schedule([visitor]))
                home_visits.home_visit_cancel(user=admin.user, visit=request(), reason="不需要了")
            record(schedule([visitor]))

    return add


@pytest.fixture
def visitor(centre):
    return orgs_factories.staff(centre=centre, name="上门员小王")


def per_visit_group(count: int) -> int:
    return count // 3


def test_the_home_visits_api(admin, visitor, version):
    assert_flat(
        client_for(admin.user),
        f"{API}/home-visits",
        add=visits_of(admin, visitor, version),
        rows=lambda response: per_visit_group(len(response.json())),
    )


def test_the_home_visits_api_of_the_visitor(admin, visitor, version):
    assert_flat(
        client_for(visitor.user),
        f"{API}/home-visits",
        add=visits_of(admin, visitor, version),
        rows=lambda response: len(response.json()) // 2,
        data={"mine": "true"},
    )


def test_the_applicants_home_visits_page(admin, visitor, version):
    person = case_factories.applicant(with_user=True)

    assert_flat(
        client_for(person.user),
        "/my/home-visits/",
        add=visits_of(admin, visitor, version, person=person),
        rows=lambda response: per_visit_group(response.content.decode().count("data-visit=")),
    )


def test_the_centres_home_visits_page(admin, visitor, version):
    assert_flat(
        client_for(admin.user),
        "/hall/home-visits/",
        add=visits_of(admin, visitor, version),
        rows=lambda response: per_visit_group(response.content.decode().count("data-visit=")),
    )


def test_the_visitors_page(admin, visitor, version):
    assert_flat(
        client_for(visitor.user),
        "/hall/my-visits/",
        add=visits_of(admin, visitor, version),
        rows=lambda response: response.content.decode().count("data-visit=") // 2,
    )


# -- queues, the screen, the window ------------------------------------------------------


def queues_in(centre) -> Callable[[int], None]:
    """Adds queues (letters from A on), each with two waiting tickets, served by a window."""
    letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

    def add(count: int) -> None:
        for _ in range(count):
            window = factories.window(centre=centre)
            queue = factories.queue(centre=centre, code=next(letters), windows=[window])
            ticket(queue=queue)
            ticket(queue=queue)

    return add


def test_the_queues_api(centre):
    assert_flat(
        Client(),
        f"{API}/queues",
        add=queues_in(centre),
        rows=json_rows,
        data={"centre": centre.code},
    )


def test_the_take_page(centre):
    assert_flat(
        Client(),
        "/hall/take/",
        add=queues_in(centre),
        rows=marked("<li data-queue="),
        data={"centre": centre.code},
    )


def test_the_take_page_reads_the_tickets_taken_in_this_browser_at_once(centre):
    factories.queue(centre=centre, code="A")
    visitor = Client()
    taken = []

    def add(count: int) -> None:
        for _ in range(count):
            made = ticket_services.ticket_take(centre=centre, queue_code="A", via=TakenVia.PORTAL)
            taken.append(made.public_token)
        session = visitor.session
        session["hall_tickets"] = list(reversed(taken))
        session.save()

    add(1)
    visitor.get("/hall/take/")
    one, _ = read(visitor, "/hall/take/")
    add(4)  # the page keeps the latest five
    five, response = read(visitor, "/hall/take/")

    assert response.content.decode().count('href="/hall/tickets/') == 5
    assert len(five) == len(one), repeated(five)


def test_the_ticket_page_does_not_grow_with_the_people_ahead(centre):
    queue = factories.queue(centre=centre, code="A", windows=[factories.window(centre=centre)])
    for _ in range(N):
        ticket(queue=queue, status=TicketStatus.DONE, first_called_at=at(WORKDAY, 9),
               finished_at=at(WORKDAY, 9, 5))  # fmt: skip
    mine = ticket(queue=queue, queued_at=at(WORKDAY, 9, 59), taken_at=at(WORKDAY, 9, 59))
    url = f"/hall/tickets/{mine.public_token}/"

    def add(count: int) -> None:
        for _ in range(count):
            ticket(queue=queue)

    assert_flat(
        Client(),
        url,
        add=add,
        rows=lambda response: int(response.context["ahead"]),
    )


def test_the_screen_api_does_not_grow_with_the_windows(centre):
    def add(count: int) -> None:
        for _ in range(count):
            window = factories.window(centre=centre)
            queue = factories.queue(
                centre=centre, code="ABCDEFGHIJKLMNOPQRSTUVWXYZ"[window.number % 26],
                windows=[window],
            )  # fmt: skip
            officer = orgs_factories.staff(centre=centre)
            ticket(queue=queue)
            calling.window_sign_in(user=officer.user, window=window)
            calling.ticket_call_next(user=officer.user, window=window)

    assert_flat(
        Client(),
        f"{API}/screen",
        add=add,
        rows=lambda response: len(response.json()["windows"]),
        data={"centre": centre.code},
    )


@pytest.fixture
def window_hall(centre, settings):
    """Window 1 serving queue A, its officer signed in; up to 20 missed tickets listed."""
    settings.YICHUANG = {**settings.YICHUANG, "HALL_RECALLABLE_MISSED": 20}
    window = factories.window(centre=centre, number=1, name="综合受理")
    queue = factories.queue(centre=centre, code="A", windows=[window])
    officer = orgs_factories.staff(centre=centre, name="窗口一号")
    calling.window_sign_in(user=officer.user, window=window)
    return {"window": window, "queue": queue, "officer": officer}


def missed_at(window_hall) -> Callable[[int], None]:
    """Adds missed tickets of applicants, missed at the window."""

    def add(count: int) -> None:
        for _ in range(count):
            ticket(
                queue=window_hall["queue"],
                status=TicketStatus.MISSED,
                window=window_hall["window"],
                applicant=case_factories.applicant(),
                call_count=2,
                first_called_at=at(WORKDAY, 9),
                called_at=at(WORKDAY, 9, 1),
                finished_at=at(WORKDAY, 9, 2),
            )

    return add


def test_the_missed_api(window_hall):
    assert_flat(
        client_for(window_hall["officer"].user),
        f"{API}/windows/{window_hall['window'].pk}/missed",
        add=missed_at(window_hall),
        rows=json_rows,
    )


def test_the_calling_panel_on_the_desk(centre, window_hall):
    letters = iter("BCDEFGHIJKLMNOP")
    missed = missed_at(window_hall)

    def add(count: int) -> None:
        missed(count)
        for _ in range(count):
            queue = factories.queue(
                centre=centre, code=next(letters), windows=[window_hall["window"]]
            )
            ticket(queue=queue)

    assert_flat(
        client_for(window_hall["officer"].user),
        "/desk/",
        add=add,
        rows=marked("data-missed="),
    )


def test_the_calling_panel_before_signing_in(centre):
    officer = orgs_factories.staff(centre=centre, name="窗口一号")

    def add(count: int) -> None:
        for _ in range(count):
            window = factories.window(centre=centre)
            other = orgs_factories.staff(centre=centre)
            calling.window_sign_in(user=other.user, window=window)
            factories.window(centre=centre)

    assert_flat(
        client_for(officer.user),
        "/desk/",
        add=add,
        rows=lambda response: response.content.decode().count("已签到"),
    )


# -- figures -------------------------------------------------------------------------------


def served_in(centre) -> Callable[[int], None]:
    """Adds queues with a window each, and tickets served there today."""
    letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

    def add(count: int) -> None:
        for _ in range(count):
            window = factories.window(centre=centre)
            queue = factories.queue(centre=centre, code=next(letters), windows=[window])
            for _ in range(2):
                ticket(
                    queue=queue,
                    status=TicketStatus.DONE,
                    window=window,
                    call_count=1,
                    first_called_at=at(WORKDAY, 9),
                    called_at=at(WORKDAY, 9),
                    finished_at=at(WORKDAY, 9, 7),
                )

    return add


def test_the_figures_api(centre):
    leader = orgs_factories.staff(roles=(Role.LEADER,), centre=centre)

    assert_flat(
        client_for(leader.user),
        f"{API}/figures",
        add=served_in(centre),
        rows=lambda response: len(response.json()["queues"]),
    )


def queue_table_rows(response) -> int:
    """The rows of the page's queue table, its total row left out."""
    table = response.content.decode().split('data-figures="queues"')[1].split("</table>")[0]
    return table.count("<tr data-row=") - 1


def test_the_figures_page(centre):
    leader = orgs_factories.staff(roles=(Role.LEADER,), centre=centre)

    assert_flat(
        client_for(leader.user),
        "/hall/figures/",
        add=served_in(centre),
        rows=queue_table_rows,
    )


# -- the kiosk -----------------------------------------------------------------------------


@pytest.fixture
def kiosk_person(centre):
    factories.queue(centre=centre, code="A", name="综合受理")
    _kiosk, token = kiosk_services.kiosk_create(centre=centre, code="hall-1", name="一楼")
    person = case_factories.applicant(name="张三")
    browser = Client()
    assert browser.get("/kiosk/pair/", {"token": token}).status_code == 302
    signed = browser.post("/kiosk/sign-in/", {"id_number": person.id_number, "name": "张三"})
    assert signed.status_code == 302
    return browser, person


def cases_of(person, version) -> Callable[[int], None]:
    """Adds cases of the person, each with a notice."""

    def add(count: int) -> None:
        for _ in range(count):
            case = case_factories.case(item_version=version, applicant=person)
            case_factories.notice(case=case, kind=NoticeKind.ACCEPTANCE)

    return add


def test_the_kiosks_cases_page(kiosk_person, version):
    browser, person = kiosk_person

    assert_flat(browser, "/kiosk/cases/", add=cases_of(person, version), rows=marked("data-case="))


def test_the_kiosks_notices_page(kiosk_person, version):
    browser, person = kiosk_person

    assert_flat(
        browser, "/kiosk/notices/", add=cases_of(person, version), rows=marked("data-notice=")
    )
