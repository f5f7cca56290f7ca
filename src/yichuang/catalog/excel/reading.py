"""Reading a catalogue workbook: every row of every sheet checked, every problem kept.

`Reader` parses the cells of a sheet (see `columns`); `parse_items`, `attach_children`
and `parse_bundles` turn the rows into `ItemData` and `BundleData`, recording each
problem as a `RowError` with its sheet, row and column.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import models
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from yichuang.catalog.excel.columns import (
    COLUMNS,
    ITEM_COLUMNS,
    ITEM_LEVEL_FIELDS,
    MATERIAL_FIELDS,
    SHEET_BUNDLES,
    SHEET_ITEMS,
    SHEET_MATERIALS,
    SHEET_STAGES,
    STAGE_FIELDS,
    VERSION_FIELDS,
    CellError,
    Lookups,
    as_text,
    default_value,
    is_blank,
    parse_cell,
)
from yichuang.catalog.models import (
    Bundle,
    Material,
    ProcessStageTask,
    ServiceItem,
    ServiceItemVersion,
)
from yichuang.common.errors import DomainError
from yichuang.orgs.models import Centre, Department, Window

# --- errors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem in the workbook: where it is and why, in Chinese."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.sheet
        if self.row is not None:
            where += " " + _("第%(row)d行") % {"row": self.row}
        if self.column:
            where += f" 「{self.column}」"
        return f"{where}：{self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class ImportFileInvalid(DomainError):
    """The upload is not a readable .xlsx workbook, or holds no data at all."""


@dataclass
class Row:
    number: int
    values: dict[str, Any]  # by header; only the cells that parsed
    ok: bool
    blank: set[str]  # headers of the blank optional cells (given their default)


class Reader:
    """Reads the sheets of one workbook, collecting every problem in `errors`."""

    def __init__(self, workbook, lookups: Lookups) -> None:
        self.workbook = workbook
        self.lookups = lookups
        self.errors: list[RowError] = []
        self.codes_in_sheet: set[str] = set()

    def error(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(RowError(sheet=sheet, row=row, column=column, message=str(message)))

    def rows(self, sheet: str, model: type[models.Model]) -> list[Row]:
        if sheet not in self.workbook.sheetnames:
            self.error(sheet, None, None, _("缺少工作表「%(sheet)s」") % {"sheet": sheet})
            return []
        columns = COLUMNS[sheet]
        worksheet = self.workbook[sheet]
        worksheet.reset_dimensions()  # some writers record wrong dimensions; read every row
        rows = worksheet.iter_rows(values_only=True)
        header = [as_text(h) if h is not None else "" for h in next(rows, ())]
        positions = {h: i for i, h in reversed(list(enumerate(header))) if h}
        missing = [c.header for c in columns if c.header not in positions]
        for name in missing:
            self.error(sheet, 1, name, _("缺少此列"))
        if missing:
            return []
        parsed = []
        for number, cells in enumerate(rows, start=2):
            if all(is_blank(v) for v in cells):
                continue
            parsed.append(self._row(sheet, number, cells, columns, positions, model))
        return parsed

    def _row(self, sheet, number, cells, columns, positions, model) -> Row:
        values: dict[str, Any] = {}
        blank: set[str] = set()
        ok = True
        for column in columns:
            index = positions[column.header]
            value = cells[index] if index < len(cells) else None
            if is_blank(value):
                if column.required:
                    self.error(sheet, number, column.header, _("必填"))
                    ok = False
                else:
                    values[column.header] = default_value(column, model)
                    blank.add(column.header)
                continue
            try:
                values[column.header] = parse_cell(value, column, self.lookups)
            except CellError as exc:
                self.error(sheet, number, column.header, exc.message)
                ok = False
        return Row(number=number, values=values, ok=ok, blank=blank)


# --- the parsed catalogue ----------------------------------------------------------------------


@dataclass
class ItemData:
    """One item as the workbook describes it."""

    row: int
    implementation_code: str
    base_code: str
    department: Department
    fields: dict[str, Any]
    windows: list[Window]
    materials: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (row, values)
    stages: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def content(self) -> tuple:
        return _content(
            fields=self.fields,
            windows=[w.number for w in self.windows],
            materials=[m for _row, m in self.materials],
            stages=[{**s, "department_id": s["department"].pk} for _row, s in self.stages],
        )


@dataclass
class BundleData:
    row: int
    code: str
    name: str
    description: str
    is_published: bool
    item_codes: list[str]


def _content(*, fields, windows, materials, stages) -> tuple:
    """A comparable form of one version's content (files and bookkeeping left out)."""
    return (
        tuple((name, fields[name]) for name in VERSION_FIELDS),
        tuple(sorted(windows)),
        tuple(
            sorted(
                (tuple(m[f] for f in MATERIAL_FIELDS) for m in materials),
                key=lambda t: (t[0], t[1]),
            )
        ),
        tuple(sorted(tuple(s[f] for f in STAGE_FIELDS) for s in stages)),
    )


