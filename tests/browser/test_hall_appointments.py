"""An applicant books an appointment on a 375 px phone: queue → day → slot, then cancels."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import PHONE
from yichuang.common import clock
from yichuang.hall.models import Appointment, AppointmentStatus
from yichuang.hall.tests.factories import WORKDAY, at
from yichuang.hall.tests.factories_appointments import bookable_queue, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def overflow(page) -> int:
    """How many pixels the page is wider than the screen (0: no sideways scrolling)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_applicant_books_and_cancels_on_a_phone(visit):
    bookable_queue(capacity=3, name="综合受理")
    applicant = person()
    visitor = visit(viewport=PHONE, javascript=False)

    with clock.frozen(at(WORKDAY, 9, 0)):
        page = visitor.open("/accounts/login/")
        page.fill("#id_username", applicant.user.username)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="登录", exact=True).click()
        page.wait_for_url(re.compile(r"/my/cases/$"))
        page.get_by_role("link", name="我的预约").first.click()
        page.wait_for_url(re.compile(r"/my/appointments/"))
        page.get_by_role("link", name="综合受理").click()
        page.locator('[data-day="2026-03-05"]').click()
        widths = {"slots": overflow(page)}
        page.locator('[data-slot="10:00"]').get_by_role("button", name="预约").click()
        page.wait_for_selector("[data-appointment]")
        success = page.locator(".flash-success").inner_text()
        widths["list"] = overflow(page)
        page.get_by_role("button", name="取消预约").click()
        page.wait_for_selector('[data-status="cancelled"]')

    assert "预约成功" in success and "10:00" in success
    assert widths == {"slots": 0, "list": 0}
    assert Appointment.objects.get().status == AppointmentStatus.CANCELLED
