"""Publish rules, one row per rule: a valid item with one change breaks exactly that rule."""

from types import SimpleNamespace

import pytest

from yichuang.catalog import rules
from yichuang.catalog.models import depth_mask
from yichuang.orgs.tests.factories import valid_uscc

USCC = valid_uscc(7)
LETTER_USCC = valid_uscc(8, prefix="A1150422")
IMPLEMENTATION_CODE = f"{USCC}4000101001000"


def version(**overrides):
    values = {
        "name": "食品经营许可",
        "item_type": "licence",
        "level": "county",
        "for_natural_persons": True,
        "for_legal_persons": False,
        "handled_at_window": True,
        "handled_online": False,
        "handled_by_post": False,
        "handling_kind": "promised",
        "statutory_limit": 20,
        "statutory_limit_unit": "working_day",
        "promised_limit": 5,
        "promised_limit_unit": "working_day",
        "trips": 1,
        "fully_online": False,
        "courier_delivery": False,
        "online_depth": depth_mask([1, 2]),
        "fee_charged": False,
        "fee_basis": "",
        "fee_standard": "",
    }
    values.update(overrides)
    return SimpleNamespace(**values)


def material(name="申请书", **overrides):
    values = {
        "name": name,
        "required": True,
        "pendable": False,
        "source": "applicant",
        "form": "original",
        "copies": 1,
    }
    values.update(overrides)
    return SimpleNamespace(**values)


def task(stage=1, department_id=1, limit=3, name="审查", deemed=False):
    return SimpleNamespace(
        stage=stage,
        stage_name=name,
        department_id=department_id,
        limit_workdays=limit,
        deemed_consent_on_timeout=deemed,
    )


def subject(*, materials=None, tasks=None, code=IMPLEMENTATION_CODE, base="000101001000", **v):
    return rules.Subject(
        version=version(**v),
        implementation_code=code,
        base_code=base,
        materials=[material()] if materials is None else materials,
        tasks=[task()] if tasks is None else tasks,
    )


def violation_codes(s):
    return [v.code for v in rules.publish_violations(s)]


VALID = [
    ("baseline", subject()),
    ("letter-prefixed USCC in the code", subject(code=f"{LETTER_USCC}4000101001000")),
    (
        "fully online with depth 4 and 5",
        subject(
            fully_online=True,
            trips=0,
            handled_online=True,
            online_depth=depth_mask([1, 2, 3, 4, 5, 6]),
        ),
    ),
    ("zero trips with post", subject(trips=0, handled_by_post=True)),
    ("zero trips with courier delivery", subject(trips=0, courier_delivery=True)),
    ("fee with basis and standard", subject(fee_charged=True, fee_basis="法", fee_standard="10元")),
    ("promised equals statutory", subject(promised_limit=20)),
    (
        "units differ: not compared",
        subject(
            promised_limit=30,
            statutory_limit=20,
            statutory_limit_unit="natural_day",
            tasks=[task(limit=30)],
        ),
    ),
    ("immediate without stages", subject(handling_kind="immediate", promised_limit=0, tasks=[])),
    (
        "immediate with a 0-day stage",
        subject(handling_kind="immediate", promised_limit=0, tasks=[task(limit=0)]),
    ),
    (
        "parallel stage: limit is the longest task",
        subject(promised_limit=5, tasks=[task(1, 1, 2), task(2, 1, 3), task(2, 2, 1)]),
    ),
    (
        "deemed consent in a parallel stage",
        subject(tasks=[task(1, 1, 3, deemed=True), task(1, 2, 3)]),
    ),
    ("public service without materials", subject(item_type="public_service", materials=[])),
    ("penalty without materials", subject(item_type="penalty", materials=[])),
    (
        "pendable alongside a key material",
        subject(materials=[material(), material("场所证明", pendable=True)]),
    ),
    (
        "data-sharing material without copies",
        subject(materials=[material(), material("身份证", source="data_sharing", copies=0)]),
    ),
    (
        "electronic material without copies",
        subject(materials=[material(form="electronic", copies=0)]),
    ),
    ("legal persons only", subject(for_natural_persons=False, for_legal_persons=True)),
]


@pytest.mark.parametrize(("label", "s"), VALID, ids=[row[0] for row in VALID])
def test_valid_items_break_no_rule(label, s):
    assert violation_codes(s) == []


