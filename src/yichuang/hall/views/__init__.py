"""Pages of the hall, one module per sub-topic. Thin: parse, call one service or selector,
render."""

from yichuang.hall.views.calling import calling_action, calling_panel, calling_sign_in
from yichuang.hall.views.take import take_page
from yichuang.hall.views.ticket import ticket_cancel_page, ticket_page

__all__ = [
    "calling_action",
    "calling_panel",
    "calling_sign_in",
    "take_page",
    "ticket_cancel_page",
    "ticket_page",
]
