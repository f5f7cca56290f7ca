"""Pages of the hall, one module per sub-topic. Thin: parse, call one service or selector,
render."""

from yichuang.hall.views.appointments import (
    appointment_book,
    appointment_cancel,
    appointment_check_in,
    my_appointments,
    staff_appointments,
    staff_check_in,
)
from yichuang.hall.views.ticket import ticket_page

__all__ = [
    "appointment_book",
    "appointment_cancel",
    "appointment_check_in",
    "my_appointments",
    "staff_appointments",
    "staff_check_in",
    "ticket_page",
]
