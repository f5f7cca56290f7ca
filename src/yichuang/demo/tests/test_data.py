"""The demo data itself, without a database: codes, limits and the login table."""

from __future__ import annotations

import pytest

from yichuang.catalog.models import MaterialSource
from yichuang.demo import data
from yichuang.demo.items import ITEMS
from yichuang.identity.validation import validate_resident_id, validate_uscc

REQUIRED_DEPARTMENTS = [
    "巴林左旗市场监督管理局",
    "巴林左旗税务局",
    "巴林左旗公安局",
    "巴林左旗不动产登记中心",
    "巴林左旗住房公积金管理中心",
    "巴林左旗民政局",
    "巴林左旗人力资源和社会保障局",
    "巴林左旗医疗保障局",
    "巴林左旗住房和城乡建设局",
    "巴林左旗自然资源局",
    "巴林左旗交通运输局",
    "巴林左旗卫生健康委员会",
]


@pytest.mark.parametrize("name", REQUIRED_DEPARTMENTS)
def test_every_required_department_is_in_the_data(name):
    assert any(name in d.name for d in data.DEPARTMENTS)


@pytest.mark.parametrize("department", data.DEPARTMENTS, ids=lambda d: d.key)
def test_department_usccs_are_valid_and_local(department):
    assert validate_uscc(department.uscc) == department.uscc
    assert department.uscc[:2] in {"11", "12"}  # government body / public institution
    assert department.uscc[2:8] == data.REGION


@pytest.mark.parametrize("applicant", data.DEMO_APPLICANTS, ids=lambda a: a.username)
def test_applicant_numbers_are_valid(applicant):
    if applicant.kind == "natural_person":
        assert validate_resident_id(applicant.id_number).number == applicant.id_number
    else:
        assert validate_uscc(applicant.id_number) == applicant.id_number
        rep = validate_resident_id(applicant.legal_representative_id)
        assert rep.number == applicant.legal_representative_id


def test_base_codes_are_unique_12_characters():
    codes = [spec.base_code for spec in ITEMS]
    assert len(codes) == len(set(codes))
    assert all(len(c) == 12 and c.isdigit() for c in codes)


@pytest.mark.parametrize("spec", ITEMS, ids=lambda s: s.base_code)
def test_item_limits_are_consistent(spec):
    assert 0 <= spec.promised_limit <= spec.statutory_limit
    stages = {t.stage for t in spec.tasks}
    assert stages == set(range(1, len(stages) + 1))
    longest = {s: max(t.limit for t in spec.tasks if t.stage == s) for s in stages}
    assert sum(longest.values()) <= spec.promised_limit
    assert spec.trips in (0, 1, 2)
    if spec.fully_online:
        assert spec.trips == 0


@pytest.mark.parametrize("spec", ITEMS, ids=lambda s: s.base_code)
def test_item_refers_to_known_departments_and_windows(spec):
    keys = {d.key for d in data.DEPARTMENTS}
    county_windows = {w.number for w in data.WINDOWS if w.centre == data.COUNTY}
    assert spec.department in keys
    assert {t.department for t in spec.tasks} <= keys
    assert set(spec.windows or ()) <= county_windows


@pytest.mark.parametrize("spec", ITEMS, ids=lambda s: s.base_code)
def test_pendable_materials_are_required_and_supplied_by_someone(spec):
    for material in spec.materials:
        if material.pendable:
            assert material.required
            assert material.source != MaterialSource.DATA_SHARING


def test_bundles_name_existing_items():
    codes = {spec.base_code for spec in ITEMS}
    for bundle in data.BUNDLES:
        assert set(bundle.items) <= codes
        assert len(bundle.items) == len(set(bundle.items)) >= 2


def test_login_table_lists_every_login_once():
    usernames = [row[0] for row in data.login_rows()]
    expected = (
        [data.SUPERUSER_USERNAME]
        + [a.username for a in data.DEMO_ACCOUNTS]
        + [a.username for a in data.DEMO_APPLICANTS]
    )
    assert usernames == expected
    assert len(set(usernames)) == len(usernames)
    markdown = data.logins_markdown()
    assert all(f"`{u}`" in markdown for u in usernames)
    assert markdown.count(data.DEMO_PASSWORD) == len(usernames)
