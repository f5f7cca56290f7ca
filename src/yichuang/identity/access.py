"""Who sees full identity and phone numbers (RULES.md §2).

The choice: only the roles that must compare a number with the person or the paper in
front of them see it whole —

- window officers (综合受理窗口人员), who check the applicant's ID at acceptance, and
- department reviewers (部门审批人员), who check it against the materials they review.

Everybody else sees it masked (`1501**********123X`, `138****5678`): leaders (they supervise
figures, not persons), centre admins (they configure, they do not handle cases), helpers
(they act for the applicant, who shows them the card), the public and anonymous callers.
A superuser sees full numbers, because the admin's correction of a mistyped record needs
it and a superuser can read the database anyway.

This module decides by role only. Later, case views must combine it with the case's own
access function: a reviewer sees the full number only on cases their department works on,
which the case access function already limits them to.
"""

from __future__ import annotations

from typing import Any

from yichuang.common.masking import mask_id_number, mask_phone
from yichuang.orgs.models import Role
from yichuang.orgs.selectors import user_roles

FULL_NUMBER_ROLES = frozenset({Role.WINDOW_OFFICER, Role.REVIEWER})


def sees_full_numbers(user: Any) -> bool:
    """Whether `user` may see identity and phone numbers unmasked (see the module docstring)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user_roles(user) & FULL_NUMBER_ROLES)


def id_number_for(user: Any, number: str | None) -> str:
    """The identity number as `user` may see it."""
    return (number or "") if sees_full_numbers(user) else mask_id_number(number)


def phone_for(user: Any, number: str | None) -> str:
    """The phone number as `user` may see it."""
    return (number or "") if sees_full_numbers(user) else mask_phone(number)
