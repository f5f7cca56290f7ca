"""Queries and access functions for centres, departments, windows and staff.

Every read of organisation data from user input goes through these functions; later
apps (cases, hall, stats) build their own visibility on them. Two notions are kept apart:

- *visible* (`centres_visible_to`): what a signed-in staff member may read in the back
  office. A superuser sees every centre. A centre admin or a leader sees their centre
  and every centre below it (the subtree, one indexed prefix query on `path`). Any other
  active staff member (window officer, reviewer, helper) sees their own centre only.
  Anyone else (anonymous, an applicant's account, an inactive staff member) sees nothing.
- *managed* (`centres_managed_by`): what a user may change in the admin. A superuser:
  everything; a centre admin: their subtree; nobody else: nothing.

The public portal does not use either: it reads `centres_public()` (active centres,
no personal data).

`*_get_for` functions return one object or raise `CentreNotFound`/`NotFound` — the same
answer for a missing row and a forbidden one, so existence does not leak.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from yichuang.common.errors import NotFound
from yichuang.orgs.errors import CentreNotFound
from yichuang.orgs.models import Centre, Department, Role, Staff, StaffRole, Window

# Roles whose visibility extends to the centres below their own.
SUBTREE_ROLES = frozenset({Role.CENTRE_ADMIN, Role.LEADER})

_STAFF_CACHE = "_yichuang_staff"


def staff_for_user(user: Any) -> Staff | None:
    """The active staff record of `user` with its roles and centre, or None.

    Anonymous users, accounts without a staff record, inactive accounts and inactive staff
    give None. The answer is cached on the user object for the rest of the request.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if hasattr(user, _STAFF_CACHE):
        return getattr(user, _STAFF_CACHE)
    member = (
        Staff.objects.select_related("centre", "department")
        .prefetch_related(Prefetch("roles", queryset=StaffRole.objects.order_by("role")))
        .filter(user_id=user.pk, is_active=True)
        .first()
    )
    setattr(user, _STAFF_CACHE, member)
    return member


def forget_staff_cache(user: Any) -> None:
    """Drop the cached staff record (after roles or the centre change)."""
    if user is not None and hasattr(user, _STAFF_CACHE):
        delattr(user, _STAFF_CACHE)


def user_roles(user: Any) -> frozenset[str]:
    """The roles of the user's active staff record (empty for everybody else).

    A superuser holds no role by being a superuser: role checks are about the work a
    person does, the superuser flag only about administration.
    """
    member = staff_for_user(user)
    return frozenset(member.role_set()) if member else frozenset()


def user_has_role(user: Any, role: str) -> bool:
    """Whether the user's active staff record has `role`."""
    return role in user_roles(user)


def centre_subtree(centre: Centre) -> QuerySet[Centre]:
    """The centre and every centre below it."""
    return Centre.objects.filter(path__startswith=centre.path)


def centres_visible_to(user: Any) -> QuerySet[Centre]:
    """Centres the user may read in the back office (see the module docstring)."""
    if user is not None and getattr(user, "is_superuser", False) and user.is_active:
        return Centre.objects.all()
    member = staff_for_user(user)
    if member is None:
        return Centre.objects.none()
    if member.role_set() & SUBTREE_ROLES:
        return centre_subtree(member.centre)
    return Centre.objects.filter(pk=member.centre_id)


def centres_managed_by(user: Any) -> QuerySet[Centre]:
    """Centres whose configuration the user may change (superuser: all; centre admin: subtree)."""
    if user is not None and getattr(user, "is_superuser", False) and user.is_active:
        return Centre.objects.all()
    member = staff_for_user(user)
    if member is None or Role.CENTRE_ADMIN not in member.role_set():
        return Centre.objects.none()
    return centre_subtree(member.centre)


def centres_public() -> QuerySet[Centre]:
    """Active centres for the public portal and API, parents joined, in tree order.

    A centre below an inactive one is left out too, so the public tree has no orphans.
    """
    inactive_paths = list(Centre.objects.filter(is_active=False).values_list("path", flat=True))
    below_inactive = Q()
    for path in inactive_paths:
        below_inactive |= Q(path__startswith=path)
    queryset = Centre.objects.select_related("parent").order_by("path")
    return queryset.exclude(below_inactive) if inactive_paths else queryset


def centre_get_for(*, user: Any, pk: int | None = None, code: str | None = None) -> Centre:
    """One centre the user may see, by `pk` or `code`; `CentreNotFound` if missing or hidden."""
    return _centre_get(centres_visible_to(user), pk=pk, code=code)


def centre_get_public(*, code: str) -> Centre:
    """One active centre by code for the public; `CentreNotFound` otherwise."""
    return _centre_get(centres_public(), code=code)


def _centre_get(queryset: QuerySet[Centre], *, pk: int | None = None, code: str | None = None):
    if (pk is None) == (code is None):
        raise ValueError("give exactly one of pk and code")
    lookup = {"pk": pk} if pk is not None else {"code": code}
    centre = queryset.filter(**lookup).first()
    if centre is None:
        raise CentreNotFound(code="centre_not_found", message=_("未找到该服务中心"))
    return centre


def departments_visible_to(user: Any) -> QuerySet[Department]:
    """Departments of the centres the user may see."""
    return Department.objects.filter(centre__in=centres_visible_to(user)).select_related("centre")


def windows_visible_to(user: Any) -> QuerySet[Window]:
    """Windows of the centres the user may see."""
    return Window.objects.filter(centre__in=centres_visible_to(user)).select_related("centre")


def staff_visible_to(user: Any) -> QuerySet[Staff]:
    """Staff of the centres the user may see, with centre, department and roles loaded."""
    return (
        Staff.objects.filter(centre__in=centres_visible_to(user))
        .select_related("centre", "department", "user")
        .prefetch_related("roles")
    )


def department_get_for(*, user: Any, pk: int) -> Department:
    """One department the user may see; `NotFound` if missing or hidden."""
    department = departments_visible_to(user).filter(pk=pk).first()
    if department is None:
        raise NotFound(code="department_not_found", message=_("未找到该部门"))
    return department


def staff_get_for(*, user: Any, pk: int) -> Staff:
    """One staff member the user may see; `NotFound` if missing or hidden."""
    member = staff_visible_to(user).filter(pk=pk).first()
    if member is None:
        raise NotFound(code="staff_not_found", message=_("未找到该工作人员"))
    return member


def public_centre_detail(*, code: str) -> tuple[Centre, list[Department], list[Window]]:
    """A public centre with its active departments and windows (windows' departments loaded)."""
    centre = centre_get_public(code=code)
    departments = list(centre.departments.filter(is_active=True).order_by("name"))
    active_departments = Department.objects.filter(is_active=True).order_by("name")
    windows = list(
        centre.windows.filter(is_active=True)
        .order_by("number")
        .prefetch_related(Prefetch("departments", queryset=active_departments))
    )
    return centre, departments, windows
