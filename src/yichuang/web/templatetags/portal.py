"""Template helpers shared by every portal page."""

from __future__ import annotations

from django import template

from yichuang.catalog.models import OnlineDepth, depth_levels
from yichuang.orgs.models import Centre
from yichuang.web import selectors
from yichuang.web.preferences import large_text_enabled as _large_text_enabled

register = template.Library()


@register.simple_tag(takes_context=True)
def large_text_enabled(context) -> bool:
    """Whether the visitor switched on the large-text (适老化) mode."""
    request = context.get("request")
    return request is not None and _large_text_enabled(request)


@register.simple_tag(takes_context=True)
def portal_centre(context) -> Centre | None:
    """The centre the portal presents: the view's, else the top of the hierarchy."""
    return context.get("centre") or selectors.portal_centre()


@register.filter
def depth_labels(mask: int) -> list[str]:
    """Names of the online-depth levels in a bit mask, lowest level first."""
    return [str(OnlineDepth(level).label) for level in depth_levels(mask or 0)]
