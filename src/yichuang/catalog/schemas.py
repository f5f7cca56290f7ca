"""Schemas of the public catalogue API and the functions that fill them from versions.

Choice fields travel as their machine value with a Chinese `*_label` next to them.
"""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from yichuang.catalog.models import (
    Bundle,
    CrossRegionScope,
    HandlingKind,
    ItemType,
    Level,
    LimitUnit,
    Material,
    MaterialForm,
    MaterialSource,
    OnlineDepth,
    ResultType,
    ServiceItemVersion,
)
from yichuang.catalog.selectors import Stage

MAX_PAGE_SIZE = 100
_MAX_ID = 2**63 - 1


class ItemFilters(Schema):
    q: str = Field("", max_length=100, description="名称、关键词、编码、拼音全拼或首字母")
    department: int | None = Field(None, ge=1, le=_MAX_ID, description="实施部门 id")
    item_type: ItemType | None = Field(None, description="事项类型")
    online_depth: int | None = Field(None, ge=1, le=8, description="包含该级网办深度")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class DepartmentOut(Schema):
    id: int
    name: str
    short_name: str


class DepthLevelOut(Schema):
    level: int
    name: str


class ItemSummaryOut(Schema):
    code: str = Field(description="实施编码")
    base_code: str
    name: str
    item_type: str
    item_type_label: str
    department: DepartmentOut
    centre: str = Field(description="服务中心代码")
    handling_kind: str
    handling_kind_label: str
    promised_limit: int
    promised_limit_unit: str
    statutory_limit: int
    statutory_limit_unit: str
    trips: int
    fully_online: bool
    for_natural_persons: bool
    for_legal_persons: bool
    online_depth: list[int]
    version: int
    published_at: datetime | None


class ItemPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[ItemSummaryOut]


class MaterialOut(Schema):
    position: int
    name: str
    required: bool
    pendable: bool
    source: str
    source_label: str
    submission_exempt: bool = Field(description="数据共享获取，申请人免提交")
    issuing_body: str
    form: str
    form_label: str
    copies: int
    template_url: str | None
    sample_url: str | None
    acceptance_standard: str
    note: str


class StageTaskOut(Schema):
    department: DepartmentOut
    limit_workdays: int
    deemed_consent_on_timeout: bool


class StageOut(Schema):
    number: int
    name: str
    limit_workdays: int = Field(description="环节时限：并联部门中最长者")
    parallel: bool
    tasks: list[StageTaskOut]


class WindowOut(Schema):
    number: int
    name: str
    kind: str


class ItemGuideOut(ItemSummaryOut):
    business_code: str
    keywords: str
    level: str
    level_label: str
    source_of_authority: str
    legal_basis: str
    conditions: str
    process_description: str
    handled_at_window: bool
    handled_online: bool
    handled_by_post: bool
    place: str
    hours: str
    consultation_phone: str
    complaint_phone: str
    statutory_limit_unit_label: str
    statutory_limit_note: str
    promised_limit_unit_label: str
    promised_limit_note: str
    special_procedures: str
    fee_charged: bool
    fee_basis: str
    fee_standard: str
    fee_waiver: str
    online_depth_levels: list[DepthLevelOut]
    booking_supported: bool
    online_payment: bool
    courier_delivery: bool
    kiosk_handling: bool
    cross_region_scope: str
    cross_region_scope_label: str
    result_name: str
    result_type: str
    result_type_label: str
    materials: list[MaterialOut]
    stages: list[StageOut]
    windows: list[WindowOut]


class BundleItemOut(Schema):
    code: str
    name: str


class BundleOut(Schema):
    code: str
    name: str
    description: str
    centre: str
    items: list[BundleItemOut]


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else str(value)


def _department(department) -> dict:
    return {"id": department.pk, "name": department.name, "short_name": department.short_name}


