"""Publish rules of a service item version (RULES.md §1, §3, §4). Pure: no database.

`publish_violations` runs every check and returns every violation at once, so that the
administrator (or an Excel import) sees the whole list in one go. Each violation has a
machine `code`, the `field` it concerns and a Chinese `message`.

The checks, and why:

- Identity (§3): name, item type, level and at least one service object are required; the
  implementation code is 31 characters whose first 18 are a valid USCC (GB 32100, letter
  prefixes allowed; only the embedded USCC is validated, the rest is an opaque string);
  the base code is 12 characters.
- Consistency rules of the provincial checkers (§3): 全程网办 ⇒ 0 trips and online
  acceptance and handling (depth levels 4 and 5); 0 trips without 全程网办 ⇒ post or courier
  must be offered; a fee ⇒ its basis and standard.
- Time limits (§1): the promised limit may not exceed the statutory one (compared when both
  are in the same unit); an immediate item (即办件) has promised limit 0, a promised item
  (承诺件) at least 1.
- Process template: stages numbered 1, 2, 3 … with one name each; a department at most
  once per stage; the stage limits (the longest task of each stage) add up to at most the
  promised limit (for a limit in natural days too: N working days never fit in fewer than
  N natural days); an immediate item has no stage longer than 0 days; a promised item
  names at least one stage; 超时默认 only in a stage that several departments review in
  parallel (§1: it is a pilot for inter-department joint review only).
- Materials (§4): items handled on application (licence, payment, confirmation,
  adjudication, reward) list at least one material, the others (ex officio powers, public
  services) may list none; names are unique; a pendable material (容缺) is a required one
  the applicant supplies (a data-sharing material is never demanded, so it cannot be
  pending), and at least one required material the applicant supplies stays non-pendable
  (the key materials must be present); a paper material asks for at least one copy.
  Materials obtainable by data sharing are listed as 免提交 and never asked for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from yichuang.catalog.models import (
    HandlingKind,
    ItemType,
    Level,
    LimitUnit,
    MaterialForm,
    MaterialSource,
    OnlineDepth,
    depth_mask,
)
from yichuang.identity.validation import check_uscc

IMPLEMENTATION_CODE_LENGTH = 31
BASE_CODE_LENGTH = 12

# Item types handled on application (依申请): the applicant hands in something.
APPLICATION_ITEM_TYPES = frozenset(
    {
        ItemType.LICENCE,
        ItemType.PAYMENT,
        ItemType.CONFIRMATION,
        ItemType.ADJUDICATION,
        ItemType.REWARD,
    }
)
PAPER_FORMS = frozenset({MaterialForm.ORIGINAL, MaterialForm.COPY, MaterialForm.ORIGINAL_AND_COPY})
FULLY_ONLINE_DEPTH = depth_mask([OnlineDepth.ONLINE_ACCEPTANCE, OnlineDepth.ONLINE_HANDLING])
ALL_DEPTH = depth_mask(OnlineDepth.values)


@dataclass(frozen=True)
class Violation:
    code: str
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "field": self.field, "message": self.message}


@dataclass(frozen=True)
class Subject:
    """What the rules look at: the version's fields, its item's codes and its children.

    `version` needs the attributes of `ServiceItemVersion`; `materials` those of
    `Material`; `tasks` those of `ProcessStageTask` (`department_id` rather than the
    department). Unsaved model instances or any simple objects will do.
    """

    version: Any
    implementation_code: str
    base_code: str
    materials: Sequence[Any] = ()
    tasks: Sequence[Any] = ()


Check = Callable[[Subject], Iterator[Violation]]


# --- identity -----------------------------------------------------------------------------


def check_identity(s: Subject) -> Iterator[Violation]:
    v = s.version
    if not (v.name or "").strip():
        yield Violation("name_required", "name", _("请填写事项名称"))
    if v.item_type not in ItemType.values:
        yield Violation("item_type_invalid", "item_type", _("请选择有效的事项类型"))
    if v.level not in Level.values:
        yield Violation("level_invalid", "level", _("请选择有效的行使层级"))
    if not (v.for_natural_persons or v.for_legal_persons):
        yield Violation(
            "service_object_required",
            "for_natural_persons",
            _("请至少选择一类服务对象（自然人或法人）"),
        )
    if not (v.handled_at_window or v.handled_online or v.handled_by_post):
        yield Violation(
            "handling_form_required",
            "handled_at_window",
            _("请至少选择一种办理形式（窗口办理、网上办理或快递申请）"),
        )


def implementation_code_problem(code: str) -> str | None:
    """Why `code` is not an implementation code (31 characters, a valid USCC first), or None."""
    code = code or ""
    if len(code) != IMPLEMENTATION_CODE_LENGTH:
        return _(
            "实施编码应为31位（实施主体统一社会信用代码18位＋层级1位＋基本编码12位），当前为%(n)d位"
        ) % {"n": len(code)}
    uscc = code[:18]
    result = check_uscc(uscc)
    if not result.valid or result.normalized != uscc:
        return _("实施编码前18位应为实施主体的统一社会信用代码：%(reason)s") % {
            "reason": result.message if not result.valid else _("应使用大写字母")
        }
    return None


def check_codes(s: Subject) -> Iterator[Violation]:
    problem = implementation_code_problem(s.implementation_code)
    if problem:
        yield Violation("implementation_code_invalid", "implementation_code", problem)
    if len(s.base_code or "") != BASE_CODE_LENGTH:
        yield Violation(
            "base_code_invalid",
            "base_code",
            _("基本编码应为12位，当前为%(n)d位") % {"n": len(s.base_code or "")},
        )


# --- trips, online, fees ------------------------------------------------------------------


def check_trips_and_online(s: Subject) -> Iterator[Violation]:
    v = s.version
    if v.online_depth < 0 or v.online_depth & ~ALL_DEPTH:
        yield Violation("online_depth_invalid", "online_depth", _("网办深度只能取1至8级"))
    if v.fully_online:
        if v.trips != 0:
            yield Violation("fully_online_trips", "trips", _("全程网办的事项到办事现场次数应为0次"))
        if not v.handled_online:
            yield Violation(
                "fully_online_not_online",
                "handled_online",
                _("全程网办的事项须支持网上办理"),
            )
        if v.online_depth & FULLY_ONLINE_DEPTH != FULLY_ONLINE_DEPTH:
            yield Violation(
                "fully_online_depth",
                "online_depth",
                _("全程网办的事项网办深度须包含“网上受理”（4级）和“网上办理”（5级）"),
            )
    elif v.trips == 0 and not (v.courier_delivery or v.handled_by_post):
        yield Violation(
            "zero_trips_needs_post",
            "courier_delivery",
            _("零跑动但非全程网办的事项须提供快递申请或物流快递送达"),
        )


def check_fees(s: Subject) -> Iterator[Violation]:
    v = s.version
    if not v.fee_charged:
        return
    if not (v.fee_basis or "").strip():
        yield Violation("fee_basis_required", "fee_basis", _("收费事项须填写收费依据"))
    if not (v.fee_standard or "").strip():
        yield Violation("fee_standard_required", "fee_standard", _("收费事项须填写收费标准"))


# --- time limits --------------------------------------------------------------------------


def _unit_label(unit: str) -> str:
    return str(LimitUnit(unit).label) if unit in LimitUnit.values else ""


def check_limits(s: Subject) -> Iterator[Violation]:
    v = s.version
    if v.handling_kind == HandlingKind.IMMEDIATE and v.promised_limit != 0:
        yield Violation(
            "immediate_promised_limit",
            "promised_limit",
            _("即办件当场办结，承诺办结时限应为0"),
        )
    if v.handling_kind == HandlingKind.PROMISED and v.promised_limit < 1:
        yield Violation(
            "promised_limit_required",
            "promised_limit",
            _("承诺件的承诺办结时限至少为1个工作日；当场办结的请设为即办件"),
        )
    if v.handling_kind not in HandlingKind.values:
        yield Violation("handling_kind_invalid", "handling_kind", _("请选择即办件或承诺件"))
    same_unit = v.promised_limit_unit == v.statutory_limit_unit
    if same_unit and v.promised_limit > v.statutory_limit:
        unit = _unit_label(v.statutory_limit_unit)
        yield Violation(
            "promised_exceeds_statutory",
            "promised_limit",
            _(
                "承诺办结时限（%(promised)d%(unit)s）不得超过法定办结时限（%(statutory)d%(unit)s）"
                "；行政许可法定时限一般为20个工作日，联合办理为45个工作日"
            )
            % {"promised": v.promised_limit, "statutory": v.statutory_limit, "unit": unit},
        )


# --- process stages -----------------------------------------------------------------------


@dataclass(frozen=True)
class StageSummary:
    number: int
    names: frozenset[str]
    departments: tuple[Any, ...]
    limit: int
    deemed_consent: bool


def summarise_stages(tasks: Iterable[Any]) -> list[StageSummary]:
    """Tasks grouped by stage number, in order; a stage's limit is its longest task."""
    grouped: dict[int, list[Any]] = defaultdict(list)
    for task in tasks:
        grouped[task.stage].append(task)
    return [
        StageSummary(
            number=number,
            names=frozenset((t.stage_name or "").strip() for t in rows),
            departments=tuple(t.department_id for t in rows),
            limit=max(t.limit_workdays for t in rows),
            deemed_consent=any(t.deemed_consent_on_timeout for t in rows),
        )
        for number, rows in sorted(grouped.items())
    ]


