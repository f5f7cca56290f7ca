"""The column template of the catalogue workbook, and reading and writing its cells.

`COLUMNS` is the one definition of the template described in
docs/catalog-excel-template.md: sheet by sheet, each column's header, kind, the model
field it carries and whether it is required. `parse_cell` turns a cell into a Python value
or raises `CellError` with a Chinese reason; `format_value` does the reverse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

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
    ProcessStageTask,
    RejectionPolicy,
    ResultType,
    ServiceItem,
    ServiceItemVersion,
    depth_levels,
    depth_mask,
)
from yichuang.orgs.models import Centre, Department, Window

SHEET_ITEMS = "事项"
SHEET_MATERIALS = "材料"
SHEET_STAGES = "流程"
SHEET_BUNDLES = "一件事"
SHEETS = (SHEET_ITEMS, SHEET_MATERIALS, SHEET_STAGES, SHEET_BUNDLES)

YES, NO = "是", "否"
_LIST_SPLIT = re.compile(r"[,，、;；\s]+")


class CellError(Exception):
    """A cell that cannot be read; `message` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        self.message = message


# --- the column template --------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a sheet.

    kind: text, int, bool, choice (labels of `choices`), flags (a list of labels each
    setting one boolean field), depth (online-depth levels "1,2,3"), windows (window
    numbers "1,2"), department (name or USCC), codes (a list of implementation codes).
    """

    header: str
    kind: str
    field: str = ""
    required: bool = False
    choices: type[models.Choices] | None = None
    flags: tuple[tuple[str, str], ...] = ()
    minimum: int = 0
    maximum: int = 32767
    max_length: int | None = None
    width: int = 14

    def labels(self) -> list[str]:
        if self.choices is not None:
            return [str(label) for label in self.choices.labels]
        return [label for label, _field in self.flags]


def _text(header, field_name, *, model=ServiceItemVersion, required=False, width=16):
    max_length = getattr(model._meta.get_field(field_name), "max_length", None)
    return Column(
        header,
        "text",
        field_name,
        required=required,
        max_length=max_length,
        width=width,
    )


def _choice(header, field_name, choices, *, required=False):
    return Column(header, "choice", field_name, required=required, choices=choices)


def _bool(header, field_name):
    return Column(header, "bool", field_name, width=10)


ITEM_COLUMNS: tuple[Column, ...] = (
    _text("实施编码", "implementation_code", model=ServiceItem, required=True, width=36),
    _text("基本编码", "base_code", model=ServiceItem, required=True),
    _text("事项名称", "name", required=True, width=30),
    _text("业务办理项编码", "business_code"),
    _choice("事项类型", "item_type", ItemType, required=True),
    _choice("行使层级", "level", Level, required=True),
    Column("实施主体", "department", "department", required=True, width=24),
    _text("权力来源", "source_of_authority"),
    _text("设定依据", "legal_basis", width=30),
    Column(
        "服务对象",
        "flags",
        flags=(("自然人", "for_natural_persons"), ("法人", "for_legal_persons")),
    ),
    _text("受理条件", "conditions", width=30),
    _text("办理流程", "process_description", width=30),
    Column(
        "办理形式",
        "flags",
        flags=(
            ("窗口办理", "handled_at_window"),
            ("网上办理", "handled_online"),
            ("快递申请", "handled_by_post"),
        ),
        width=20,
    ),
    _text("办理地点", "place", width=24),
    _text("办理时间", "hours", width=24),
    _text("咨询电话", "consultation_phone"),
    _text("监督投诉电话", "complaint_phone"),
    _choice("办件类型", "handling_kind", HandlingKind, required=True),
    Column("法定办结时限", "int", "statutory_limit", required=True, maximum=2147483647),
    _choice("法定时限单位", "statutory_limit_unit", LimitUnit),
    _text("法定时限说明", "statutory_limit_note"),
    Column("承诺办结时限", "int", "promised_limit", required=True, maximum=2147483647),
    _choice("承诺时限单位", "promised_limit_unit", LimitUnit),
    _text("承诺时限说明", "promised_limit_note"),
    _text("特别程序", "special_procedures"),
    _choice("审查不通过时", "rejection_policy", RejectionPolicy),
    Column("到办事现场次数", "int", "trips", required=True, maximum=2),
    _bool("是否收费", "fee_charged"),
    _text("收费依据", "fee_basis"),
    _text("收费标准", "fee_standard"),
    _text("减免政策", "fee_waiver"),
    Column("网办深度", "depth", "online_depth"),
    _bool("全程网办", "fully_online"),
    _bool("支持预约", "booking_supported"),
    _bool("支持网上支付", "online_payment"),
    _bool("支持物流快递", "courier_delivery"),
    _bool("支持自助终端", "kiosk_handling"),
    _choice("通办范围", "cross_region_scope", CrossRegionScope),
    _text("审批结果名称", "result_name"),
    _choice("审批结果类型", "result_type", ResultType),
    _text("关键词", "keywords", width=24),
    Column("办理窗口", "windows", "windows"),
)

MATERIAL_COLUMNS: tuple[Column, ...] = (
    _text("实施编码", "implementation_code", model=ServiceItem, required=True, width=36),
    Column("序号", "int", "position", width=8),
    _text("材料名称", "name", model=Material, required=True, width=30),
    _bool("必要", "required"),
    _bool("可容缺", "pendable"),
    _choice("来源渠道", "source", MaterialSource),
    _text("出具单位", "issuing_body", model=Material),
    _choice("材料形式", "form", MaterialForm),
    Column("份数", "int", "copies", width=8),
    _text("受理标准", "acceptance_standard", model=Material, width=30),
    _text("备注", "note", model=Material, width=24),
)

STAGE_COLUMNS: tuple[Column, ...] = (
    _text("实施编码", "implementation_code", model=ServiceItem, required=True, width=36),
    Column("环节序号", "int", "stage", required=True, minimum=1, width=10),
    _text("环节名称", "stage_name", model=ProcessStageTask, required=True),
    Column("审批部门", "department", "department", required=True, width=24),
    Column("时限（工作日）", "int", "limit_workdays", required=True),
    _bool("超时默认同意", "deemed_consent_on_timeout"),
)

BUNDLE_COLUMNS: tuple[Column, ...] = (
    _text("代码", "code", model=Bundle, required=True),
    _text("名称", "name", model=Bundle, required=True, width=30),
    _text("说明", "description", model=Bundle, width=30),
    Column("包含事项实施编码", "codes", "items", width=40),
    _bool("发布", "is_published"),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    SHEET_ITEMS: ITEM_COLUMNS,
    SHEET_MATERIALS: MATERIAL_COLUMNS,
    SHEET_STAGES: STAGE_COLUMNS,
    SHEET_BUNDLES: BUNDLE_COLUMNS,
}

# Version fields written from the 事项 sheet (everything but the item-level columns).
ITEM_LEVEL_FIELDS = ("implementation_code", "base_code", "department", "windows")
VERSION_FIELDS: tuple[str, ...] = tuple(
    name
    for column in ITEM_COLUMNS
    for name in ([f for _label, f in column.flags] if column.flags else [column.field])
    if name not in ITEM_LEVEL_FIELDS
)
MATERIAL_FIELDS = tuple(c.field for c in MATERIAL_COLUMNS if c.field != "implementation_code")
STAGE_FIELDS = (
    "stage",
    "stage_name",
    "department_id",
    "limit_workdays",
    "deemed_consent_on_timeout",
)


def header_for_field(sheet: str, field_name: str | None) -> str | None:
    """The column header that writes `field_name` on `sheet` (None when no column does)."""
    for column in COLUMNS[sheet]:
        if column.field == field_name or any(f == field_name for _l, f in column.flags):
            return column.header
    return None


# --- reading cells ------------------------------------------------------------------------------


@dataclass
class Lookups:
    """The centre's departments (by name and by USCC) and windows (by number)."""

    departments: dict[str, Department]
    windows: dict[int, Window]

    @classmethod
    def for_centre(cls, centre: Centre) -> Lookups:
        departments: dict[str, Department] = {}
        for department in Department.objects.filter(centre=centre):
            departments[department.uscc.upper()] = department
            departments[department.name] = department
        windows = {w.number: w for w in Window.objects.filter(centre=centre)}
        return cls(departments=departments, windows=windows)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str:
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def split_list(value: Any) -> list[str]:
    return [part for part in _LIST_SPLIT.split(as_text(value)) if part]


