"""Actions on centres, departments, windows and staff.

Each function validates first (the `check_*` helpers, also used by the admin forms so a
broken rule shows as a form error), then writes in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from yichuang.identity.errors import IdentityValidationError
from yichuang.identity.models import User
from yichuang.identity.validation import validate_uscc
from yichuang.orgs.errors import OrgsConflict, OrgsError
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
from yichuang.orgs.selectors import forget_staff_cache

# --- the centre admins' group -----------------------------------------------------------

CENTRE_ADMIN_GROUP = "中心管理员"
# Apps whose every model a centre admin configures (rows limited to their subtree by the admin).
CENTRE_ADMIN_APPS = ("orgs", "catalog", "workdays", "hall")


def centre_admin_group_sync() -> Group:
    """Create or refresh the "中心管理员" group: every permission of CENTRE_ADMIN_APPS.

    Called after each `migrate` (orgs.apps), so models added later are covered too.
    """
    group, _created = Group.objects.get_or_create(name=CENTRE_ADMIN_GROUP)
    permissions = Permission.objects.filter(content_type__app_label__in=CENTRE_ADMIN_APPS)
    group.permissions.set(permissions)
    return group


def user_admin_access_sync(*, user: User, roles: frozenset[str], active: bool = True) -> None:
    """An active centre admin logs into /admin/ (is_staff) with the group's permissions."""
    is_admin = active and Role.CENTRE_ADMIN in roles
    group = Group.objects.filter(name=CENTRE_ADMIN_GROUP).first()
    if is_admin and group is None:
        group = centre_admin_group_sync()
    if group is not None:
        if is_admin:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    if not user.is_superuser and user.is_staff != is_admin:
        user.is_staff = is_admin
        user.save(update_fields=["is_staff"])


# --- centres ----------------------------------------------------------------------------


def check_centre_placement(*, level: str, parent: Centre | None, centre: Centre | None = None):
    """Raise `OrgsError` unless a centre of `level` may sit under `parent`.

    A child is strictly below its parent (league/city → county → township → village);
    for an existing `centre` the new parent may not be inside its own subtree, and its
    current children must stay strictly below the (possibly new) level.
    """
    if level not in CENTRE_LEVEL_RANK:
        raise OrgsError(code="unknown_level", message=_("未知的中心层级"), field="level")
    rank = CENTRE_LEVEL_RANK[CentreLevel(level)]
    if parent is not None:
        if centre is not None and centre.pk and parent.path.startswith(centre.path):
            raise OrgsError(
                code="parent_in_own_subtree",
                message=_("上级中心不能是本中心或其下级中心"),
                field="parent",
            )
        if rank <= CENTRE_LEVEL_RANK[CentreLevel(parent.level)]:
            raise OrgsError(
                code="level_not_below_parent",
                message=_("中心层级必须低于上级中心（上级为%(parent)s）")
                % {"parent": CentreLevel(parent.level).label},
                field="level",
            )
    if centre is not None and centre.pk:
        child_levels = set(centre.children.values_list("level", flat=True))
        if any(CENTRE_LEVEL_RANK[CentreLevel(c)] <= rank for c in child_levels):
            raise OrgsError(
                code="level_not_above_children",
                message=_("中心层级必须高于其下级中心"),
                field="level",
            )


def check_centre_code(*, code: str, centre: Centre | None = None) -> None:
    taken = Centre.objects.filter(code=code)
    if centre is not None and centre.pk:
        taken = taken.exclude(pk=centre.pk)
    if taken.exists():
        raise OrgsConflict(code="centre_code_taken", message=_("中心代码已被使用"), field="code")


_CENTRE_FIELDS = (
    "name",
    "code",
    "level",
    "region_code",
    "address",
    "phone",
    "complaint_phone",
    "opening_hours",
    "is_active",
)


def centre_create(
    *,
    name: str,
    code: str,
    level: str,
    parent: Centre | None = None,
    region_code: str = "",
    address: str = "",
    phone: str = "",
    complaint_phone: str = "",
    opening_hours: str = "",
    is_active: bool = True,
) -> Centre:
    """Create a centre under `parent` (or a root) and write its materialised path."""
    check_centre_placement(level=level, parent=parent)
    check_centre_code(code=code)
    with transaction.atomic():
        if parent is not None:
            parent = Centre.objects.select_for_update().get(pk=parent.pk)
        centre = Centre.objects.create(
            name=name,
            code=code,
            level=level,
            parent=parent,
            path="",
            region_code=region_code,
            address=address,
            phone=phone,
            complaint_phone=complaint_phone,
            opening_hours=opening_hours,
            is_active=is_active,
        )
        centre.path = f"{parent.path if parent else '/'}{centre.pk}/"
        centre.save(update_fields=["path"])
    return centre


