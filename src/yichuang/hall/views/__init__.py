"""Pages of the hall, one module per sub-topic. Thin: parse, call one service or selector,
render."""

from yichuang.hall.views.kiosk import (
    kiosk_case,
    kiosk_cases,
    kiosk_home,
    kiosk_notice,
    kiosk_notice_pdf,
    kiosk_notices,
    kiosk_pair,
    kiosk_sign_in,
    kiosk_sign_out,
    kiosk_take,
    kiosk_ticket,
)
from yichuang.hall.views.screen import screen_page
from yichuang.hall.views.ticket import ticket_page

__all__ = [
    "kiosk_case",
    "kiosk_cases",
    "kiosk_home",
    "kiosk_notice",
    "kiosk_notice_pdf",
    "kiosk_notices",
    "kiosk_pair",
    "kiosk_sign_in",
    "kiosk_sign_out",
    "kiosk_take",
    "kiosk_ticket",
    "screen_page",
    "ticket_page",
]
