"""Masking of personal numbers for roles that do not need the full value (RULES.md §2)."""

from __future__ import annotations


def mask_id_number(number: str | None) -> str:
    """`150102199003071234` → `1501**********1234`: first 4 and last 4 characters kept."""
    if not number:
        return ""
    value = str(number).strip()
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(number: str | None) -> str:
    """`13812345678` → `138****5678`; other lengths keep the first 3 and the last 4."""
    if not number:
        return ""
    value = str(number).strip()
    if len(value) <= 7:
        return value[:1] + "*" * (len(value) - 1)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
