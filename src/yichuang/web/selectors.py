"""Read-only queries of the public portal, built on the catalogue and orgs selectors.

The portal shows only published versions (`catalog.selectors.published_versions`) and
public centres (`orgs.selectors.centres_public`). Views call these functions and never
the models' managers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Length

from yichuang.catalog import selectors as catalog_selectors
from yichuang.catalog.models import Bundle, HandlingKind, ServiceItemVersion, VersionStatus
from yichuang.orgs import selectors as orgs_selectors
from yichuang.orgs.models import Centre, Department


@dataclass(frozen=True)
class ItemFilters:
    """The portal's item filters, already validated (see `web.forms.ItemFilterForm`)."""

    q: str = ""
    department_id: int | None = None
    item_type: str | None = None
    online_depth: int | None = None
    service_object: str | None = None  # "natural" | "legal"
    handling_kind: str | None = None
    fully_online: bool = False
    trips: int | None = None


def portal_centre() -> Centre | None:
    """The centre the portal presents.

    `YICHUANG["PORTAL_CENTRE"]` (a centre code) when set; else the highest public centre that
    publishes items itself (a county centre under a city centre that only supervises), else
    the first public centre.
    """
    public = orgs_selectors.centres_public()
    code = settings.YICHUANG.get("PORTAL_CENTRE")
    if code:
        chosen = public.filter(code=code).first()
        if chosen is not None:
            return chosen
    publishing = public.filter(items__versions__status=VersionStatus.PUBLISHED).distinct()
    return publishing.order_by(Length("path"), "path").first() or public.first()


def portal_item_search(*, filters: ItemFilters) -> QuerySet[ServiceItemVersion]:
    """Published versions matching the filters, with what a result row shows joined."""
    versions = catalog_selectors.item_search(
        q=filters.q,
        department_id=filters.department_id,
        item_type=filters.item_type,
        online_depth=filters.online_depth,
        for_legal_persons=True if filters.service_object == "legal" else None,
    )
    if filters.service_object == "natural":
        versions = versions.filter(for_natural_persons=True)
    if filters.handling_kind:
        versions = versions.filter(handling_kind=filters.handling_kind)
    if filters.fully_online:
        versions = versions.filter(fully_online=True)
    if filters.trips is not None:
        versions = versions.filter(trips=filters.trips)
    return versions.select_related("item__department")


def portal_counts() -> dict[str, int]:
    """Headline figures of the published catalogue, in one query."""
    return catalog_selectors.published_versions().aggregate(
        items=Count("pk"),
        fully_online=Count("pk", filter=Q(fully_online=True)),
        immediate=Count("pk", filter=Q(handling_kind=HandlingKind.IMMEDIATE)),
        zero_trips=Count("pk", filter=Q(trips=0)),
        natural=Count("pk", filter=Q(for_natural_persons=True)),
        legal=Count("pk", filter=Q(for_legal_persons=True)),
    )


def departments_with_items() -> list[Department]:
    """Departments that implement at least one published item, with `item_count`."""
    published = catalog_selectors.published_versions().values("item_id")
    return list(
        catalog_selectors.departments_with_published_items()
        .annotate(item_count=Count("items", filter=Q(items__id__in=published), distinct=True))
        .order_by("-item_count", "name")
    )


def bundles_published(*, centre: Centre | None = None) -> list[Bundle]:
    """Published bundles (of `centre`, else all); `item_count` counts their items."""
    bundles = list(catalog_selectors.bundles_published(centre=centre))
    for bundle in bundles:
        bundle.item_count = len(bundle.bundle_items.all())
    return bundles


def bundle_get_published(*, code: str) -> tuple[Bundle, list[ServiceItemVersion]]:
    """A published bundle by code and the published versions of its items, in bundle order.

    Raises `catalog.errors.BundleNotFound`.
    """
    bundle = catalog_selectors.bundle_get_published(code=code)
    return bundle, catalog_selectors.bundle_versions(bundle=bundle)
