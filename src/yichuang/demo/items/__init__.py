"""The demo catalogue: the service items of 巴林左旗政务服务中心 and their guides.

One module per department holds its items (`specs` holds the building blocks);
`ITEMS` lists them all, department by department.

Each `ItemSpec` becomes one service item with one published version (see
`demo.services.demo_item_apply`). Items refer to departments by their key in `demo.data`
and to the county centre's windows by number. Base codes are fictional and stable: they
are the items' natural keys, so never renumber one.

Limits are in working days unless a unit says otherwise. A stage's limit is the longest
of its parallel tasks; the stage limits of an item add up to at most its promised limit.
"""

from __future__ import annotations

from yichuang.demo.items import (
    civil_affairs,
    government_services,
    health,
    housing_construction,
    housing_fund,
    human_resources,
    market_regulation,
    medical_security,
    natural_resources,
    public_security,
    real_estate,
    taxation,
    transport,
)
from yichuang.demo.items.specs import ItemSpec, MaterialSpec, TaskSpec

__all__ = ["ITEMS", "ItemSpec", "MaterialSpec", "TaskSpec"]

ITEMS: tuple[ItemSpec, ...] = (
    *market_regulation.ITEMS,
    *taxation.ITEMS,
    *public_security.ITEMS,
    *real_estate.ITEMS,
    *housing_fund.ITEMS,
    *civil_affairs.ITEMS,
    *human_resources.ITEMS,
    *medical_security.ITEMS,
    *housing_construction.ITEMS,
    *natural_resources.ITEMS,
    *transport.ITEMS,
    *health.ITEMS,
    *government_services.ITEMS,
)
