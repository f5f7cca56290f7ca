"""The building blocks of the demo items.

The spec types, short constructors, the online depth sets and the materials many items share.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yichuang.catalog.models import (
    CrossRegionScope,
    MaterialForm,
    MaterialSource,
    ResultType,
)

# Online depth sets (RULES.md §3: 1 consultation … 7 e-certificate result).
CONSULT = (1,)
PRE_REVIEW = (1, 2, 3)
ACCEPT = (1, 2, 3, 4)
HANDLE = (1, 2, 3, 4, 5, 6)
FULL = (1, 2, 3, 4, 5, 6, 7)


@dataclass(frozen=True)
class MaterialSpec:
    name: str
    required: bool = True
    pendable: bool = False
    source: str = MaterialSource.APPLICANT
    form: str = MaterialForm.ORIGINAL
    copies: int = 1
    issuing_body: str = ""
    note: str = ""


@dataclass(frozen=True)
class TaskSpec:
    """One department's part of a stage; tasks sharing `stage` run in parallel."""

    stage: int
    name: str
    department: str
    limit: int


@dataclass(frozen=True)
class ItemSpec:
    department: str
    base_code: str
    name: str
    item_type: str
    statutory_limit: int
    promised_limit: int
    trips: int
    depth: tuple[int, ...]
    materials: tuple[MaterialSpec, ...]
    tasks: tuple[TaskSpec, ...]
    result_name: str
    result_type: str = ResultType.OTHER
    windows: tuple[int, ...] | None = None  # None: comprehensive + the department's + result
    legal_basis: str = ""
    conditions: str = ""
    keywords: str = ""
    for_natural_persons: bool = True
    for_legal_persons: bool = False
    fully_online: bool = False
    handled_by_post: bool = False
    booking_supported: bool = True
    kiosk_handling: bool = False
    courier_delivery: bool = False
    online_payment: bool = False
    cross_region_scope: str = CrossRegionScope.NONE
    fee_basis: str = ""
    fee_standard: str = ""
    fee_waiver: str = ""
    statutory_limit_note: str = ""
    promised_limit_note: str = ""
    special_procedures: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def immediate(self) -> bool:
        return self.promised_limit == 0


def m(name: str, **kwargs) -> MaterialSpec:
    return MaterialSpec(name=name, **kwargs)


def shared(name: str, issuing_body: str, note: str = "") -> MaterialSpec:
    """A material the platform obtains by data sharing (免提交, 国务院令第716号)."""
    return MaterialSpec(
        name=name,
        source=MaterialSource.DATA_SHARING,
        form=MaterialForm.ELECTRONIC,
        issuing_body=issuing_body,
        note=note or "通过数据共享获取，申请人免于提交",
    )


def t(stage: int, name: str, department: str, limit: int) -> TaskSpec:
    return TaskSpec(stage=stage, name=name, department=department, limit=limit)


ID_CARD = shared("居民身份证", "公安机关")
LICENCE = shared("营业执照", "市场监督管理部门")
ATTORNEY = m("授权委托书及受托人身份证明", required=False, note="委托他人办理时提供")
HOUSEHOLD = m("居民户口簿", form=MaterialForm.ORIGINAL_AND_COPY)
MARRIAGE = shared("结婚证", "婚姻登记机关", "婚姻登记信息通过数据共享核验，免提交")
