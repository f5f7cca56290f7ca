"""Pages of the hall, one module per sub-topic. Thin: parse, call one service or selector,
render."""

from yichuang.hall.views.figures import figures_export, figures_page
from yichuang.hall.views.ticket import ticket_page

__all__ = ["figures_export", "figures_page", "ticket_page"]
