"""Excel import and export of the service catalogue.

The workbook follows the column template of docs/catalog-excel-template.md: four sheets
(事项, 材料, 流程, 一件事), a Chinese header row, choice columns written with the models'
Chinese labels. `excel_columns.COLUMNS` is the one definition of that template; the
parser, the writer, the blank template and the document all follow it.

`import_catalog` is all or nothing: every row of every sheet is checked (cell types,
labels, departments, windows, duplicate codes, references between sheets and the publish
rules of `catalog.rules`), every problem is collected with its sheet, row and column, and
when there is any, nothing is written and `ImportRejected` carries the list.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import models, transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from yichuang.catalog import rules, services
from yichuang.catalog.excel_columns import (
    COLUMNS,
    ITEM_COLUMNS,
    ITEM_LEVEL_FIELDS,
    MATERIAL_COLUMNS,
    MATERIAL_FIELDS,
    NO,
    SHEET_BUNDLES,
    SHEET_ITEMS,
    SHEET_MATERIALS,
    SHEET_STAGES,
    SHEETS,
    STAGE_COLUMNS,
    STAGE_FIELDS,
    VERSION_FIELDS,
    YES,
    CellError,
    Lookups,
    as_text,
    default_value,
    format_value,
    header_for_field,
    is_blank,
    new_workbook,
    parse_cell,
)
from yichuang.catalog.models import (
    Bundle,
    BundleItem,
    Material,
    ProcessStageTask,
    ServiceItem,
    ServiceItemVersion,
    VersionStatus,
)
from yichuang.common.errors import DomainError
from yichuang.orgs.models import Centre, Department, Window

Progress = Callable[[str, int, int], None]


# --- errors and the report ----------------------------------------------------------------


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


class ImportRejected(DomainError):
    """The workbook has bad rows; nothing was imported. `errors` lists every one."""

    def __init__(self, *, errors: list[RowError]) -> None:
        super().__init__(
            code="catalog_import_rejected",
            message=_("导入失败：发现 %(count)d 处错误，未导入任何数据") % {"count": len(errors)},
            details=[e.as_dict() for e in errors],
        )
        self.errors = errors


@dataclass
class ImportReport:
    """What an import did, by implementation code (items) and code (bundles)."""

    published: bool
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    bundles_created: list[str] = field(default_factory=list)
    bundles_updated: list[str] = field(default_factory=list)
    bundles_unchanged: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "bundles_created": len(self.bundles_created),
            "bundles_updated": len(self.bundles_updated),
            "bundles_unchanged": len(self.bundles_unchanged),
        }

    def summary(self) -> str:
        return (
            _(
                "事项：新增 %(created)d，更新 %(updated)d，未变 %(unchanged)d；"
                "一件事：新增 %(bundles_created)d，更新 %(bundles_updated)d，"
                "未变 %(bundles_unchanged)d"
            )
            % self.counts()
        )


@dataclass
class _Row:
    number: int
    values: dict[str, Any]  # by header; only the cells that parsed
    ok: bool
    blank: set[str]  # headers of the blank optional cells (given their default)


class _Reader:
    """Reads the sheets of one workbook, collecting every problem in `errors`."""

    def __init__(self, workbook, lookups: Lookups) -> None:
        self.workbook = workbook
        self.lookups = lookups
        self.errors: list[RowError] = []
        self.codes_in_sheet: set[str] = set()

    def error(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        self.errors.append(RowError(sheet=sheet, row=row, column=column, message=str(message)))

    def rows(self, sheet: str, model: type[models.Model]) -> list[_Row]:
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

    def _row(self, sheet, number, cells, columns, positions, model) -> _Row:
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
        return _Row(number=number, values=values, ok=ok, blank=blank)


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


def _parse_items(reader: _Reader, centre: Centre) -> dict[str, ItemData]:
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


def _item_matches(reader: _Reader, row: _Row, item: ServiceItem, centre: Centre) -> bool:
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


def _attach_children(reader: _Reader, items: dict[str, ItemData]) -> None:
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


def _parse_bundles(reader: _Reader, centre: Centre) -> list[BundleData]:
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


# --- import ---------------------------------------------------------------------------------


def _open_workbook(file: str | IO[bytes]):
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


def import_catalog(
    file: str | IO[bytes],
    *,
    centre: Centre,
    actor: Any = None,
    publish: bool = True,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a catalogue workbook into `centre`, all or nothing.

    New items are created; an item whose content equals its published version is left
    alone; any other gets a new version with the sheet's content, published unless
    `publish` is False (then the publish rules are not checked: a draft may be
    incomplete). Items and bundles missing from the workbook are not touched. Raises
    `ImportFileInvalid` for an unreadable or empty file and `ImportRejected` with every
    bad row otherwise.
    """
    workbook = _open_workbook(file)
    try:
        reader = _Reader(workbook, Lookups.for_centre(centre))
        items = _parse_items(reader, centre)
        _attach_children(reader, items)
        bundles = _parse_bundles(reader, centre)
    finally:
        workbook.close()
    if not reader.errors and not items and not bundles:
        raise ImportFileInvalid(
            code="catalog_import_empty", message=_("文件中没有任何事项或一件事")
        )
    unchanged = _unchanged_codes(items)
    if publish:
        for code, data in items.items():
            if code not in unchanged:
                _check_rules(reader, data)
    if reader.errors:
        raise ImportRejected(errors=_sorted(reader.errors))
    report = ImportReport(published=publish, unchanged=sorted(unchanged))
    changed = {code: data for code, data in items.items() if code not in unchanged}
    with transaction.atomic():
        _write_items(
            reader, changed, actor=actor, publish=publish, report=report, progress=progress
        )
        if reader.errors:
            raise ImportRejected(errors=_sorted(reader.errors))
        for data in bundles:
            outcome = _bundle_write(data=data, centre=centre)
            getattr(report, f"bundles_{outcome}").append(data.code)
    return report


