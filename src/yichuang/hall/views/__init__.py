"""Pages of the hall, one module per sub-topic. Thin: parse, call one service or selector,
render."""

from yichuang.hall.views import assistance, home_visits
from yichuang.hall.views.ticket import ticket_page

__all__ = ["assistance", "home_visits", "ticket_page"]
