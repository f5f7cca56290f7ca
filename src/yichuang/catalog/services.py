"""Actions on the catalogue: create an item, open a draft, edit it, publish it.

A published version is never edited. `item_draft_create` copies it (fields, windows,
materials, stage tasks) into a new draft; `item_version_publish` checks
`catalog.rules`, archives the version it replaces and publishes the draft, under a lock
on the item row so that two administrators publishing at once cannot both win.
`search_text` is rewritten by every action that may change a name, keywords or codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from yichuang.catalog import rules
from yichuang.catalog.errors import (
    CatalogInvalid,
    ItemCodeTaken,
    PublishRejected,
    VersionNotDraft,
)
from yichuang.catalog.models import (
    Material,
    ProcessStageTask,
    ServiceItem,
    ServiceItemVersion,
    VersionStatus,
)
from yichuang.catalog.search import search_text_for
from yichuang.common import clock
from yichuang.orgs.models import Centre, Department

# Fields a caller may set on a version; the rest (item, version, status, published_*,
# search_text, timestamps) belong to these services.
_NOT_EDITABLE = {
    "id",
    "item",
    "version",
    "status",
    "published_at",
    "published_by",
    "search_text",
    "created_at",
    "updated_at",
}
EDITABLE_FIELDS = frozenset(
    f.name for f in ServiceItemVersion._meta.concrete_fields if f.name not in _NOT_EDITABLE
)
_M2M_FIELDS = frozenset({"windows"})


def _actor_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _check_field_names(fields: Mapping[str, Any]) -> None:
    unknown = sorted(set(fields) - EDITABLE_FIELDS - _M2M_FIELDS)
    if unknown:
        raise CatalogInvalid(
            code="unknown_fields",
            message=_("不能设置这些字段：%(names)s") % {"names": "、".join(unknown)},
            details=[
                {"code": "unknown_field", "field": n, "message": _("未知字段")} for n in unknown
            ],
        )


def _clean(version: ServiceItemVersion) -> None:
    """Field-level validation (choices, lengths, required) as the admin form would do."""
    try:
        version.full_clean(
            exclude=["item", "version"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        details = [
            {"code": "invalid_field", "field": name, "message": str(message)}
            for name, messages in error.message_dict.items()
            for message in messages
        ]
        raise CatalogInvalid(
            code="invalid_fields",
            message="；".join(d["message"] for d in details) or _("事项信息有误"),
            field=details[0]["field"] if details else None,
            details=details,
        ) from error


def search_text_refresh(*, version: ServiceItemVersion) -> str:
    """Recompute and store the version's search text (name, keywords, codes, pinyin)."""
    item = version.item
    version.search_text = search_text_for(
        name=version.name,
        keywords=version.keywords,
        codes=[item.implementation_code, item.base_code, version.business_code],
    )
    if version.pk:
        ServiceItemVersion.objects.filter(pk=version.pk).update(search_text=version.search_text)
    return version.search_text


def _lock_item(item_id: int) -> ServiceItem:
    return ServiceItem.objects.select_for_update().get(pk=item_id)


def _lock_draft(version: ServiceItemVersion) -> None:
    """Lock the version's item; `VersionNotDraft` unless the version is still a draft."""
    _lock_item(version.item_id)
    status = ServiceItemVersion.objects.values_list("status", flat=True).get(pk=version.pk)
    if status != VersionStatus.DRAFT:
        raise VersionNotDraft()


# --- create -------------------------------------------------------------------------------


def check_item_department(*, centre: Centre, department: Department) -> None:
    """The implementing department of an item is stationed in the item's centre."""
    if department.centre_id != centre.pk:
        raise CatalogInvalid(
            code="department_other_centre",
            field="department",
            message=_("实施部门不属于该服务中心"),
        )


def item_create(
    *,
    centre: Centre,
    department: Department,
    implementation_code: str,
    base_code: str,
    actor: Any = None,
    **fields: Any,
) -> ServiceItemVersion:
    """Create a service item and its draft version 1 holding `fields`; returns the draft.

    The item is `draft.item`. The publish rules are not checked here (a draft may be
    incomplete) — only the field types are; `windows` may be given as a list of windows.
    """
    _check_field_names(fields)
    check_item_department(centre=centre, department=department)
    implementation_code = (implementation_code or "").strip()
    base_code = (base_code or "").strip()
    if not implementation_code or not base_code:
        raise CatalogInvalid(
            code="codes_required",
            field="implementation_code",
            message=_("请填写实施编码和基本编码"),
        )
    windows = fields.pop("windows", None)
    version = ServiceItemVersion(version=1, status=VersionStatus.DRAFT, **fields)
    _clean(version)
    if ServiceItem.objects.filter(implementation_code=implementation_code).exists():
        raise _code_taken(implementation_code)
    try:
        with transaction.atomic():
            item = ServiceItem.objects.create(
                centre=centre,
                department=department,
                implementation_code=implementation_code,
                base_code=base_code,
            )
            version.item = item
            version.search_text = ""
            version.save()
            if windows is not None:
                version.windows.set(windows)
            search_text_refresh(version=version)
    except IntegrityError as error:
        raise _code_taken(implementation_code) from error
    return version


def _code_taken(code: str) -> ItemCodeTaken:
    return ItemCodeTaken(
        code="item_code_taken",
        field="implementation_code",
        message=_("实施编码%(code)s已被其他事项使用") % {"code": code},
    )


# --- drafts -------------------------------------------------------------------------------