def check_stages(s: Subject) -> Iterator[Violation]:
    v = s.version
    stages = summarise_stages(s.tasks)
    numbers = [stage.number for stage in stages]
    if numbers != list(range(1, len(numbers) + 1)):
        yield Violation(
            "stage_numbers",
            "stages",
            _("流程环节序号应从1开始连续编号，当前为：%(numbers)s")
            % {"numbers": "、".join(str(n) for n in numbers)},
        )
    for stage in stages:
        if "" in stage.names:
            yield Violation(
                "stage_name_required",
                "stages",
                _("第%(n)d环节缺少环节名称") % {"n": stage.number},
            )
        elif len(stage.names) > 1:
            yield Violation(
                "stage_name_inconsistent",
                "stages",
                _("第%(n)d环节的并联部门使用了不同的环节名称：%(names)s")
                % {"n": stage.number, "names": "、".join(sorted(stage.names))},
            )
        if len(set(stage.departments)) != len(stage.departments):
            yield Violation(
                "stage_department_duplicate",
                "stages",
                _("第%(n)d环节中同一部门出现了多次") % {"n": stage.number},
            )
        if stage.deemed_consent and len(set(stage.departments)) < 2:
            yield Violation(
                "deemed_consent_needs_parallel",
                "stages",
                _("第%(n)d环节只有一个部门；超时默认同意仅适用于多部门并联审批的环节")
                % {"n": stage.number},
            )
    if v.handling_kind == HandlingKind.IMMEDIATE:
        if any(stage.limit > 0 for stage in stages):
            yield Violation(
                "immediate_stage_limit",
                "stages",
                _("即办件当场办结，流程环节时限应为0个工作日"),
            )
        return
    if not stages:
        yield Violation(
            "stages_required", "stages", _("承诺件须至少设置一个审批环节（部门及时限）")
        )
        return
    total = sum(stage.limit for stage in stages)
    if total > v.promised_limit:
        yield Violation(
            "stage_limits_exceed_promised",
            "stages",
            _("各环节时限之和（%(total)d个工作日，并联环节取最长）超过承诺办结时限（%(promised)d）")
            % {"total": total, "promised": v.promised_limit},
        )


