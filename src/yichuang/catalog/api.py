"""Public read API of the catalogue at /api/v1/catalog: items, guides, bundles, departments.

Only published versions are visible. Handlers parse, call one selector and render.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from yichuang.catalog import schemas, selectors
from yichuang.catalog.schemas import (
    BundleOut,
    DepartmentOut,
    ItemFilters,
    ItemGuideOut,
    ItemPageOut,
)
from yichuang.common.schemas import ErrorOut

router = Router(tags=["事项目录"])


@router.get("/items", response={200: ItemPageOut, 422: ErrorOut}, summary="事项列表与检索")
def list_items(request: HttpRequest, filters: Query[ItemFilters]):
    """Published items matching `q` (Chinese, keywords, codes, pinyin, initials) and filters."""
    versions = selectors.item_search(
        q=filters.q,
        department_id=filters.department,
        item_type=filters.item_type,
        online_depth=filters.online_depth,
    )
    start = (filters.page - 1) * filters.page_size
    page = list(versions[start : start + filters.page_size])
    return {
        "count": versions.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [schemas.item_summary(v) for v in page],
    }


@router.get("/items/{code}", response={200: ItemGuideOut, 404: ErrorOut}, summary="事项办事指南")
def get_item(request: HttpRequest, code: str):
    """The full guide of the published version of the item with implementation code `code`."""
    version = selectors.item_get_published(code=code)
    return schemas.item_guide(version, stages=selectors.stages_of(version))


@router.get("/bundles", response=list[BundleOut], summary="一件事列表")
def list_bundles(request: HttpRequest):
    bundles = list(selectors.bundles_published())
    names = selectors.published_names(
        item_ids={row.item_id for b in bundles for row in b.bundle_items.all()}
    )
    return [schemas.bundle_out(b, names=names) for b in bundles]


@router.get("/bundles/{code}", response={200: BundleOut, 404: ErrorOut}, summary="一件事详情")
def get_bundle(request: HttpRequest, code: str):
    bundle = selectors.bundle_get_published(code=code)
    names = selectors.published_names(item_ids=[row.item_id for row in bundle.bundle_items.all()])
    return schemas.bundle_out(bundle, names=names)


@router.get("/departments", response=list[DepartmentOut], summary="有已发布事项的部门")
def list_departments(request: HttpRequest):
    """Filter values for the item list: departments with at least one published item."""
    return [
        {"id": d.pk, "name": d.name, "short_name": d.short_name}
        for d in selectors.departments_with_published_items()
    ]
