"""Filters of the hall's figures page: minutes and shares, "—" where there is nothing."""

from __future__ import annotations

from django import template

register = template.Library()

EMPTY = "—"


@register.filter
def minutes(value: float | None) -> str:
    """12.345 → "12.3"; None → "—"."""
    return EMPTY if value is None else f"{value:.1f}"


@register.filter
def percent(value: float | None) -> str:
    """0.256 → "25.6%"; None → "—"."""
    return EMPTY if value is None else f"{value * 100:.1f}%"