def _as_int(value: Any, column: Column) -> int:
    if isinstance(value, bool):
        raise CellError(_("应为整数"))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        value = int(value.strip())
    if not isinstance(value, int):
        raise CellError(_("「%(value)s」不是整数") % {"value": as_text(value)})
    if not column.minimum <= value <= column.maximum:
        raise CellError(
            _("应在 %(min)d 到 %(max)d 之间") % {"min": column.minimum, "max": column.maximum}
        )
    return value


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = as_text(value)
    if text in (YES, NO):
        return text == YES
    raise CellError(_("「%(value)s」无效，应填“是”或“否”") % {"value": text})


def _unknown_label(text: str, column: Column) -> CellError:
    return CellError(
        _("「%(value)s」不是有效选项，可选：%(labels)s")
        % {"value": text, "labels": "、".join(column.labels())}
    )


def parse_cell(value: Any, column: Column, lookups: Lookups) -> Any:
    """The Python value of one non-blank cell, or `CellError`."""
    kind = column.kind
    if kind == "text":
        text = as_text(value)
        if column.max_length and len(text) > column.max_length:
            raise CellError(_("不能超过 %(n)d 个字符") % {"n": column.max_length})
        return text
    if kind == "int":
        return _as_int(value, column)
    if kind == "bool":
        return _as_bool(value)
    if kind == "choice":
        text = as_text(value)
        by_label = {str(label): v for v, label in column.choices.choices}
        if text not in by_label:
            raise _unknown_label(text, column)
        return by_label[text]
    if kind == "flags":
        by_label = dict(column.flags)
        chosen = split_list(value)
        for label in chosen:
            if label not in by_label:
                raise _unknown_label(label, column)
        return {f: label in chosen for label, f in column.flags}
    if kind == "depth":
        levels = split_list(value)
        for level in levels:
            if not level.isdigit() or int(level) not in OnlineDepth.values:
                raise CellError(
                    _("「%(value)s」不是网办深度等级，应为 1 到 8 的数字，用逗号分隔")
                    % {"value": level}
                )
        return depth_mask(int(level) for level in levels)
    if kind == "windows":
        windows = []
        for number in split_list(value):
            if not number.isdigit() or int(number) not in lookups.windows:
                raise CellError(_("本中心没有 %(number)s 号窗口") % {"number": number})
            windows.append(lookups.windows[int(number)])
        return windows
    if kind == "department":
        text = as_text(value)
        department = lookups.departments.get(text) or lookups.departments.get(text.upper())
        if department is None:
            raise CellError(
                _("本中心没有名称或统一社会信用代码为「%(value)s」的部门") % {"value": text}
            )
        return department
    if kind == "codes":
        return split_list(value)
    raise ValueError(f"unknown column kind {kind}")


