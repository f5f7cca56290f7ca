"""Load the demo centre (`demo_seed`), idempotently, through the domain services.

Every row has a natural key (centre code, department USCC, window number, username,
identity number, implementation code, bundle code). A second run finds each row by its
key and changes it only where it differs from `demo.data` / `demo.items`, so running the
seed twice leaves the same data. Service items go through the catalogue services and
their publish rules: an item that breaks a rule stops the whole seed (one transaction).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yichuang.catalog import services as catalog_services
from yichuang.catalog.models import (
    Bundle,
    BundleItem,
    HandlingKind,
    Level,
    LimitUnit,
    ServiceItem,
    ServiceItemVersion,
    VersionStatus,
    depth_mask,
)
from yichuang.common.errors import DomainError
from yichuang.demo import data
from yichuang.demo.items import ITEMS, ItemSpec
from yichuang.hall.models import Queue
from yichuang.hall.services import queues as queue_services
from yichuang.identity import services as identity_services
from yichuang.identity.models import Applicant, User
from yichuang.orgs import services as orgs_services
from yichuang.orgs.models import Centre, Department, Staff, Window


class DemoError(DomainError):
    """The demo data could not be loaded (HTTP 422 if it ever reached the API)."""


@dataclass
class SeedReport:
    """What a seed run did: per kind of row, how many were created / updated / unchanged."""

    counts: dict[str, Counter] = field(default_factory=dict)

    def add(self, kind: str, outcome: str) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += 1

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] for c in self.counts.values())


def demo_seed(*, reset_passwords: bool = False) -> SeedReport:
    """Create or refresh the demo centre in one transaction.

    Existing demo logins keep their passwords unless `reset_passwords` is true, so that a
    re-run changes nothing; new logins get `data.DEMO_PASSWORD`.
    """
    report = SeedReport()
    with transaction.atomic():
        centres = _centres_apply(report=report)
        county = centres[data.COUNTY]
        departments = _departments_apply(centre=county, report=report)
        windows = _windows_apply(centres=centres, departments=departments, report=report)
        admin = _superuser_apply(report=report, reset_password=reset_passwords)
        _staff_apply(
            centres=centres,
            departments=departments,
            report=report,
            reset_passwords=reset_passwords,
        )
        _applicants_apply(report=report, reset_passwords=reset_passwords)
        items = _items_apply(
            centre=county,
            departments=departments,
            windows=windows[data.COUNTY],
            actor=admin,
            report=report,
        )
        _bundles_apply(centre=county, items=items, report=report)
        _queues_apply(centre=county, windows=windows[data.COUNTY], report=report)
    return report


# --- organisation ------------------------------------------------------------------------


def _differs(obj: Any, values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if getattr(obj, k) != v}


def _centres_apply(*, report: SeedReport) -> dict[str, Centre]:
    centres: dict[str, Centre] = {}
    for spec in data.CENTRES:
        parent = centres[spec.parent] if spec.parent else None
        values = {
            "name": spec.name,
            "level": str(spec.level),
            "region_code": spec.region_code,
            "address": spec.address,
            "phone": spec.phone,
            "complaint_phone": spec.complaint_phone,
            "opening_hours": spec.opening_hours,
            "is_active": True,
        }
        centre = Centre.objects.filter(code=spec.code).first()
        if centre is None:
            centre = orgs_services.centre_create(code=spec.code, parent=parent, **values)
            report.add("centre", "created")
        else:
            outcome = "unchanged"
            if centre.parent_id != (parent.pk if parent else None):
                centre = orgs_services.centre_move(centre=centre, parent=parent)
                outcome = "updated"
            changes = _differs(centre, values)
            if changes:
                centre = orgs_services.centre_update(centre=centre, changes=changes)
                outcome = "updated"
            report.add("centre", outcome)
        centres[spec.code] = centre
    return centres


def _departments_apply(*, centre: Centre, report: SeedReport) -> dict[str, Department]:
    departments: dict[str, Department] = {}
    for spec in data.DEPARTMENTS:
        values = {
            "name": spec.name,
            "short_name": spec.short_name,
            "uscc": spec.uscc,
            "phone": spec.phone,
            "is_active": True,
        }
        department = Department.objects.filter(centre=centre, uscc=spec.uscc).first()
        if department is None:
            department = orgs_services.department_create(centre=centre, **values)
            report.add("department", "created")
        elif _differs(department, values):
            department = orgs_services.department_update(department=department, **values)
            report.add("department", "updated")
        else:
            report.add("department", "unchanged")
        departments[spec.key] = department
    return departments


def _windows_apply(
    *, centres: dict[str, Centre], departments: dict[str, Department], report: SeedReport
) -> dict[str, dict[int, Window]]:
    windows: dict[str, dict[int, Window]] = {code: {} for code in centres}
    for spec in data.WINDOWS:
        centre = centres[spec.centre]
        wanted = [departments[key] for key in spec.departments]
        values = {"name": spec.name, "kind": str(spec.kind), "is_active": True}
        window = Window.objects.filter(centre=centre, number=spec.number).first()
        if window is None:
            window = orgs_services.window_create(
                centre=centre, number=spec.number, departments=wanted, **values
            )
            report.add("window", "created")
        elif _differs(window, values) or {d.pk for d in window.departments.all()} != {
            d.pk for d in wanted
        }:
            window = orgs_services.window_update(
                window=window, number=spec.number, departments=wanted, **values
            )
            report.add("window", "updated")
        else:
            report.add("window", "unchanged")
        windows[spec.centre][spec.number] = window
    return windows


# --- logins ------------------------------------------------------------------------------


def _password_apply(*, user: User, reset: bool) -> bool:
    """Set the demo password on `user` when asked to; True if it changed."""
    if not reset or user.check_password(data.DEMO_PASSWORD):
        return False
    user.set_password(data.DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return True


def _superuser_apply(*, report: SeedReport, reset_password: bool) -> User:
    user = User.objects.filter(username=data.SUPERUSER_USERNAME).first()
    if user is None:
        user = User.objects.create_superuser(
            username=data.SUPERUSER_USERNAME,
            password=data.DEMO_PASSWORD,
            display_name=data.SUPERUSER_NAME,
        )
        report.add("login", "created")
        return user
    values = {"is_superuser": True, "is_staff": True, "is_active": True}
    changes = _differs(user, values)
    if changes:
        for name, value in changes.items():
            setattr(user, name, value)
        user.save(update_fields=list(changes))
    changed = _password_apply(user=user, reset=reset_password) or bool(changes)
    report.add("login", "updated" if changed else "unchanged")
    return user


def _staff_apply(
    *,
    centres: dict[str, Centre],
    departments: dict[str, Department],
    report: SeedReport,
    reset_passwords: bool,
) -> None:
    for spec in data.DEMO_ACCOUNTS:
        centre = centres[spec.centre]
        department = departments[spec.department] if spec.department else None
        values = {
            "name": spec.name,
            "employee_number": spec.employee_number,
            "phone": spec.phone,
            "is_party_member": spec.is_party_member,
        }
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            orgs_services.staff_create(
                username=spec.username,
                password=data.DEMO_PASSWORD,
                centre=centre,
                department=department,
                roles=spec.roles,
                **values,
            )
            report.add("login", "created")
            continue
        staff = Staff.objects.filter(user=user).prefetch_related("roles").first()
        if staff is None:
            raise DemoError(
                code="demo_username_taken",
                message=_("登录名“%(username)s”已被非演示账号占用，无法创建演示工作人员")
                % {"username": spec.username},
            )
        current = {
            **{k: getattr(staff, k) for k in values},
            "centre": staff.centre_id,
            "department": staff.department_id,
            "roles": staff.role_set(),
            "is_active": staff.is_active,
        }
        wanted = {
            **values,
            "centre": centre.pk,
            "department": department.pk if department else None,
            "roles": {str(r) for r in spec.roles},
            "is_active": True,
        }
        changed = current != wanted
        if changed:
            orgs_services.staff_update(
                staff=staff,
                centre=centre,
                department=department,
                roles=spec.roles,
                is_active=True,
                **values,
            )
        changed = _password_apply(user=user, reset=reset_passwords) or changed
        report.add("login", "updated" if changed else "unchanged")


def _applicants_apply(*, report: SeedReport, reset_passwords: bool) -> None:
    for spec in data.DEMO_APPLICANTS:
        user = User.objects.filter(username=spec.username).first()
        login_created = user is None
        if user is None:
            user = User.objects.create_user(
                username=spec.username,
                password=data.DEMO_PASSWORD,
                display_name=spec.name,
                phone=spec.phone,
            )
        elif _password_apply(user=user, reset=reset_passwords):
            login_created = True  # reported as a change below
        report.add("login", "created" if login_created else "unchanged")
        details = {
            "name": spec.name,
            "phone": spec.phone,
            "legal_representative": spec.legal_representative,
            "legal_representative_id": spec.legal_representative_id,
        }
        applicant = Applicant.objects.filter(kind=spec.kind, id_number=spec.id_number).first()
        if applicant is None:
            identity_services.applicant_create(
                kind=spec.kind, id_number=spec.id_number, user=user, **details
            )
            report.add("applicant", "created")
            continue
        outcome = "unchanged"
        if _differs(applicant, details):
            applicant = identity_services.applicant_update(applicant=applicant, **details)
            outcome = "updated"
        if applicant.user_id != user.pk:
            applicant.user = user
            applicant.save(update_fields=["user", "updated_at"])
            outcome = "updated"
        report.add("applicant", outcome)


# --- the catalogue -----------------------------------------------------------------------


def implementation_code(*, department: Department, spec: ItemSpec) -> str:
    """实施编码: the department's USCC + the level digit + the base code (31 characters)."""
    return f"{department.uscc}{data.LEVEL_DIGIT}{spec.base_code}"


