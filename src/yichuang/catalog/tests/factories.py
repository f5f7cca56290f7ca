"""Test factories for the catalogue. `published_item` gives a ready, published version."""

from __future__ import annotations

import itertools

from django.utils import timezone

from yichuang.catalog.models import (
    HandlingKind,
    ItemType,
    Level,
    Material,
    ProcessStageTask,
    ServiceItem,
    ServiceItemVersion,
    VersionStatus,
)
from yichuang.orgs.models import Department
from yichuang.orgs.tests import factories as orgs_factories

_seq = itertools.count(1)


def item(*, department: Department | None = None, **overrides) -> ServiceItem:
    n = next(_seq)
    department = department or orgs_factories.department()
    base_code = overrides.pop("base_code", f"{n:012d}")
    values = {
        "centre": department.centre,
        "department": department,
        "base_code": base_code,
        "implementation_code": f"{department.uscc}4{base_code}",
    }
    values.update(overrides)
    return ServiceItem.objects.create(**values)


def version(
    *, item: ServiceItem | None = None, status: str = VersionStatus.DRAFT, **overrides
) -> ServiceItemVersion:
    item = item or globals()["item"]()
    number = (item.versions.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    values = {
        "item": item,
        "version": number,
        "status": status,
        "name": f"测试事项{item.pk}",
        "item_type": ItemType.LICENCE,
        "level": Level.COUNTY,
        "handling_kind": HandlingKind.PROMISED,
        "statutory_limit": 20,
        "promised_limit": 5,
        "trips": 1,
        "published_at": timezone.now() if status == VersionStatus.PUBLISHED else None,
    }
    values.update(overrides)
    return ServiceItemVersion.objects.create(**values)


def published_item(
    *, department: Department | None = None, materials: int = 2, **overrides
) -> ServiceItemVersion:
    """A published version with `materials` materials and one review stage."""
    v = version(item=item(department=department), status=VersionStatus.PUBLISHED, **overrides)
    for i in range(1, materials + 1):
        Material.objects.create(version=v, position=i, name=f"申请材料{i}", required=True)
    ProcessStageTask.objects.create(
        version=v, stage=1, stage_name="审查", department=v.item.department, limit_workdays=3
    )
    return v


def publishable_draft(
    *, department: Department | None = None, materials: int = 2, **fields
) -> ServiceItemVersion:
    """A draft v1 made through `catalog.services.item_create` that passes every publish rule:
    a promised licence (5 of 20 working days), `materials` materials, one 3-day stage."""
    from yichuang.catalog import services

    n = next(_seq)
    department = department or orgs_factories.department()
    base_code = fields.pop("base_code", f"{n:012d}")
    values = {
        "name": f"测试事项{n}",
        "item_type": ItemType.LICENCE,
        "level": Level.COUNTY,
        "handling_kind": HandlingKind.PROMISED,
        "statutory_limit": 20,
        "promised_limit": 5,
        "trips": 1,
    }
    values.update(fields)
    draft = services.item_create(
        centre=department.centre,
        department=department,
        implementation_code=f"{department.uscc}4{base_code}",
        base_code=base_code,
        **values,
    )
    services.item_version_children_replace(
        version=draft,
        materials=[{"name": f"申请材料{i}"} for i in range(1, materials + 1)],
        tasks=[
            {
                "stage": 1,
                "stage_name": "审查",
                "department": department,
                "limit_workdays": 3,
            }
        ],
    )
    return draft