BROKEN = [
    ("name_required", subject(name="  ")),
    ("item_type_invalid", subject(item_type="made_up")),
    ("level_invalid", subject(level="galactic")),
    ("service_object_required", subject(for_natural_persons=False)),
    ("handling_form_required", subject(handled_at_window=False)),
    ("implementation_code_invalid", subject(code=IMPLEMENTATION_CODE[:30])),
    ("implementation_code_invalid", subject(code=USCC[:17] + "0" + "4000101001000")),
    ("implementation_code_invalid", subject(code=USCC.lower() + "4000101001000")),
    ("base_code_invalid", subject(base="0001")),
    ("online_depth_invalid", subject(online_depth=1 << 8)),
    (
        "fully_online_trips",
        subject(fully_online=True, trips=1, handled_online=True, online_depth=depth_mask([4, 5])),
    ),
    (
        "fully_online_not_online",
        subject(fully_online=True, trips=0, online_depth=depth_mask([4, 5])),
    ),
    (
        "fully_online_depth",
        subject(
            fully_online=True, trips=0, handled_online=True, online_depth=depth_mask([1, 2, 3, 4])
        ),
    ),
    ("zero_trips_needs_post", subject(trips=0)),
    ("fee_basis_required", subject(fee_charged=True, fee_standard="10元")),
    ("fee_standard_required", subject(fee_charged=True, fee_basis="法")),
    ("immediate_promised_limit", subject(handling_kind="immediate", promised_limit=1, tasks=[])),
    ("promised_limit_required", subject(promised_limit=0, tasks=[task(limit=0)])),
    ("promised_exceeds_statutory", subject(promised_limit=21, tasks=[task(limit=3)])),
    ("stage_numbers", subject(tasks=[task(1), task(3, limit=1)])),
    ("stage_numbers", subject(tasks=[task(2)])),
    ("stage_name_required", subject(tasks=[task(name="")])),
    ("stage_name_inconsistent", subject(tasks=[task(1, 1, name="审查"), task(1, 2, name="审核")])),
    ("stage_department_duplicate", subject(tasks=[task(1, 1, 1), task(1, 1, 2)])),
    ("deemed_consent_needs_parallel", subject(tasks=[task(deemed=True)])),
    ("immediate_stage_limit", subject(handling_kind="immediate", promised_limit=0)),
    ("stages_required", subject(tasks=[])),
    (
        "stage_limits_exceed_promised",
        subject(promised_limit=5, tasks=[task(1, limit=3), task(2, limit=3)]),
    ),
    (
        "stage_limits_exceed_promised",
        subject(promised_limit=3, tasks=[task(1, 1, 1), task(1, 2, 4)]),
    ),
    ("materials_required", subject(materials=[])),
    ("material_name_required", subject(materials=[material(), material(" ")])),
    ("material_name_duplicate", subject(materials=[material("申请书"), material("申请书")])),
    (
        "pendable_not_required",
        subject(materials=[material(), material("照片", required=False, pendable=True)]),
    ),
    (
        "pendable_data_sharing",
        subject(materials=[material(), material("身份证", pendable=True, source="data_sharing")]),
    ),
    ("material_copies", subject(materials=[material(copies=0)])),
    ("all_materials_pendable", subject(materials=[material(pendable=True)])),
]


@pytest.mark.parametrize(("code", "s"), BROKEN, ids=[row[0] for row in BROKEN])
def test_each_broken_rule_is_reported_alone_with_field_and_chinese_message(code, s):
    violations = rules.publish_violations(s)

    assert [v.code for v in violations] == [code]
    assert violations[0].field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in violations[0].message)


def test_every_violation_is_reported_at_once():
    s = subject(name="", trips=0, fee_charged=True, materials=[], tasks=[])

    assert violation_codes(s) == [
        "name_required",
        "zero_trips_needs_post",
        "fee_basis_required",
        "fee_standard_required",
        "stages_required",
        "materials_required",
    ]


def test_the_statutory_limit_message_cites_the_licensing_law():
    (violation,) = rules.publish_violations(
        subject(promised_limit=25, statutory_limit=20, tasks=[task(limit=1)])
    )

    assert "20个工作日" in violation.message
    assert "45个工作日" in violation.message