def _item_windows(spec: ItemSpec) -> tuple[int, ...]:
    if spec.windows is not None:
        return spec.windows
    own = tuple(
        w.number
        for w in data.WINDOWS
        if w.centre == data.COUNTY and spec.department in w.departments
    )
    return (*data.COMPREHENSIVE_WINDOWS, *own, data.WINDOW_RESULT)


def _place(*, centre: Centre, numbers: Iterable[int]) -> str:
    names = {w.number: w.name for w in data.WINDOWS if w.centre == data.COUNTY}
    numbers = list(numbers)
    parts = []
    comprehensive = [n for n in numbers if n in data.COMPREHENSIVE_WINDOWS]
    if comprehensive:
        parts.append(f"综合受理{comprehensive[0]}—{comprehensive[-1]}号窗口")
    parts += [
        f"{n}号窗口（{names[n]}）"
        for n in numbers
        if n not in data.COMPREHENSIVE_WINDOWS and n != data.WINDOW_RESULT
    ]
    return f"{centre.name}（{centre.address}）" + "、".join(parts)


def _process_description(spec: ItemSpec, departments: dict[str, Department]) -> str:
    steps = ["申请（窗口或网上提交材料）", "综合受理窗口受理"]
    for stage in sorted({t.stage for t in spec.tasks}):
        tasks = [t for t in spec.tasks if t.stage == stage]
        if len(tasks) == 1:
            task = tasks[0]
            steps.append(f"{task.name}（{departments[task.department]}）")
        else:
            joint = "、".join(f"{t.name}（{departments[t.department]}）" for t in tasks)
            steps.append(f"并联审查：{joint}")
    steps.append("办结送达（出件窗口领取、邮寄或电子证照）")
    return " → ".join(steps)