# --- materials ----------------------------------------------------------------------------


def check_materials(s: Subject) -> Iterator[Violation]:
    v = s.version
    materials = list(s.materials)
    if not materials and v.item_type in APPLICATION_ITEM_TYPES:
        yield Violation(
            "materials_required",
            "materials",
            _("依申请办理的事项（%(type)s）须列明至少一项申请材料")
            % {"type": ItemType(v.item_type).label},
        )
    seen: set[str] = set()
    for m in materials:
        name = (m.name or "").strip()
        if not name:
            yield Violation("material_name_required", "materials", _("申请材料须填写名称"))
            continue
        if name in seen:
            yield Violation(
                "material_name_duplicate",
                "materials",
                _("申请材料“%(name)s”重复列出") % {"name": name},
            )
        seen.add(name)
        shared = m.source == MaterialSource.DATA_SHARING
        if m.pendable and not m.required:
            yield Violation(
                "pendable_not_required",
                "materials",
                _("材料“%(name)s”为非必要材料，无需设为可容缺") % {"name": name},
            )
        if m.pendable and shared:
            yield Violation(
                "pendable_data_sharing",
                "materials",
                _("材料“%(name)s”通过数据共享获取（免提交），不能设为可容缺") % {"name": name},
            )
        if m.form in PAPER_FORMS and not shared and m.copies < 1:
            yield Violation(
                "material_copies",
                "materials",
                _("纸质材料“%(name)s”的份数至少为1") % {"name": name},
            )
    demanded = [m for m in materials if m.required and m.source != MaterialSource.DATA_SHARING]
    if demanded and all(m.pendable for m in demanded):
        yield Violation(
            "all_materials_pendable",
            "materials",
            _("必要材料不能全部设为可容缺：容缺受理时主要材料须齐全"),
        )


CHECKS: tuple[Check, ...] = (
    check_identity,
    check_codes,
    check_trips_and_online,
    check_fees,
    check_limits,
    check_stages,
    check_materials,
)


def publish_violations(subject: Subject) -> list[Violation]:
    """Every rule the subject breaks, in the order of `CHECKS`; empty when it may be published."""
    return [violation for check in CHECKS for violation in check(subject)]