def _copy_version(source: ServiceItemVersion, *, number: int) -> ServiceItemVersion:
    draft = ServiceItemVersion(item_id=source.item_id, version=number, status=VersionStatus.DRAFT)
    for name in EDITABLE_FIELDS:
        setattr(draft, name, getattr(source, name))
    draft.search_text = source.search_text
    draft.save()
    draft.windows.set(source.windows.all())
    _copy_rows(Material, source.materials.all(), version=draft)
    _copy_rows(ProcessStageTask, source.stage_tasks.all(), version=draft)
    return draft


def _copy_rows(model, rows, *, version: ServiceItemVersion) -> None:
    """Copy child rows (every field but the id) onto `version`."""
    names = [f.attname for f in model._meta.concrete_fields if f.name not in ("id", "version")]
    model.objects.bulk_create(
        model(version=version, **{name: getattr(row, name) for name in names}) for row in rows
    )


def item_draft_create(*, item: ServiceItem, actor: Any = None) -> ServiceItemVersion:
    """The item's draft: the existing one, or a copy of the published (else latest) version.

    The copy takes every field, the windows, the materials (with their files) and the
    stage tasks, and gets the next version number.
    """
    with transaction.atomic():
        item = _lock_item(item.pk)
        existing = item.versions.filter(status=VersionStatus.DRAFT).first()
        if existing is not None:
            return existing
        source = (
            item.versions.filter(status=VersionStatus.PUBLISHED).first()
            or item.versions.order_by("-version").first()
        )
        if source is None:
            raise CatalogInvalid(
                code="item_has_no_version",
                message=_("该事项还没有任何版本，无法复制草稿"),
            )
        number = (item.versions.aggregate(n=Max("version"))["n"] or 0) + 1
        draft = _copy_version(source, number=number)
        search_text_refresh(version=draft)
    return draft


def item_version_update(
    *, version: ServiceItemVersion, actor: Any = None, **fields: Any
) -> ServiceItemVersion:
    """Set `fields` on a draft version (a published or archived one raises VersionNotDraft)."""
    _check_field_names(fields)
    windows = fields.pop("windows", None)
    with transaction.atomic():
        _lock_draft(version)
        for name, value in fields.items():
            setattr(version, name, value)
        _clean(version)
        version.save()
        if windows is not None:
            version.windows.set(windows)
        search_text_refresh(version=version)
    return version


def item_version_children_replace(
    *,
    version: ServiceItemVersion,
    materials: Iterable[Mapping[str, Any]] | None = None,
    tasks: Iterable[Mapping[str, Any]] | None = None,
    actor: Any = None,
) -> ServiceItemVersion:
    """Replace a draft's materials and/or stage tasks by rows of field values.

    `materials` rows take `Material` fields (name, required, pendable, source, form,
    copies …; `position` defaults to the row's place); `tasks` rows take
    `ProcessStageTask` fields (stage, stage_name, department, limit_workdays,
    deemed_consent_on_timeout). None leaves that list alone.
    """
    with transaction.atomic():
        _lock_draft(version)
        if materials is not None:
            version.materials.all().delete()
            Material.objects.bulk_create(
                Material(version=version, **{"position": position, **values})
                for position, values in enumerate(materials, start=1)
            )
        if tasks is not None:
            version.stage_tasks.all().delete()
            ProcessStageTask.objects.bulk_create(
                ProcessStageTask(version=version, **values) for values in tasks
            )
    return version


# --- publish ------------------------------------------------------------------------------


def version_violations(*, version: ServiceItemVersion) -> list[rules.Violation]:
    """The publish rules `version` breaks, read from the database."""
    item = version.item
    return rules.publish_violations(
        rules.Subject(
            version=version,
            implementation_code=item.implementation_code,
            base_code=item.base_code,
            materials=list(version.materials.all()),
            tasks=list(version.stage_tasks.all()),
        )
    )


def item_version_publish(*, version: ServiceItemVersion, actor: Any = None) -> ServiceItemVersion:
    """Publish a draft: check every rule, archive the published version, publish this one.

    Raises `PublishRejected` (code "publish_rules") with every violation in `details`, or
    `VersionNotDraft` when the version is no longer a draft (someone published it first).
    """
    with transaction.atomic():
        item = _lock_item(version.item_id)
        fresh = ServiceItemVersion.objects.get(pk=version.pk)
        if fresh.status != VersionStatus.DRAFT:
            raise VersionNotDraft(
                code="version_not_draft",
                message=_("该版本不是草稿（可能已被他人发布），不能发布"),
            )
        fresh.item = item
        violations = version_violations(version=fresh)
        if violations:
            raise PublishRejected(
                code="publish_rules",
                message=_("事项“%(name)s”不符合发布规则（%(n)d项）：%(list)s")
                % {
                    "name": fresh.name,
                    "n": len(violations),
                    "list": "；".join(v.message for v in violations),
                },
                details=[v.as_dict() for v in violations],
            )
        ServiceItemVersion.objects.filter(item=item, status=VersionStatus.PUBLISHED).update(
            status=VersionStatus.ARCHIVED, updated_at=clock.now()
        )
        fresh.status = VersionStatus.PUBLISHED
        fresh.published_at = clock.now()
        fresh.published_by = _actor_or_none(actor)
        search_text_refresh(version=fresh)
        fresh.save(
            update_fields=["status", "published_at", "published_by", "search_text", "updated_at"]
        )
    for name in ("status", "published_at", "published_by_id", "search_text", "updated_at"):
        setattr(version, name, getattr(fresh, name))
    return fresh