def version_fields(
    *, spec: ItemSpec, centre: Centre, departments: dict[str, Department]
) -> dict[str, Any]:
    """The scalar fields of the item's version, as the catalogue stores them."""
    department = departments[spec.department]
    return {
        "name": spec.name,
        "item_type": str(spec.item_type),
        "keywords": spec.keywords,
        "level": str(Level.COUNTY),
        "source_of_authority": "法定本级行使",
        "legal_basis": spec.legal_basis,
        "for_natural_persons": spec.for_natural_persons,
        "for_legal_persons": spec.for_legal_persons,
        "conditions": spec.conditions
        or "申请人符合法律法规规定的条件，申请材料齐全、符合法定形式。",
        "process_description": _process_description(spec, departments),
        "handled_at_window": True,
        "handled_online": spec.fully_online or 4 in spec.depth,
        "handled_by_post": spec.handled_by_post,
        "place": _place(centre=centre, numbers=_item_windows(spec)),
        "hours": centre.opening_hours,
        "consultation_phone": department.phone,
        "complaint_phone": f"{centre.complaint_phone}、12345",
        "handling_kind": str(HandlingKind.IMMEDIATE if spec.immediate else HandlingKind.PROMISED),
        "statutory_limit": spec.statutory_limit,
        "statutory_limit_unit": str(LimitUnit.WORKING_DAY),
        "statutory_limit_note": spec.statutory_limit_note,
        "promised_limit": spec.promised_limit,
        "promised_limit_unit": str(LimitUnit.WORKING_DAY),
        "promised_limit_note": spec.promised_limit_note,
        "special_procedures": spec.special_procedures,
        "trips": spec.trips,
        "fee_charged": bool(spec.fee_standard),
        "fee_basis": spec.fee_basis,
        "fee_standard": spec.fee_standard,
        "fee_waiver": spec.fee_waiver,
        "online_depth": depth_mask(spec.depth),
        "fully_online": spec.fully_online,
        "booking_supported": spec.booking_supported,
        "online_payment": spec.online_payment,
        "courier_delivery": spec.courier_delivery,
        "kiosk_handling": spec.kiosk_handling,
        "cross_region_scope": str(spec.cross_region_scope),
        "result_name": spec.result_name,
        "result_type": str(spec.result_type),
    }