def _sorted(errors: list[RowError]) -> list[RowError]:
    order = {sheet: i for i, sheet in enumerate(SHEETS)}
    return sorted(errors, key=lambda e: (order.get(e.sheet, 9), e.row or 0))


def _unchanged_codes(items: dict[str, ItemData]) -> set[str]:
    """Codes of the items whose published version has exactly the workbook's content."""
    versions = published_versions_of(codes=list(items))
    return {
        v.item.implementation_code
        for v in versions
        if version_content(v) == items[v.item.implementation_code].content()
    }


def _check_rules(reader: _Reader, data: ItemData) -> None:
    """The publish rules of `catalog.rules`, on the version the row would become."""
    subject = rules.Subject(
        version=ServiceItemVersion(**data.fields),
        implementation_code=data.implementation_code,
        base_code=data.base_code,
        materials=[Material(**values) for _row, values in data.materials],
        tasks=[ProcessStageTask(**values) for _row, values in data.stages],
    )
    for violation in rules.publish_violations(subject):
        reader.error(*_locate(data, violation.field, violation.message), violation.message)


_STAGE_NUMBER = re.compile(r"第(\d+)环节")


def _locate(data: ItemData, field_name: str | None, message: str) -> tuple[str, int, str | None]:
    """The (sheet, row, column) a problem of `data` reported on `field_name` belongs to.

    Problems with the materials or stages point at the row of the material named in the
    message (or of the stage numbered in it), else at the item's first such row.
    """
    if field_name == "materials" and data.materials:
        named = [row for row, m in data.materials if f"“{m['name']}”" in message]
        return SHEET_MATERIALS, (named or [data.materials[0][0]])[0], None
    if field_name == "stages" and data.stages:
        match = _STAGE_NUMBER.search(message)
        numbered = [r for r, s in data.stages if match and s["stage"] == int(match.group(1))]
        return SHEET_STAGES, (numbered or [data.stages[0][0]])[0], None
    return SHEET_ITEMS, data.row, header_for_field(SHEET_ITEMS, field_name)


def _write_items(reader, items, *, actor, publish, report, progress) -> None:
    """Write every item in a savepoint of its own; one a service rejects becomes row errors.

    The rules were checked already; a rejection here (a concurrent change) still lists
    the row, and the caller rolls the whole import back.
    """
    existing = {
        i.implementation_code: i
        for i in ServiceItem.objects.filter(implementation_code__in=list(items))
    }
    total = len(items)
    for done, data in enumerate(items.values(), start=1):
        try:
            with transaction.atomic():
                outcome = _item_write(
                    data=data,
                    item=existing.get(data.implementation_code),
                    actor=actor,
                    publish=publish,
                )
        except DomainError as exc:
            details = exc.details if isinstance(exc.details, list) and exc.details else None
            for detail in details or [{"field": exc.field, "message": exc.message}]:
                message = str(detail.get("message", exc.message))
                reader.error(*_locate(data, detail.get("field"), message), message)
        else:
            getattr(report, outcome).append(data.implementation_code)
        if progress is not None:
            progress(_("导入事项"), done, total)


# --- writing -------------------------------------------------------------------------------------


def _item_write(*, data: ItemData, item: ServiceItem | None, actor: Any, publish: bool) -> str:
    """Give one new or changed item the workbook's content; "created" or "updated"."""
    fields = {**data.fields, "windows": data.windows}
    if item is None:
        draft = services.item_create(
            centre=data.department.centre,
            department=data.department,
            implementation_code=data.implementation_code,
            base_code=data.base_code,
            actor=actor,
            **fields,
        )
        outcome = "created"
    else:
        draft = services.item_draft_create(item=item, actor=actor)
        services.item_version_update(version=draft, actor=actor, **fields)
        outcome = "updated"
    services.item_version_children_replace(
        version=draft,
        materials=_materials_keeping_files(item=draft.item, data=data),
        tasks=[values for _row, values in data.stages],
        actor=actor,
    )
    if publish:
        services.item_version_publish(version=draft, actor=actor)
    return outcome


