"""Demo items of 政务服务局."""

from __future__ import annotations

from yichuang.catalog.models import (
    ItemType,
    MaterialForm,
    ResultType,
)
from yichuang.demo.items.specs import (
    FULL,
    LICENCE,
    ItemSpec,
    m,
    shared,
    t,
)

ITEMS: tuple[ItemSpec, ...] = (
    ItemSpec(
        "zwfw",
        "001320001000",
        "企业银行开户预约（开户信息推送）",
        ItemType.PUBLIC_SERVICE,
        1,
        0,
        0,
        FULL,
        (
            LICENCE,
            shared("法定代表人居民身份证", "公安机关"),
            m("银行开户预约信息表（选择开户银行和网点）", form=MaterialForm.ELECTRONIC),
        ),
        (t(1, "信息推送", "zwfw", 0),),
        "银行开户预约回执",
        ResultType.OTHER,
        windows=(1, 2, 3, 4, 5, 6),
        legal_basis="《优化营商环境条例》第十九条",
        keywords="银行开户 基本户 开办企业",
        for_legal_persons=True,
        for_natural_persons=False,
        fully_online=True,
        promised_limit_note="信息实时推送至所选银行网点，银行1个工作日内联系企业",
    ),
)