_MATERIAL_FIELDS = (
    "name",
    "required",
    "pendable",
    "source",
    "issuing_body",
    "form",
    "copies",
    "note",
)
_TASK_FIELDS = ("stage", "stage_name", "department_id", "limit_workdays")


def _material_rows(spec: ItemSpec) -> list[dict[str, Any]]:
    return [
        {
            "position": position,
            "name": m.name,
            "required": m.required,
            "pendable": m.pendable,
            "source": str(m.source),
            "issuing_body": m.issuing_body,
            "form": str(m.form),
            "copies": m.copies,
            "note": m.note,
        }
        for position, m in enumerate(spec.materials, start=1)
    ]


def _task_rows(spec: ItemSpec, departments: dict[str, Department]) -> list[dict[str, Any]]:
    return [
        {
            "stage": t.stage,
            "stage_name": t.name,
            "department_id": departments[t.department].pk,
            "limit_workdays": t.limit,
        }
        for t in spec.tasks
    ]


def _content(
    *, fields: dict[str, Any], windows: Iterable[int], materials: list[dict], tasks: list[dict]
) -> tuple:
    return (
        tuple(sorted(fields.items())),
        tuple(sorted(windows)),
        tuple(tuple(m[f] for f in ("position", *_MATERIAL_FIELDS)) for m in materials),
        tuple(sorted(tuple(t[f] for f in _TASK_FIELDS) for t in tasks)),
    )


def _stored_content(version: ServiceItemVersion, field_names: Iterable[str]) -> tuple:
    return _content(
        fields={name: getattr(version, name) for name in field_names},
        windows=[w.number for w in version.windows.all()],
        materials=[
            {f: getattr(m, f) for f in ("position", *_MATERIAL_FIELDS)}
            for m in version.materials.order_by("position", "id")
        ],
        tasks=[{f: getattr(t, f) for f in _TASK_FIELDS} for t in version.stage_tasks.all()],
    )


def _items_apply(
    *,
    centre: Centre,
    departments: dict[str, Department],
    windows: dict[int, Window],
    actor: User,
    report: SeedReport,
) -> dict[str, ServiceItem]:
    codes = {implementation_code(department=departments[s.department], spec=s): s for s in ITEMS}
    existing = {
        i.implementation_code: i
        for i in ServiceItem.objects.filter(implementation_code__in=list(codes))
    }
    items: dict[str, ServiceItem] = {}
    for code, spec in codes.items():
        item, outcome = _item_apply(
            spec=spec,
            code=code,
            item=existing.get(code),
            centre=centre,
            departments=departments,
            windows=windows,
            actor=actor,
        )
        items[spec.base_code] = item
        report.add("item", outcome)
    return items


