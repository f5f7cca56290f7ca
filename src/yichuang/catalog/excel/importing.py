"""Importing a catalogue workbook, all or nothing, through the catalogue services."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from yichuang.catalog import rules, services
from yichuang.catalog.excel.columns import (
    SHEET_ITEMS,
    SHEET_MATERIALS,
    SHEET_STAGES,
    SHEETS,
    Lookups,
    header_for_field,
)
from yichuang.catalog.excel.exporting import published_versions_of
from yichuang.catalog.excel.reading import (
    BundleData,
    ImportFileInvalid,
    ItemData,
    Reader,
    RowError,
    attach_children,
    open_workbook,
    parse_bundles,
    parse_items,
    version_content,
)
from yichuang.catalog.models import (
    Bundle,
    BundleItem,
    Material,
    ProcessStageTask,
    ServiceItem,
    ServiceItemVersion,
)
from yichuang.common.errors import DomainError
from yichuang.orgs.models import Centre

Progress = Callable[[str, int, int], None]


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


# --- import ---------------------------------------------------------------------------------


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
    workbook = open_workbook(file)
    try:
        reader = Reader(workbook, Lookups.for_centre(centre))
        items = parse_items(reader, centre)
        attach_children(reader, items)
        bundles = parse_bundles(reader, centre)
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


def _check_rules(reader: Reader, data: ItemData) -> None:
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