def default_value(column: Column, model: type[models.Model]) -> Any:
    if column.kind == "flags":
        return {f: False for _label, f in column.flags}
    if column.kind in ("windows", "codes"):
        return []
    if column.kind == "depth":
        return 0
    if column.kind == "text":
        return ""
    return model._meta.get_field(column.field).get_default()


# --- writing cells -----------------------------------------------------------------------


def format_value(value: Any, column: Column) -> Any:
    kind = column.kind
    if kind == "bool":
        return YES if value else NO
    if kind == "choice":
        return str(column.choices(value).label)
    if kind == "depth":
        return ",".join(str(level) for level in depth_levels(value))
    if kind == "department":
        return value.name
    return value


def new_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in SHEETS:
        worksheet = workbook.create_sheet(sheet)
        columns = COLUMNS[sheet]
        worksheet.append([c.header for c in columns])
        bold = Font(bold=True)
        fill = PatternFill("solid", fgColor="DDEBF7")
        for index, column in enumerate(columns, start=1):
            cell = worksheet.cell(row=1, column=index)
            cell.font = bold
            cell.fill = fill
            cell.alignment = Alignment(horizontal="center")
            letter = get_column_letter(index)
            worksheet.column_dimensions[letter].width = column.width
            if column.kind in ("choice", "bool"):
                labels = column.labels() if column.kind == "choice" else [YES, NO]
                validation = DataValidation(
                    type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True
                )
                validation.error = _("请从下拉列表中选择")
                validation.add(f"{letter}2:{letter}5000")
                worksheet.add_data_validation(validation)
        worksheet.freeze_panes = "A2"
    return workbook