def _materials_keeping_files(*, item: ServiceItem, data: ItemData) -> list[dict[str, Any]]:
    """The workbook's materials, each with the blank form and sample files of the latest
    earlier material of the same name (files do not travel in the workbook)."""
    files: dict[str, tuple[Any, Any]] = {}
    for previous in Material.objects.filter(version__item=item).order_by("version__version"):
        if previous.template or previous.sample:
            files[previous.name] = (previous.template, previous.sample)
    rows = []
    for _row, values in data.materials:
        template, sample = files.get(values["name"], ("", ""))
        rows.append({**values, "template": template, "sample": sample})
    return rows


def _bundle_write(*, data: BundleData, centre: Centre) -> str:
    """Create or update one bundle; "created", "updated" or "unchanged"."""
    bundle = Bundle.objects.filter(centre=centre, code=data.code).first()
    items = {
        i.implementation_code: i
        for i in ServiceItem.objects.filter(centre=centre, implementation_code__in=data.item_codes)
    }
    if bundle is None:
        bundle = Bundle(centre=centre, code=data.code)
        outcome = "created"
    elif bundle_content(bundle) == (
        data.name,
        data.description,
        data.is_published,
        tuple(data.item_codes),
    ):
        return "unchanged"
    else:
        outcome = "updated"
    bundle.name, bundle.description = data.name, data.description
    bundle.is_published = data.is_published
    bundle.save()
    bundle.bundle_items.all().delete()
    BundleItem.objects.bulk_create(
        BundleItem(bundle=bundle, item=items[code], position=position)
        for position, code in enumerate(data.item_codes, start=1)
    )
    return outcome


def bundle_content(bundle: Bundle) -> tuple:
    """A comparable form of a bundle: name, description, published, item codes in order."""
    codes = tuple(
        bundle.bundle_items.order_by("position", "pk").values_list(
            "item__implementation_code", flat=True
        )
    )
    return (bundle.name, bundle.description, bundle.is_published, codes)


# --- export ---------------------------------------------------------------------------------------


def _item_row(version: ServiceItemVersion) -> list[Any]:
    item = version.item
    cells = []
    for column in ITEM_COLUMNS:
        if column.field in ("implementation_code", "base_code"):
            cells.append(getattr(item, column.field))
        elif column.kind == "department":
            cells.append(item.department.name)
        elif column.kind == "windows":
            cells.append(",".join(str(w.number) for w in version.windows.all()))
        elif column.kind == "flags":
            cells.append(",".join(label for label, f in column.flags if getattr(version, f)))
        else:
            cells.append(format_value(getattr(version, column.field), column))
    return cells


def _append(worksheet, values: list[Any]) -> None:
    worksheet.append(values)
    for cell in worksheet[worksheet.max_row]:
        if isinstance(cell.value, str):
            cell.number_format = "@"


def export_template(*, file: str | IO[bytes]) -> None:
    """Write an empty workbook with the headers and drop-down lists of the template."""
    new_workbook().save(file)


def published_versions_of(*, centre: Centre | None = None, codes: list[str] | None = None):
    """Published versions (of a centre's items, or of the items with `codes`), with the
    windows, materials and stage tasks the workbook holds, in code order."""
    versions = ServiceItemVersion.objects.filter(status=VersionStatus.PUBLISHED)
    if centre is not None:
        versions = versions.filter(item__centre=centre)
    if codes is not None:
        versions = versions.filter(item__implementation_code__in=codes)
    return (
        versions.select_related("item", "item__department")
        .prefetch_related("windows", "materials", "stage_tasks__department")
        .order_by("item__implementation_code")
    )


def export_catalog(*, centre: Centre, file: str | IO[bytes]) -> int:
    """Write the centre's published catalogue and bundles; returns the number of items.

    Drafts are not exported: the workbook is what the public sees.
    """
    workbook = new_workbook()
    count = 0
    for version in published_versions_of(centre=centre):
        count += 1
        code = version.item.implementation_code
        _append(workbook[SHEET_ITEMS], _item_row(version))
        for material in sorted(version.materials.all(), key=lambda m: (m.position, m.pk)):
            _append(
                workbook[SHEET_MATERIALS],
                [code]
                + [format_value(getattr(material, c.field), c) for c in MATERIAL_COLUMNS[1:]],
            )
        for task in sorted(version.stage_tasks.all(), key=lambda t: (t.stage, t.pk)):
            _append(
                workbook[SHEET_STAGES],
                [
                    code,
                    task.stage,
                    task.stage_name,
                    task.department.name,
                    task.limit_workdays,
                    format_value(task.deemed_consent_on_timeout, STAGE_COLUMNS[5]),
                ],
            )
    bundles = (
        Bundle.objects.filter(centre=centre).order_by("code").prefetch_related("bundle_items__item")
    )
    for bundle in bundles:
        codes = [bi.item.implementation_code for bi in bundle.bundle_items.all()]
        _append(
            workbook[SHEET_BUNDLES],
            [
                bundle.code,
                bundle.name,
                bundle.description,
                ",".join(codes),
                YES if bundle.is_published else NO,
            ],
        )
    workbook.save(file)
    return count