def version_content(version: ServiceItemVersion) -> tuple:
    """The comparable content of a stored version (see `_content`)."""
    return _content(
        fields={name: getattr(version, name) for name in VERSION_FIELDS},
        windows=[w.number for w in version.windows.all()],
        materials=[{f: getattr(m, f) for f in MATERIAL_FIELDS} for m in version.materials.all()],
        stages=[{f: getattr(s, f) for f in STAGE_FIELDS} for s in version.stage_tasks.all()],
    )


def parse_items(reader: Reader, centre: Centre) -> dict[str, ItemData]:
    items: dict[str, ItemData] = {}
    first_row: dict[str, int] = {}
    codes_in_sheet: set[str] = set()
    rows = reader.rows(SHEET_ITEMS, ServiceItemVersion)
    codes = [r.values["实施编码"] for r in rows if "实施编码" in r.values]
    existing = {
        i.implementation_code: i
        for i in ServiceItem.objects.filter(implementation_code__in=codes).select_related(
            "department"
        )
    }
    for row in rows:
        code = row.values.get("实施编码")
        if code is not None:
            codes_in_sheet.add(code)
            if code in first_row:
                reader.error(
                    SHEET_ITEMS,
                    row.number,
                    "实施编码",
                    _("实施编码与第%(row)d行重复") % {"row": first_row[code]},
                )
                continue
            first_row[code] = row.number
            item = existing.get(code)
            if item is not None and not _item_matches(reader, row, item, centre):
                continue
        if not row.ok:
            continue
        values = row.values
        fields: dict[str, Any] = {}
        for column in ITEM_COLUMNS:
            if column.kind == "flags":
                fields.update(values[column.header])
            elif column.field not in ITEM_LEVEL_FIELDS:
                fields[column.field] = values[column.header]
        items[code] = ItemData(
            row=row.number,
            implementation_code=code,
            base_code=values["基本编码"],
            department=values["实施主体"],
            fields=fields,
            windows=values["办理窗口"],
        )
    reader.codes_in_sheet = codes_in_sheet
    return items


def _item_matches(reader: Reader, row: Row, item: ServiceItem, centre: Centre) -> bool:
    """An existing item keeps its centre, implementing body and base code."""
    if item.centre_id != centre.pk:
        reader.error(SHEET_ITEMS, row.number, "实施编码", _("该实施编码已属于其他服务中心"))
        return False
    ok = True
    department = row.values.get("实施主体")
    if department is not None and department.pk != item.department_id:
        reader.error(
            SHEET_ITEMS,
            row.number,
            "实施主体",
            _("已有事项的实施主体为「%(name)s」，导入不能更改实施主体")
            % {"name": item.department.name},
        )
        ok = False
    base_code = row.values.get("基本编码")
    if base_code is not None and base_code != item.base_code:
        reader.error(
            SHEET_ITEMS,
            row.number,
            "基本编码",
            _("已有事项的基本编码为「%(code)s」，导入不能更改基本编码") % {"code": item.base_code},
        )
        ok = False
    return ok