def item_summary(version: ServiceItemVersion) -> dict:
    item = version.item
    return {
        "code": item.implementation_code,
        "base_code": item.base_code,
        "name": version.name,
        "item_type": version.item_type,
        "item_type_label": _label(ItemType, version.item_type),
        "department": _department(item.department),
        "centre": item.centre.code,
        "handling_kind": version.handling_kind,
        "handling_kind_label": _label(HandlingKind, version.handling_kind),
        "promised_limit": version.promised_limit,
        "promised_limit_unit": version.promised_limit_unit,
        "statutory_limit": version.statutory_limit,
        "statutory_limit_unit": version.statutory_limit_unit,
        "trips": version.trips,
        "fully_online": version.fully_online,
        "for_natural_persons": version.for_natural_persons,
        "for_legal_persons": version.for_legal_persons,
        "online_depth": version.online_depth_levels,
        "version": version.version,
        "published_at": version.published_at,
    }


def _file_url(file) -> str | None:
    return file.url if file else None


def _material(material: Material) -> dict:
    return {
        "position": material.position,
        "name": material.name,
        "required": material.required,
        "pendable": material.pendable,
        "source": material.source,
        "source_label": _label(MaterialSource, material.source),
        "submission_exempt": material.source == MaterialSource.DATA_SHARING,
        "issuing_body": material.issuing_body,
        "form": material.form,
        "form_label": _label(MaterialForm, material.form),
        "copies": material.copies,
        "template_url": _file_url(material.template),
        "sample_url": _file_url(material.sample),
        "acceptance_standard": material.acceptance_standard,
        "note": material.note,
    }


def _stage(stage: Stage) -> dict:
    return {
        "number": stage.number,
        "name": stage.name,
        "limit_workdays": stage.limit,
        "parallel": stage.parallel,
        "tasks": [
            {
                "department": _department(task.department),
                "limit_workdays": task.limit_workdays,
                "deemed_consent_on_timeout": task.deemed_consent,
            }
            for task in stage.tasks
        ],
    }


def item_guide(version: ServiceItemVersion, *, stages: list[Stage]) -> dict:
    """The full guide (办事指南) of a published version, with prefetched children."""
    v = version
    return {
        **item_summary(v),
        "business_code": v.business_code,
        "keywords": v.keywords,
        "level": v.level,
        "level_label": _label(Level, v.level),
        "source_of_authority": v.source_of_authority,
        "legal_basis": v.legal_basis,
        "conditions": v.conditions,
        "process_description": v.process_description,
        "handled_at_window": v.handled_at_window,
        "handled_online": v.handled_online,
        "handled_by_post": v.handled_by_post,
        "place": v.place,
        "hours": v.hours,
        "consultation_phone": v.consultation_phone,
        "complaint_phone": v.complaint_phone,
        "statutory_limit_unit_label": _label(LimitUnit, v.statutory_limit_unit),
        "statutory_limit_note": v.statutory_limit_note,
        "promised_limit_unit_label": _label(LimitUnit, v.promised_limit_unit),
        "promised_limit_note": v.promised_limit_note,
        "special_procedures": v.special_procedures,
        "fee_charged": v.fee_charged,
        "fee_basis": v.fee_basis,
        "fee_standard": v.fee_standard,
        "fee_waiver": v.fee_waiver,
        "online_depth_levels": [
            {"level": level, "name": _label(OnlineDepth, level)} for level in v.online_depth_levels
        ],
        "booking_supported": v.booking_supported,
        "online_payment": v.online_payment,
        "courier_delivery": v.courier_delivery,
        "kiosk_handling": v.kiosk_handling,
        "cross_region_scope": v.cross_region_scope,
        "cross_region_scope_label": _label(CrossRegionScope, v.cross_region_scope),
        "result_name": v.result_name,
        "result_type": v.result_type,
        "result_type_label": _label(ResultType, v.result_type),
        "materials": [_material(m) for m in v.materials.all()],
        "stages": [_stage(s) for s in stages],
        "windows": [{"number": w.number, "name": w.name, "kind": w.kind} for w in v.windows.all()],
    }


def bundle_out(bundle: Bundle, *, names: dict[int, str]) -> dict:
    """A bundle with its items in order; `names` maps item ids to published names.

    Items without a published version are left out.
    """
    return {
        "code": bundle.code,
        "name": bundle.name,
        "description": bundle.description,
        "centre": bundle.centre.code,
        "items": [
            {"code": row.item.implementation_code, "name": names[row.item_id]}
            for row in bundle.bundle_items.all()
            if row.item_id in names
        ],
    }