def centre_update(*, centre: Centre, changes: Mapping[str, Any]) -> Centre:
    """Change a centre's own fields (not its parent: see `centre_move`)."""
    unknown = set(changes) - set(_CENTRE_FIELDS)
    if unknown:
        raise ValueError(f"centre_update cannot change {sorted(unknown)}")
    current = Centre.objects.get(pk=centre.pk)
    if "level" in changes:
        check_centre_placement(level=changes["level"], parent=current.parent, centre=current)
    if "code" in changes:
        check_centre_code(code=changes["code"], centre=current)
    with transaction.atomic():
        for field, value in changes.items():
            setattr(current, field, value)
        current.save(update_fields=[*changes, "updated_at"])
    return current


def centre_move(*, centre: Centre, parent: Centre | None) -> Centre:
    """Put `centre` (with its subtree) under `parent`, rewriting the subtree's paths."""
    current = Centre.objects.get(pk=centre.pk)
    if parent is not None:
        parent = Centre.objects.get(pk=parent.pk)
    check_centre_placement(level=current.level, parent=parent, centre=current)
    old_path = current.path
    new_path = f"{parent.path if parent else '/'}{current.pk}/"
    with transaction.atomic():
        current.parent = parent
        current.save(update_fields=["parent", "updated_at"])
        if new_path != old_path:
            Centre.objects.filter(path__startswith=old_path).update(
                path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
            )
    current.refresh_from_db()
    return current


# --- departments and windows ------------------------------------------------------------


def check_department(
    *, centre: Centre, name: str, uscc: str, department: Department | None = None
) -> str:
    """Validate a department's USCC and uniqueness; return the normalised USCC."""
    try:
        normalized = validate_uscc(uscc)
    except IdentityValidationError as error:
        error.field = "uscc"
        raise
    others = Department.objects.filter(centre=centre)
    if department is not None and department.pk:
        others = others.exclude(pk=department.pk)
    if others.filter(name=name).exists():
        raise OrgsConflict(
            code="department_name_taken", message=_("本中心已有同名部门"), field="name"
        )
    if others.filter(uscc=normalized).exists():
        raise OrgsConflict(
            code="department_uscc_taken",
            message=_("本中心已有使用该统一社会信用代码的部门"),
            field="uscc",
        )
    return normalized


def department_create(
    *,
    centre: Centre,
    name: str,
    uscc: str,
    short_name: str = "",
    phone: str = "",
    is_active: bool = True,
) -> Department:
    """Create a department of `centre`; the USCC is validated (GB 32100) and normalised."""
    normalized = check_department(centre=centre, name=name, uscc=uscc)
    try:
        with transaction.atomic():
            return Department.objects.create(
                centre=centre,
                name=name,
                short_name=short_name,
                uscc=normalized,
                phone=phone,
                is_active=is_active,
            )
    except IntegrityError:
        raise OrgsConflict(code="department_taken", message=_("部门名称或代码已被使用")) from None


def department_update(
    *,
    department: Department,
    name: str,
    uscc: str,
    short_name: str = "",
    phone: str = "",
    is_active: bool = True,
) -> Department:
    """Change a department (it stays in its centre)."""
    normalized = check_department(
        centre=department.centre, name=name, uscc=uscc, department=department
    )
    with transaction.atomic():
        department.name = name
        department.uscc = normalized
        department.short_name = short_name
        department.phone = phone
        department.is_active = is_active
        department.save(
            update_fields=["name", "uscc", "short_name", "phone", "is_active", "updated_at"]
        )
    return department


def check_window(
    *,
    centre: Centre,
    number: int,
    kind: str,
    departments: Iterable[Department],
    window: Window | None = None,
) -> None:
    """A known kind, a number free in the centre, departments stationed in the centre."""
    if kind not in WindowKind.values:
        raise OrgsError(code="unknown_window_kind", message=_("未知的窗口类型"), field="kind")
    others = Window.objects.filter(centre=centre, number=number)
    if window is not None and window.pk:
        others = others.exclude(pk=window.pk)
    if others.exists():
        raise OrgsConflict(
            code="window_number_taken", message=_("本中心已有该窗口号"), field="number"
        )
    if any(d.centre_id != centre.pk for d in departments):
        raise OrgsError(
            code="department_of_other_centre",
            message=_("进驻部门必须属于本中心"),
            field="departments",
        )


def window_create(
    *,
    centre: Centre,
    number: int,
    name: str,
    kind: str = WindowKind.COMPREHENSIVE,
    departments: Iterable[Department] = (),
    is_active: bool = True,
) -> Window:
    """Create a window of `centre`; its departments must be stationed in the same centre."""
    departments = list(departments)
    check_window(centre=centre, number=number, kind=kind, departments=departments)
    with transaction.atomic():
        window = Window.objects.create(
            centre=centre, number=number, name=name, kind=kind, is_active=is_active
        )
        window.departments.set(departments)
    return window


