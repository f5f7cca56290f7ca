"""Exporting the published catalogue, and the blank template."""

from __future__ import annotations

from typing import IO, Any

from yichuang.catalog.excel.columns import (
    ITEM_COLUMNS,
    MATERIAL_COLUMNS,
    NO,
    SHEET_BUNDLES,
    SHEET_ITEMS,
    SHEET_MATERIALS,
    SHEET_STAGES,
    STAGE_COLUMNS,
    YES,
    Column,
    format_value,
    new_workbook,
)
from yichuang.catalog.models import (
    Bundle,
    ServiceItemVersion,
    VersionStatus,
)
from yichuang.orgs.models import Centre


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


def _child_row(code: str, row: Any, columns: tuple[Column, ...]) -> list[Any]:
    """A material or stage task row: the item's code, then the sheet's other columns."""
    return [code] + [format_value(getattr(row, c.field), c) for c in columns[1:]]


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
            _append(workbook[SHEET_MATERIALS], _child_row(code, material, MATERIAL_COLUMNS))
        for task in sorted(version.stage_tasks.all(), key=lambda t: (t.stage, t.pk)):
            _append(workbook[SHEET_STAGES], _child_row(code, task, STAGE_COLUMNS))
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