def _item_apply(
    *,
    spec: ItemSpec,
    code: str,
    item: ServiceItem | None,
    centre: Centre,
    departments: dict[str, Department],
    windows: dict[int, Window],
    actor: User,
) -> tuple[ServiceItem, str]:
    """Bring one item to the spec: created, updated (a new published version) or unchanged."""
    fields = version_fields(spec=spec, centre=centre, departments=departments)
    numbers = _item_windows(spec)
    materials = _material_rows(spec)
    tasks = _task_rows(spec, departments)
    wanted = _content(fields=fields, windows=numbers, materials=materials, tasks=tasks)
    fields_with_windows = {**fields, "windows": [windows[n] for n in numbers]}
    if item is None:
        draft = catalog_services.item_create(
            centre=centre,
            department=departments[spec.department],
            implementation_code=code,
            base_code=spec.base_code,
            actor=actor,
            **fields_with_windows,
        )
        item = draft.item
        outcome = "created"
    else:
        published = item.versions.filter(status=VersionStatus.PUBLISHED).first()
        if published is not None and _stored_content(published, fields) == wanted:
            return item, "unchanged"
        draft = catalog_services.item_draft_create(item=item, actor=actor)
        draft = catalog_services.item_version_update(
            version=draft, actor=actor, **fields_with_windows
        )
        outcome = "updated"
    catalog_services.item_version_children_replace(
        version=draft, materials=materials, tasks=tasks, actor=actor
    )
    try:
        catalog_services.item_version_publish(version=draft, actor=actor)
    except DomainError as error:
        raise DemoError(
            code="demo_item_rejected",
            message=_("演示事项（实施编码%(code)s）无法发布：%(reason)s")
            % {"code": code, "reason": error.message},
            details=error.details,
        ) from error
    return item, outcome


def _bundles_apply(*, centre: Centre, items: dict[str, ServiceItem], report: SeedReport) -> None:
    for spec in data.BUNDLES:
        values = {"name": spec.name, "description": spec.description, "is_published": True}
        bundle = Bundle.objects.filter(centre=centre, code=spec.code).first()
        wanted = [(position, items[base].pk) for position, base in enumerate(spec.items, 1)]
        if bundle is None:
            bundle = Bundle.objects.create(centre=centre, code=spec.code, **values)
            outcome = "created"
        else:
            outcome = "unchanged"
            changes = _differs(bundle, values)
            if changes:
                for name, value in changes.items():
                    setattr(bundle, name, value)
                bundle.save(update_fields=[*changes, "updated_at"])
                outcome = "updated"
        current = list(bundle.bundle_items.order_by("position").values_list("position", "item_id"))
        if current != wanted:
            bundle.bundle_items.all().delete()
            BundleItem.objects.bulk_create(
                BundleItem(bundle=bundle, item_id=item_id, position=position)
                for position, item_id in wanted
            )
            outcome = "updated" if outcome == "unchanged" else outcome
        report.add("bundle", outcome)


# --- the hall's queues -------------------------------------------------------------------


def _queues_apply(*, centre: Centre, windows: dict[int, Window], report: SeedReport) -> None:
    for order, spec in enumerate(data.QUEUES, start=1):
        wanted = [windows[n] for n in spec.windows]
        values = {
            "name": spec.name,
            "description": spec.description,
            "service_minutes": spec.service_minutes,
            "slot_capacity": spec.slot_capacity,
            "sort_order": order,
            "is_active": True,
        }
        queue = Queue.objects.filter(centre=centre, code=spec.code).first()
        if queue is None:
            queue_services.queue_create(centre=centre, code=spec.code, windows=wanted, **values)
            report.add("queue", "created")
        elif _differs(queue, values) or {w.pk for w in queue.windows.all()} != {
            w.pk for w in wanted
        }:
            queue_services.queue_update(queue=queue, code=spec.code, windows=wanted, **values)
            report.add("queue", "updated")
        else:
            report.add("queue", "unchanged")
