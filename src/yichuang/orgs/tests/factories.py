"""Test factories for centres, departments, windows and staff.

Each factory takes keyword overrides and fills the rest with valid values.
"""

from __future__ import annotations

import itertools

from yichuang.identity.models import User
from yichuang.identity.validation import uscc_check_character
from yichuang.orgs.models import (
    CENTRE_LEVEL_RANK,
    Centre,
    CentreLevel,
    Department,
    Role,
    Staff,
    StaffRole,
    Window,
    WindowKind,
)
from yichuang.orgs.services import user_admin_access_sync

_seq = itertools.count(1)


def valid_uscc(n: int, *, prefix: str = "11150422") -> str:
    """A USCC with a correct GB 32100 check character, distinct for each `n`."""
    body = f"{prefix}{n:09d}"
    return body + uscc_check_character(body)


def _level_below(parent: Centre | None) -> str:
    """County for a root; otherwise the level just below the parent's."""
    if parent is None:
        return CentreLevel.COUNTY
    rank = CENTRE_LEVEL_RANK[CentreLevel(parent.level)] + 1
    return next(level for level, r in CENTRE_LEVEL_RANK.items() if r == min(rank, 4))


def centre(*, parent: Centre | None = None, **overrides) -> Centre:
    """A centre (county by default; one level below `parent` when given), path maintained.

    Written directly rather than through `centre_create`, so tests may build shapes the
    service refuses (to test that it refuses them elsewhere).
    """
    n = next(_seq)
    values = {
        "name": f"测试政务服务中心{n}",
        "code": f"centre-{n}",
        "level": _level_below(parent),
        "parent": parent,
    }
    values.update(overrides)
    obj = Centre.objects.create(path="", **values)
    obj.path = f"{parent.path if parent else '/'}{obj.pk}/"
    obj.save(update_fields=["path"])
    return obj


def department(*, centre: Centre | None = None, **overrides) -> Department:
    n = next(_seq)
    values = {
        "centre": centre or globals()["centre"](),
        "name": f"测试局{n}",
        "short_name": f"测试{n}",
        "uscc": valid_uscc(n),
    }
    values.update(overrides)
    return Department.objects.create(**values)


def window(*, centre: Centre | None = None, **overrides) -> Window:
    n = next(_seq)
    values = {
        "centre": centre or globals()["centre"](),
        "number": n,
        "name": f"综合受理{n}",
        "kind": WindowKind.COMPREHENSIVE,
    }
    values.update(overrides)
    return Window.objects.create(**values)


def staff(
    *,
    roles: tuple[str, ...] = (Role.WINDOW_OFFICER,),
    centre: Centre | None = None,
    department: Department | None = None,
    password: str = "correct-horse-battery",
    **overrides,
) -> Staff:
    n = next(_seq)
    centre = centre or (department.centre if department else globals()["centre"]())
    user = User.objects.create_user(username=f"staff{n}", password=password)
    values = {"centre": centre, "department": department, "name": f"工作人员{n}"}
    values.update(overrides)
    member = Staff.objects.create(user=user, **values)
    StaffRole.objects.bulk_create([StaffRole(staff=member, role=r) for r in roles])
    # A centre admin can log into the admin with the group's permissions, as in production.
    user_admin_access_sync(user=user, roles=frozenset(roles), active=member.is_active)
    return member
