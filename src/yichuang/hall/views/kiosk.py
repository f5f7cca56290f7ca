"""The self-service kiosk's pages (自助终端) under /kiosk/.

Every page needs a paired, active kiosk (the signed cookie set by /kiosk/pair/); the pages
after sign-in need the person's open kiosk session, touched on each request (an idle one
is ended there and the start screen comes back).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import segno
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from yichuang.cases import selectors as case_selectors
from yichuang.cases.pdf import PdfFontMissing
from yichuang.cases.views.notices import notice_pdf_response
from yichuang.common import clock
from yichuang.common.errors import DomainError
from yichuang.common.masking import mask_id_number
from yichuang.hall import selectors, selectors_kiosk
from yichuang.hall.models import PRIORITY_CLAIMABLE, Kiosk, Priority, TakenVia
from yichuang.hall.services import kiosk as kiosk_services
from yichuang.hall.services import tickets
from yichuang.hall.services.appointments import appointment_can_check_in, appointment_check_in
from yichuang.web import case_display

COOKIE = "yichuang_kiosk"
COOKIE_SALT = "yichuang.hall.kiosk"
COOKIE_MAX_AGE = 5 * 365 * 24 * 3600
SESSION_KEY = "hall_kiosk_session"
# Reasons a person states at the kiosk; the elderly are recognised from the ID card.
STATED_PRIORITIES = [p for p in PRIORITY_CLAIMABLE if p != Priority.ELDERLY]


def _paired_kiosk(request: HttpRequest) -> Kiosk | None:
    token = request.get_signed_cookie(COOKIE, default="", salt=COOKIE_SALT)
    try:
        return kiosk_services.kiosk_for_token(token=token)
    except DomainError:
        return None


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200):
    session = getattr(request, "kiosk_session", None)
    context = {
        "kiosk": request.kiosk,
        "person": session.applicant if session is not None else None,
        "idle_seconds": settings.YICHUANG["KIOSK_IDLE_SECONDS"],
        **context,
    }
    return render(request, f"hall/kiosk/{template}", context, status=status)


def paired(view: Callable) -> Callable:
    """The page needs a paired, active kiosk; otherwise the 未激活 page (403)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        kiosk = _paired_kiosk(request)
        if kiosk is None:
            error = kiosk_services.kiosk_not_paired()
            context = {"code": error.code, "message": error.message}
            return render(request, "hall/kiosk/unpaired.html", context, status=403)
        request.kiosk = kiosk
        return view(request, *args, **kwargs)

    return wrapper


def signed_in(view: Callable) -> Callable:
    """The page needs the person's kiosk session (touched now); else the start screen."""

    @functools.wraps(view)
    @paired
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            request.kiosk_session = kiosk_services.kiosk_touch(
                kiosk=request.kiosk, key=request.session.get(SESSION_KEY, "")
            )
        except DomainError:
            request.session.pop(SESSION_KEY, None)
            return redirect(reverse("hall:kiosk_home") + "?ended=1")
        return view(request, *args, **kwargs)

    return wrapper


def kiosk_pair(request: HttpRequest) -> HttpResponse:
    """Pair this browser with a kiosk by its token (`?token=` or the form)."""
    token = (request.POST.get("token") or request.GET.get("token") or "").strip()
    if not token:
        return render(request, "hall/kiosk/pair.html", {})
    try:
        kiosk_services.kiosk_for_token(token=token)
    except DomainError as error:
        context = {"code": error.code, "message": error.message}
        return render(request, "hall/kiosk/pair.html", context, status=error.status)
    response = redirect("hall:kiosk_home")
    response.set_signed_cookie(
        COOKIE,
        token,
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
    )
    request.session.pop(SESSION_KEY, None)
    return response


def _start(request: HttpRequest, *, error: DomainError | None = None) -> HttpResponse:
    simulated = settings.YICHUANG["KIOSK_SIMULATED_READER"]
    persons = selectors_kiosk.kiosk_demo_persons(centre=request.kiosk.centre) if simulated else []
    context = {
        "simulated": simulated,
        "demo_persons": [
            {"id_number": p.id_number, "name": p.name, "masked": mask_id_number(p.id_number)}
            for p in persons
        ],
        "ended": request.GET.get("ended") == "1",
        "error": error,
    }
    return _page(request, "start.html", context, status=error.status if error else 200)


@paired
def kiosk_home(request: HttpRequest) -> HttpResponse:
    """The start screen (刷身份证) or, for the signed-in person, the menu."""
    if not request.session.get(SESSION_KEY):
        return _start(request)
    try:
        session = kiosk_services.kiosk_touch(kiosk=request.kiosk, key=request.session[SESSION_KEY])
    except DomainError:
        request.session.pop(SESSION_KEY, None)
        return redirect(reverse("hall:kiosk_home") + "?ended=1")
    appointments = selectors_kiosk.kiosk_appointments_today(session=session)
    context = {
        "session": session,
        "person": session.applicant,
        "appointments": [(a, appointment_can_check_in(a)) for a in appointments],
        "checkin_early": settings.YICHUANG["APPOINTMENT_CHECKIN_EARLY_MINUTES"],
    }
    return _page(request, "home.html", context)


@require_POST
@signed_in
def kiosk_check_in(request: HttpRequest, code: str) -> HttpResponse:
    """预约签到: today's appointment of the person gives a priority ticket."""
    try:
        appointment = selectors_kiosk.kiosk_appointment_get(
            session=request.kiosk_session, code=code
        )
        ticket = appointment_check_in(appointment=appointment, via=TakenVia.KIOSK)
    except DomainError as error:
        return _page(request, "not_found.html", {"message": error.message}, status=error.status)
    return redirect("hall:kiosk_ticket", token=ticket.public_token)