def window_update(
    *,
    window: Window,
    number: int,
    name: str,
    kind: str,
    departments: Iterable[Department],
    is_active: bool = True,
) -> Window:
    """Change a window (it stays in its centre)."""
    departments = list(departments)
    check_window(
        centre=window.centre, number=number, kind=kind, departments=departments, window=window
    )
    with transaction.atomic():
        window.number = number
        window.name = name
        window.kind = kind
        window.is_active = is_active
        window.save(update_fields=["number", "name", "kind", "is_active", "updated_at"])
        window.departments.set(departments)
    return window


# --- staff ------------------------------------------------------------------------------


def check_staff_assignment(
    *, centre: Centre, department: Department | None, roles: Iterable[str]
) -> frozenset[str]:
    """Validate roles against centre and department; return the roles as a set.

    At least one role; a reviewer needs a department; a department belongs to the centre.
    """
    role_set = frozenset(str(r) for r in roles)
    unknown = role_set - set(Role.values)
    if unknown:
        raise OrgsError(code="unknown_role", message=_("未知的角色"), field="roles")
    if not role_set:
        raise OrgsError(code="no_role", message=_("请至少选择一个角色"), field="roles")
    if Role.REVIEWER in role_set and department is None:
        raise OrgsError(
            code="reviewer_needs_department",
            message=_("部门审批人员必须指定所属部门"),
            field="department",
        )
    if department is not None and department.centre_id != centre.pk:
        raise OrgsError(
            code="department_of_other_centre",
            message=_("所属部门必须属于所属中心"),
            field="department",
        )
    return role_set


def check_new_login(*, username: str, password: str, name: str = "") -> None:
    """The username is free and the password passes Django's password validators."""
    if not username:
        raise OrgsError(code="username_required", message=_("请输入登录名"), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise OrgsConflict(code="username_taken", message=_("登录名已被使用"), field="username")
    try:
        validate_password(password, user=User(username=username, display_name=name))
    except DjangoValidationError as error:
        raise OrgsError(
            code="weak_password", message="；".join(error.messages), field="password"
        ) from None


def staff_create(
    *,
    username: str,
    password: str,
    name: str,
    centre: Centre,
    roles: Iterable[str],
    department: Department | None = None,
    employee_number: str = "",
    phone: str = "",
    is_party_member: bool = False,
) -> Staff:
    """Create a login and its staff record with roles.

    The password goes through Django's validators; a reviewer must have a department; the
    department must belong to the centre. A centre admin gets admin access (see
    `user_admin_access_sync`).
    """
    role_set = check_staff_assignment(centre=centre, department=department, roles=roles)
    check_new_login(username=username, password=password, name=name)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=username, password=password, display_name=name, phone=phone
            )
            member = Staff.objects.create(
                user=user,
                centre=centre,
                department=department,
                name=name,
                employee_number=employee_number,
                phone=phone,
                is_party_member=is_party_member,
            )
            StaffRole.objects.bulk_create(
                [StaffRole(staff=member, role=r) for r in sorted(role_set)]
            )
            user_admin_access_sync(user=user, roles=role_set)
    except IntegrityError:
        raise OrgsConflict(
            code="username_taken", message=_("登录名已被使用"), field="username"
        ) from None
    return member


def staff_update(
    *,
    staff: Staff,
    name: str,
    centre: Centre,
    department: Department | None,
    roles: Iterable[str],
    employee_number: str = "",
    phone: str = "",
    is_party_member: bool = False,
    is_active: bool = True,
) -> Staff:
    """Change a staff member's record and roles together (the admin's change form)."""
    role_set = check_staff_assignment(centre=centre, department=department, roles=roles)
    with transaction.atomic():
        staff.name = name
        staff.centre = centre
        staff.department = department
        staff.employee_number = employee_number
        staff.phone = phone
        staff.is_party_member = is_party_member
        staff.is_active = is_active
        staff.save(
            update_fields=[
                "name",
                "centre",
                "department",
                "employee_number",
                "phone",
                "is_party_member",
                "is_active",
                "updated_at",
            ]
        )
        _replace_roles(staff=staff, role_set=role_set)
        user_admin_access_sync(user=staff.user, roles=role_set, active=is_active)
    return staff


def staff_set_roles(*, staff: Staff, roles: Iterable[str]) -> Staff:
    """Replace a staff member's roles (same rules as `staff_create`)."""
    role_set = check_staff_assignment(centre=staff.centre, department=staff.department, roles=roles)
    with transaction.atomic():
        _replace_roles(staff=staff, role_set=role_set)
    return staff


def _replace_roles(*, staff: Staff, role_set: frozenset[str]) -> None:
    StaffRole.objects.filter(staff=staff).exclude(role__in=role_set).delete()
    existing = set(StaffRole.objects.filter(staff=staff).values_list("role", flat=True))
    StaffRole.objects.bulk_create(
        [StaffRole(staff=staff, role=r) for r in sorted(role_set - existing)]
    )
    user_admin_access_sync(user=staff.user, roles=role_set, active=staff.is_active)
    if hasattr(staff, "_prefetched_objects_cache"):
        staff._prefetched_objects_cache.pop("roles", None)
    forget_staff_cache(staff.user)