def attach_children(reader: Reader, items: dict[str, ItemData]) -> None:
    """Materials and stages go to their item; duplicates and unknown items are errors."""
    for sheet, model, attribute in (
        (SHEET_MATERIALS, Material, "materials"),
        (SHEET_STAGES, ProcessStageTask, "stages"),
    ):
        seen: dict[tuple, int] = {}
        positions: dict[str, int] = {}
        for row in reader.rows(sheet, model):
            code = row.values.get("实施编码")
            if code is not None and code not in reader.codes_in_sheet:
                reader.error(sheet, row.number, "实施编码", _("「事项」表中没有此实施编码的事项"))
                continue
            if not row.ok or code not in items:
                continue
            values = {c.field: row.values[c.header] for c in COLUMNS[sheet][1:]}
            if sheet == SHEET_MATERIALS:
                positions[code] = positions.get(code, 0) + 1
                if "序号" in row.blank:
                    values["position"] = positions[code]
                key, column = (code, values["name"]), "材料名称"
                duplicate = _("同一事项的材料名称与第%(row)d行重复")
            else:
                key, column = (code, values["stage"], values["department"].pk), "审批部门"
                duplicate = _("同一环节的审批部门与第%(row)d行重复")
            if key in seen:
                reader.error(sheet, row.number, column, duplicate % {"row": seen[key]})
                continue
            seen[key] = row.number
            getattr(items[code], attribute).append((row.number, values))


def parse_bundles(reader: Reader, centre: Centre) -> list[BundleData]:
    bundles: list[BundleData] = []
    first_row: dict[str, int] = {}
    known = set(
        ServiceItem.objects.filter(centre=centre).values_list("implementation_code", flat=True)
    )
    known |= reader.codes_in_sheet
    for row in reader.rows(SHEET_BUNDLES, Bundle):
        code = row.values.get("代码")
        ok = row.ok
        if code is not None:
            try:
                validate_slug(code)
            except ValidationError:
                reader.error(
                    SHEET_BUNDLES, row.number, "代码", _("只能包含字母、数字、下划线或连字符")
                )
                ok = False
            if code in first_row:
                reader.error(
                    SHEET_BUNDLES,
                    row.number,
                    "代码",
                    _("代码与第%(row)d行重复") % {"row": first_row[code]},
                )
                ok = False
            first_row.setdefault(code, row.number)
        item_codes = row.values.get("包含事项实施编码", [])
        unknown = [c for c in item_codes if c not in known]
        if unknown:
            reader.error(
                SHEET_BUNDLES,
                row.number,
                "包含事项实施编码",
                _("本中心没有这些事项：%(codes)s") % {"codes": "、".join(unknown)},
            )
            ok = False
        if len(set(item_codes)) != len(item_codes):
            reader.error(SHEET_BUNDLES, row.number, "包含事项实施编码", _("事项重复"))
            ok = False
        if ok:
            bundles.append(
                BundleData(
                    row=row.number,
                    code=code,
                    name=row.values["名称"],
                    description=row.values["说明"],
                    is_published=row.values["发布"],
                    item_codes=item_codes,
                )
            )
    return bundles


# --- the file ---------------------------------------------------------------------------


def open_workbook(file: str | IO[bytes]):
    invalid = ImportFileInvalid(
        code="catalog_import_invalid_file",
        message=_("无法读取文件：请上传 Excel 工作簿（.xlsx）"),
    )
    if isinstance(file, os.PathLike):
        file = os.fspath(file)
    if isinstance(file, str) and not file.lower().endswith((".xlsx", ".xlsm")):
        raise invalid
    try:
        if hasattr(file, "seek"):
            file.seek(0)
        return load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise invalid from exc