@require_POST
@paired
def kiosk_sign_in(request: HttpRequest) -> HttpResponse:
    """The card was read: sign the person in (the previous one at this kiosk leaves)."""
    try:
        session = kiosk_services.kiosk_sign_in(
            kiosk=request.kiosk,
            id_number=request.POST.get("id_number", ""),
            name=request.POST.get("name", ""),
        )
    except DomainError as error:
        request.session.pop(SESSION_KEY, None)
        return _start(request, error=error)
    request.session.cycle_key()
    request.session[SESSION_KEY] = session.key
    return redirect("hall:kiosk_home")


@require_POST
@paired
def kiosk_sign_out(request: HttpRequest) -> HttpResponse:
    """退出, or the page's idle timer (`reason=idle`)."""
    key = request.session.pop(SESSION_KEY, "")
    reason = request.POST.get("reason", "")
    kiosk_services.kiosk_sign_out(kiosk=request.kiosk, key=key, reason=reason)
    return redirect(reverse("hall:kiosk_home") + ("?ended=1" if reason == "idle" else ""))


def _take_page(request: HttpRequest, *, error: DomainError | None = None) -> HttpResponse:
    context = {
        "person": request.kiosk_session.applicant,
        "queues": list(selectors.queues_with_waiting(centre=request.kiosk.centre)),
        "priorities": [(p.value, p.label) for p in STATED_PRIORITIES],
        "chosen_priority": request.POST.get("priority", ""),
        "priority_age": settings.YICHUANG["HALL_PRIORITY_AGE"],
        "error": error,
    }
    return _page(request, "take.html", context, status=error.status if error else 200)


@signed_in
def kiosk_take(request: HttpRequest) -> HttpResponse:
    """取号: big queue buttons and the priority reasons one may state."""
    if request.method != "POST":
        return _take_page(request)
    try:
        ticket = kiosk_services.kiosk_ticket_take(
            session=request.kiosk_session,
            queue_code=request.POST.get("queue", ""),
            priority=request.POST.get("priority", ""),
        )
    except DomainError as error:
        return _take_page(request, error=error)
    return redirect("hall:kiosk_ticket", token=ticket.public_token)


@signed_in
def kiosk_ticket(request: HttpRequest, token: str) -> HttpResponse:
    """The printable ticket (80 mm receipt) with a QR code of the ticket's page."""
    try:
        ticket = selectors_kiosk.kiosk_ticket_get(session=request.kiosk_session, token=token)
    except DomainError as error:
        return _page(request, "not_found.html", {"message": error.message}, status=404)
    ahead = tickets.tickets_ahead(ticket)
    url = request.build_absolute_uri(reverse("hall:ticket", args=[ticket.public_token]))
    context = {
        "ticket": ticket,
        "ahead": ahead,
        "minutes": tickets.ticket_estimate_minutes(ticket=ticket, ahead=ahead),
        "qr_svg": segno.make(url, error="m").svg_inline(omitsize=True, border=2),
        "url": url,
    }
    return _page(request, "ticket.html", context)


@signed_in
def kiosk_cases(request: HttpRequest) -> HttpResponse:
    """我的办件: the person's cases with status, due date and light."""
    today = clock.today()
    rows = []
    for case in selectors_kiosk.kiosk_cases(session=request.kiosk_session):
        light = case_display.case_light(case=case, today=today)
        rows.append(
            {
                "case": case,
                "light": light,
                "light_label": case_display.light_label(light, status=case.status),
            }
        )
    return _page(request, "cases.html", {"rows": rows, "person": request.kiosk_session.applicant})


@signed_in
def kiosk_case(request: HttpRequest, number: str) -> HttpResponse:
    """One of the person's cases: status, due date, light, progress and notices."""
    try:
        case = selectors_kiosk.kiosk_case_get(session=request.kiosk_session, number=number)
    except DomainError as error:
        return _page(request, "not_found.html", {"message": error.message}, status=404)
    light = case_display.case_light(case=case, today=clock.today())
    context = {
        "case": case,
        "light": light,
        "light_label": case_display.light_label(light, status=case.status),
        "timeline": case_display.timeline(list(case_selectors.case_events(case=case))),
        "notices": list(case.notices.order_by("-issued_at", "-id")),
    }
    return _page(request, "case.html", context)


@signed_in
def kiosk_notices(request: HttpRequest) -> HttpResponse:
    """打印通知书: the notices of the person's cases."""
    notices = list(selectors_kiosk.kiosk_notices(session=request.kiosk_session))
    return _page(request, "notices.html", {"notices": notices})


@signed_in
def kiosk_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """One notice shown in the page, with a big print button."""
    try:
        notice = selectors_kiosk.kiosk_notice_get(session=request.kiosk_session, pk=pk)
    except DomainError as error:
        return _page(request, "not_found.html", {"message": error.message}, status=404)
    return _page(request, "notice.html", {"notice": notice})


@xframe_options_sameorigin
@signed_in
def kiosk_notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice as PDF (shown in the notice page's frame)."""
    try:
        notice = selectors_kiosk.kiosk_notice_get(session=request.kiosk_session, pk=pk)
    except DomainError as error:
        return _page(request, "not_found.html", {"message": error.message}, status=404)
    try:
        return notice_pdf_response(request=request, notice=notice)
    except PdfFontMissing as error:
        return _page(request, "not_found.html", {"message": error.message}, status=error.status)
