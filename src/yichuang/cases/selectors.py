"""Queries of the case engine."""

from __future__ import annotations

from yichuang.cases.models import Case
from yichuang.catalog.models import Material, MaterialSource


def materials_missing(*, case: Case) -> list[Material]:
    """Required catalogue materials of the case's item not handed in yet.

    Materials obtainable by data sharing are never demanded (国务院令第716号), so they are
    never missing.
    """
    handed_in = case.materials.exclude(material=None).values_list("material_id", flat=True)
    return list(
        Material.objects.filter(version_id=case.item_version_id, required=True)
        .exclude(source=MaterialSource.DATA_SHARING)
        .exclude(pk__in=handed_in)
        .order_by("position", "id")
    )
