"""`seed_demo`: the demo centre loads, idempotently, only in a demo install."""

from __future__ import annotations

import dataclasses
import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from yichuang.catalog import services as catalog_services
from yichuang.catalog.models import (
    Bundle,
    HandlingKind,
    MaterialSource,
    ServiceItem,
    ServiceItemVersion,
    VersionStatus,
)
from yichuang.demo import data, items, services
from yichuang.identity.models import Applicant, User
from yichuang.orgs.models import Centre, CentreLevel, Department, Role, Staff, Window, WindowKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_install(settings):
    """A demo install, with a fast password hasher so that the seed runs quickly in tests."""
    settings.DEMO = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(*args: str) -> str:
    """The seed without the demo cases (tested in test_cases.py), which take a while."""
    out = io.StringIO()
    call_command("seed_demo", "--without-cases", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows per model of every yichuang app and the auth tables."""
    labels = {"identity", "orgs", "catalog", "auth", "hall"}
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in labels
    } | {
        "window_departments": Window.departments.through.objects.count(),
        "version_windows": ServiceItemVersion.windows.through.objects.count(),
    }


@pytest.fixture
def seeded() -> str:
    return seed()


# --- the guard ---------------------------------------------------------------------------


def test_refuses_outside_a_demo_install(settings):
    settings.DEMO = False
    with pytest.raises(CommandError, match="YICHUANG_DEMO=1"):
        seed()
    assert not Centre.objects.exists()
    assert not User.objects.exists()


def test_force_loads_outside_a_demo_install(settings):
    settings.DEMO = False
    seed("--force")
    assert Centre.objects.filter(code=data.COUNTY).exists()


# --- idempotency -------------------------------------------------------------------------


def test_second_run_changes_nothing(seeded):
    before = row_counts()
    versions = list(ServiceItemVersion.objects.values_list("pk", "status", "updated_at"))
    output = seed()
    assert row_counts() == before
    assert list(ServiceItemVersion.objects.values_list("pk", "status", "updated_at")) == versions
    assert "无需改动" in output


def test_changed_item_data_publishes_a_new_version(seeded, monkeypatch):
    spec = items.ITEMS[0]
    renamed = dataclasses.replace(spec, name=spec.name + "（新版）")
    monkeypatch.setattr(services, "ITEMS", (renamed, *items.ITEMS[1:]))
    seed()
    item = ServiceItem.objects.get(base_code=spec.base_code)
    statuses = dict(item.versions.values_list("version", "status"))
    assert statuses == {1: VersionStatus.ARCHIVED, 2: VersionStatus.PUBLISHED}
    assert item.versions.get(status=VersionStatus.PUBLISHED).name == renamed.name


def test_an_item_breaking_the_publish_rules_stops_the_whole_seed(monkeypatch):
    spec = items.ITEMS[0]
    broken = dataclasses.replace(spec, fee_standard="每件100元", fee_basis="")
    monkeypatch.setattr(services, "ITEMS", (*items.ITEMS[1:], broken))
    with pytest.raises(CommandError, match=spec.name):
        seed()
    assert not Centre.objects.exists()
    assert not ServiceItem.objects.exists()


# --- the centre --------------------------------------------------------------------------


def test_county_centre_with_townships_and_a_community_station(seeded):
    county = Centre.objects.get(code=data.COUNTY)
    assert county.name == "巴林左旗政务服务中心"
    assert county.level == CentreLevel.COUNTY
    assert county.parent.level == CentreLevel.LEAGUE_CITY
    townships = Centre.objects.filter(parent=county, level=CentreLevel.TOWNSHIP)
    assert set(townships.values_list("name", flat=True)) == {
        "林东镇便民服务中心",
        "碧流台镇便民服务中心",
    }
    station = Centre.objects.get(level=CentreLevel.VILLAGE)
    assert station.parent.name == "林东镇便民服务中心"
    assert station.path.startswith(county.path)


def test_at_least_twelve_departments(seeded):
    assert Department.objects.filter(centre__code=data.COUNTY).count() >= 12


def test_windows_of_every_kind(seeded):
    windows = Window.objects.filter(centre__code=data.COUNTY)
    comprehensive = windows.filter(kind=WindowKind.COMPREHENSIVE)
    assert sorted(comprehensive.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    specialist = set(windows.filter(kind=WindowKind.SPECIALIST).values_list("name", flat=True))
    assert {"税务综合窗口", "公安户政及自助服务区"} <= specialist
    assert windows.filter(kind=WindowKind.RESULT).count() == 1


def test_every_role_has_a_staff_member(seeded):
    roles = set(Staff.objects.filter(is_active=True).values_list("roles__role", flat=True))
    assert roles == set(Role.values)


def test_reviewers_belong_to_a_department_of_their_centre(seeded):
    reviewers = Staff.objects.filter(roles__role=Role.REVIEWER).select_related("department")
    assert reviewers.count() == len(data.DEPARTMENTS)
    assert all(r.department.centre_id == r.centre_id for r in reviewers)


def test_admin_is_a_superuser_and_the_centre_admin_is_not(seeded):
    assert User.objects.get(username="admin").is_superuser
    centre_admin = User.objects.get(username="centre_admin")
    assert centre_admin.is_staff and not centre_admin.is_superuser
    assert centre_admin.staff.role_set() == {Role.CENTRE_ADMIN}


def test_every_demo_login_works_with_the_demo_password(seeded):
    usernames = [row[0] for row in data.login_rows()]
    refused = [
        u for u in usernames if authenticate(username=u, password=data.DEMO_PASSWORD) is None
    ]
    assert refused == []


def test_demo_applicants_are_linked_to_their_logins(seeded):
    for spec in data.DEMO_APPLICANTS:
        applicant = Applicant.objects.get(id_number=spec.id_number)
        assert applicant.user.username == spec.username


# --- the catalogue -----------------------------------------------------------------------


def published() -> list[ServiceItemVersion]:
    return list(
        ServiceItemVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("item__department")
        .prefetch_related("materials", "stage_tasks")
    )


def test_at_least_forty_published_items(seeded):
    assert ServiceItem.objects.count() == len(items.ITEMS)
    assert len(published()) == len(items.ITEMS) >= 40


def test_implementation_codes_embed_the_department_uscc(seeded):
    for version in published():
        item = version.item
        assert len(item.implementation_code) == 31
        assert item.implementation_code == f"{item.department.uscc}4{item.base_code}"


REQUIRED_ITEMS = [
    "企业设立登记",
    "印章刻制备案",
    "涉税信息确认",
    "发票领用",
    "社会保险登记",
    "单位住房公积金缴存登记",
    "企业银行开户预约",
    "不动产首次登记",
    "不动产转移登记",
    "不动产抵押登记",
    "住房公积金提取",
    "住房公积金个人缴存证明",
    "最低生活保障审批",
    "补领结婚证",
    "无犯罪记录证明",
    "机动车驾驶证换证",
    "临时居民身份证",
    "医师执业注册",
    "道路货物运输经营许可",
    "建筑工程施工许可证核发",
    "建设用地规划许可证核发",
]


def test_every_required_item_is_published(seeded):
    names = [v.name for v in published()]
    missing = [n for n in REQUIRED_ITEMS if not any(n in name for name in names)]
    assert missing == []


def test_catalogue_shows_the_full_range_of_rules(seeded):
    versions = published()
    materials = [m for v in versions for m in v.materials.all()]
    assert sum(m.pendable for m in materials) >= 10
    assert sum(m.source == MaterialSource.DATA_SHARING for m in materials) >= 20
    assert {v.trips for v in versions} == {0, 1, 2}
    assert any(v.handling_kind == HandlingKind.IMMEDIATE for v in versions)
    assert any(v.handling_kind == HandlingKind.PROMISED for v in versions)
    assert any(v.fee_charged and v.fee_basis and v.fee_standard for v in versions)
    joint = [
        v
        for v in versions
        if any(
            len({t.department_id for t in v.stage_tasks.all() if t.stage == s}) >= 2
            for s in {t.stage for t in v.stage_tasks.all()}
        )
    ]
    assert len(joint) >= 2


def test_every_published_item_passes_the_catalogue_publish_rules(seeded):
    broken = {
        v.name: [x.code for x in catalog_services.version_violations(version=v)]
        for v in published()
    }
    assert {name: codes for name, codes in broken.items() if codes} == {}


def test_every_version_respects_its_limits(seeded):
    for version in published():
        assert version.promised_limit <= version.statutory_limit
        assert (version.promised_limit == 0) == (version.handling_kind == HandlingKind.IMMEDIATE)
        assert version.windows.exists()
        assert version.stage_tasks.exists()


def test_enterprise_start_up_bundle(seeded):
    bundle = Bundle.objects.get(name="企业开办一件事")
    names = set(
        ServiceItemVersion.objects.filter(
            item__in=bundle.items.all(), status=VersionStatus.PUBLISHED
        ).values_list("name", flat=True)
    )
    assert bundle.is_published
    assert {"企业设立登记（营业执照核发）", "印章刻制备案"} <= names
    assert len(names) >= 6


# --- the output --------------------------------------------------------------------------


def test_output_shows_addresses_and_every_login(seeded):
    for text in ("http://127.0.0.1:8000", "/admin/", "/api/docs", data.DEMO_PASSWORD):
        assert text in seeded
    for username, *_ in data.login_rows():
        assert username in seeded


def test_logins_markdown_needs_no_database(settings):
    settings.DEMO = False
    assert seed("--logins-markdown").strip() == data.logins_markdown()
