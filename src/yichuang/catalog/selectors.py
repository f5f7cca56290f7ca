"""Queries of the catalogue. The public sees only published versions.

`item_search` matches the Chinese name, keywords, codes, full pinyin and pinyin initials
(`ServiceItemVersion.search_text`, written by `catalog.services`); every blank-separated
term of the query must match. Results whose name or code matches come first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When

from yichuang.catalog.errors import BundleNotFound, ItemNotFound
from yichuang.catalog.models import (
    Bundle,
    BundleItem,
    Material,
    ProcessStageTask,
    ServiceItemVersion,
    VersionStatus,
)
from yichuang.catalog.search import normalize, query_terms, strip_controls
from yichuang.orgs.models import Centre, Department, Window


def published_versions(*, centre: Centre | None = None) -> QuerySet[ServiceItemVersion]:
    """Published versions (of `centre`'s items, else of every centre), item and body joined."""
    versions = ServiceItemVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related(
        "item", "item__department", "item__centre"
    )
    if centre is not None:
        versions = versions.filter(item__centre=centre)
    return versions


def _term_filter(term: str) -> Q:
    return (
        Q(search_text__contains=term)
        | Q(name__icontains=term)
        | Q(keywords__icontains=term)
        | Q(item__implementation_code__iexact=term)
        | Q(item__base_code__iexact=term)
    )


def item_search(
    *,
    q: str = "",
    centre: Centre | None = None,
    department_id: int | None = None,
    item_type: str | None = None,
    online_depth: int | None = None,
    for_legal_persons: bool | None = None,
) -> QuerySet[ServiceItemVersion]:
    """Published versions matching the query and filters, best matches first.

    `online_depth=N` keeps items whose depth includes level N. Ordered by relevance (code
    or name match, then keyword or pinyin match), then name and implementation code.
    """
    versions = published_versions(centre=centre)
    if department_id is not None:
        versions = versions.filter(item__department_id=department_id)
    if item_type:
        versions = versions.filter(item_type=item_type)
    if online_depth is not None:
        if not 1 <= online_depth <= 8:
            return versions.none()
        bit = 1 << (online_depth - 1)
        versions = versions.alias(depth_bit=F("online_depth").bitand(bit)).filter(depth_bit=bit)
    if for_legal_persons is not None:
        versions = versions.filter(for_legal_persons=for_legal_persons)
    terms = query_terms(q)
    for term in terms:
        versions = versions.filter(_term_filter(term))
    if terms:
        whole = normalize(q).strip()
        versions = versions.annotate(
            relevance=Case(
                When(
                    Q(item__implementation_code__iexact=whole) | Q(item__base_code__iexact=whole),
                    then=Value(0),
                ),
                When(name__icontains=whole, then=Value(1)),
                When(search_text__startswith=whole, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        ).order_by("relevance", "name", "item__implementation_code")
    else:
        versions = versions.order_by("name", "item__implementation_code")
    return versions


def item_get_published(*, code: str) -> ServiceItemVersion:
    """The published version of the item with implementation code `code`, with its guide.

    Materials, stage tasks (with departments) and windows are prefetched. Raises
    `ItemNotFound` when there is no such item or it has no published version.
    """
    version = (
        published_versions()
        .filter(item__implementation_code=strip_controls(code))
        .prefetch_related(
            Prefetch("materials", queryset=Material.objects.order_by("position", "id")),
            Prefetch(
                "stage_tasks",
                queryset=ProcessStageTask.objects.select_related("department").order_by(
                    "stage", "id"
                ),
            ),
            Prefetch("windows", queryset=Window.objects.order_by("number")),
        )
        .first()
    )
    if version is None:
        raise ItemNotFound()
    return version


@dataclass(frozen=True)
class StageTask:
    department: Department
    limit_workdays: int
    deemed_consent: bool


@dataclass(frozen=True)
class Stage:
    """One stage of a process template: departments reviewing in parallel."""

    number: int
    name: str
    tasks: list[StageTask] = field(default_factory=list)

    @property
    def limit(self) -> int:
        """A stage takes as long as its slowest task."""
        return max((t.limit_workdays for t in self.tasks), default=0)

    @property
    def parallel(self) -> bool:
        return len(self.tasks) > 1


def stages_of(version: ServiceItemVersion) -> list[Stage]:
    """The version's stage tasks grouped into ordered stages (uses prefetched rows)."""
    stages: dict[int, Stage] = {}
    tasks = sorted(version.stage_tasks.all(), key=lambda t: (t.stage, t.pk or 0))
    for task in tasks:
        stage = stages.setdefault(task.stage, Stage(number=task.stage, name=task.stage_name))
        stage.tasks.append(
            StageTask(
                department=task.department,
                limit_workdays=task.limit_workdays,
                deemed_consent=task.deemed_consent_on_timeout,
            )
        )
    return list(stages.values())


# --- bundles ------------------------------------------------------------------------------


def bundles_published(*, centre: Centre | None = None) -> QuerySet[Bundle]:
    """Published bundles with their items (in bundle order) prefetched."""
    bundles = Bundle.objects.filter(is_published=True).select_related("centre")
    if centre is not None:
        bundles = bundles.filter(centre=centre)
    return bundles.prefetch_related(
        Prefetch(
            "bundle_items",
            queryset=BundleItem.objects.select_related("item").order_by("position", "id"),
        )
    ).order_by("name", "code")


def bundle_get_published(*, code: str) -> Bundle:
    """A published bundle by code (the top-most centre's when several share it)."""
    bundle = bundles_published().filter(code=strip_controls(code)).order_by("centre__path").first()
    if bundle is None:
        raise BundleNotFound()
    return bundle


def bundle_versions(*, bundle: Bundle) -> list[ServiceItemVersion]:
    """The published versions of a bundle's items, in bundle order; unpublished ones left out."""
    positions = {row.item_id: index for index, row in enumerate(bundle.bundle_items.all())}
    versions = published_versions().filter(item_id__in=positions)
    return sorted(versions, key=lambda v: positions[v.item_id])


def published_names(*, item_ids) -> dict[int, str]:
    """Names of the published versions of the given items, by item id (one query)."""
    return dict(
        ServiceItemVersion.objects.filter(
            status=VersionStatus.PUBLISHED, item_id__in=list(item_ids)
        ).values_list("item_id", "name")
    )


def departments_with_published_items(*, centre: Centre | None = None) -> QuerySet[Department]:
    """Active departments implementing at least one published item (portal filter values)."""
    items = published_versions(centre=centre).values("item_id")
    return (
        Department.objects.filter(is_active=True, items__id__in=items)
        .distinct()
        .select_related("centre")
        .order_by("centre__path", "name")
    )
