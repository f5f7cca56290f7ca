"""Pages of the hall, one module per sub-topic. Thin: parse, call one service or selector,
render."""

from yichuang.hall.views.screen import screen_page
from yichuang.hall.views.ticket import ticket_page

__all__ = ["screen_page", "ticket_page"]
