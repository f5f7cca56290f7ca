"""The public catalogue API: list with search, filters and pages; guides; bundles."""

import pytest

from yichuang.catalog.models import (
    Bundle,
    BundleItem,
    ItemType,
    Material,
    MaterialSource,
    ProcessStageTask,
    VersionStatus,
    depth_mask,
)
from yichuang.catalog.tests import factories
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

ITEMS = "/api/v1/catalog/items"


def published(**fields):
    """A published item made through the services, so its search text is written."""
    from yichuang.catalog import services

    draft = factories.publishable_draft(**fields)
    return services.item_version_publish(version=draft)


def codes(response):
    return [row["code"] for row in response.json()["items"]]


def test_list_shows_published_versions_only(client):
    shown = published(name="户籍证明")
    factories.publishable_draft(name="户籍证明草稿")

    response = client.get(ITEMS)

    assert response.status_code == 200
    assert codes(response) == [shown.item.implementation_code]
    assert response.json()["count"] == 1


@pytest.mark.parametrize("q", ["营业执照", "yingyezhizhao", "yyzz", "YYZZ", "开办企业", "kbqy"])
def test_list_searches_chinese_pinyin_initials_and_keywords(client, q):
    wanted = published(name="企业营业执照设立登记", keywords="开办企业")
    published(name="不动产登记")

    response = client.get(ITEMS, {"q": q})

    assert codes(response) == [wanted.item.implementation_code]


def test_list_searches_by_implementation_code(client):
    wanted = published(name="甲事项")
    published(name="乙事项")

    response = client.get(ITEMS, {"q": wanted.item.implementation_code})

    assert codes(response) == [wanted.item.implementation_code]


def test_list_filters_by_department_type_and_depth(client):
    department = orgs_factories.department()
    wanted = published(
        department=department,
        item_type=ItemType.PUBLIC_SERVICE,
        online_depth=depth_mask([1, 2, 3]),
    )
    published(department=department, item_type=ItemType.PUBLIC_SERVICE, online_depth=0)
    published(item_type=ItemType.PUBLIC_SERVICE, online_depth=depth_mask([3]))

    response = client.get(
        ITEMS, {"department": department.pk, "item_type": "public_service", "online_depth": 3}
    )

    assert codes(response) == [wanted.item.implementation_code]


def test_list_pages(client):
    for n in range(5):
        published(name=f"分页事项{n}")

    response = client.get(ITEMS, {"page": 2, "page_size": 2})

    body = response.json()
    assert (body["count"], body["page"], body["page_size"]) == (5, 2, 2)
    assert [row["name"] for row in body["items"]] == ["分页事项2", "分页事项3"]


@pytest.mark.parametrize(
    "params",
    [
        {"page": 0},
        {"page": "x"},
        {"page_size": 101},
        {"page_size": 0},
        {"online_depth": 9},
        {"item_type": "nonsense"},
        {"department": "abc"},
        {"q": "长" * 101},
    ],
)
def test_list_rejects_bad_parameters_with_422(client, params):
    response = client.get(ITEMS, params)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_list_survives_a_nul_character_in_the_query(client):
    published(name="户籍证明")

    response = client.get(ITEMS, {"q": "户籍\x00证明"})

    assert response.status_code == 200


def test_list_query_count_does_not_grow_with_items(client, django_assert_max_num_queries):
    for n in range(12):
        published(name=f"事项{n}")

    with django_assert_max_num_queries(2):
        response = client.get(ITEMS, {"page_size": 50})

    assert len(response.json()["items"]) == 12


def test_guide_shows_every_part_of_the_item(client):
    version = published(
        name="食品经营许可",
        fee_charged=True,
        fee_basis="依据",
        fee_standard="每件10元",
        online_depth=depth_mask([1, 4]),
    )
    Material.objects.filter(version=version, name="申请材料2").update(pendable=True, copies=2)
    Material.objects.create(
        version=version,
        position=3,
        name="身份证",
        required=True,
        source=MaterialSource.DATA_SHARING,
    )
    other = orgs_factories.department(centre=version.item.centre)
    ProcessStageTask.objects.create(
        version=version, stage=2, stage_name="联审", department=other, limit_workdays=1
    )
    ProcessStageTask.objects.create(
        version=version,
        stage=2,
        stage_name="联审",
        department=version.item.department,
        limit_workdays=2,
        deemed_consent_on_timeout=True,
    )

    response = client.get(f"{ITEMS}/{version.item.implementation_code}")

    assert response.status_code == 200
    guide = response.json()
    assert guide["name"] == "食品经营许可"
    assert guide["item_type_label"] == "行政许可"
    assert guide["fee_standard"] == "每件10元"
    assert guide["online_depth_levels"] == [
        {"level": 1, "name": "在线咨询"},
        {"level": 4, "name": "网上受理"},
    ]
    assert [(m["name"], m["pendable"], m["copies"]) for m in guide["materials"]] == [
        ("申请材料1", False, 1),
        ("申请材料2", True, 2),
        ("身份证", False, 1),
    ]
    assert guide["materials"][2]["submission_exempt"] is True
    assert [(s["number"], s["limit_workdays"], s["parallel"]) for s in guide["stages"]] == [
        (1, 3, False),
        (2, 2, True),
    ]
    assert guide["version"] == 1
    assert guide["published_at"] is not None


def test_guide_query_count_is_fixed(client, django_assert_max_num_queries):
    version = published(materials=6)

    with django_assert_max_num_queries(4):
        response = client.get(f"{ITEMS}/{version.item.implementation_code}")

    assert len(response.json()["materials"]) == 6


@pytest.mark.parametrize("status", [VersionStatus.DRAFT, VersionStatus.ARCHIVED])
def test_guide_of_an_unpublished_item_is_404(client, status):
    version = factories.version(status=status)

    response = client.get(f"{ITEMS}/{version.item.implementation_code}")

    assert response.status_code == 404
    assert response.json()["code"] == "item_not_found"


def test_guide_of_an_unknown_code_is_404(client):
    response = client.get(f"{ITEMS}/nothing-here")

    assert response.status_code == 404
    assert response.json()["code"] == "item_not_found"


def test_bundles_list_published_bundles_with_their_published_items(
    client, django_assert_max_num_queries
):
    first = published(name="企业设立登记")
    second = published(name="印章刻制备案")
    draft_only = factories.version()
    bundle = Bundle.objects.create(
        centre=first.item.centre, code="kaiban", name="企业开办一件事", is_published=True
    )
    Bundle.objects.create(centre=first.item.centre, code="hidden", name="未发布")
    for position, item in enumerate([second.item, first.item, draft_only.item], start=1):
        BundleItem.objects.create(bundle=bundle, item=item, position=position)

    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/catalog/bundles")

    assert [b["code"] for b in response.json()] == ["kaiban"]
    assert [i["name"] for i in response.json()[0]["items"]] == ["印章刻制备案", "企业设立登记"]


def test_bundle_detail_and_404(client):
    version = published()
    bundle = Bundle.objects.create(
        centre=version.item.centre, code="one", name="一件事", is_published=True
    )
    BundleItem.objects.create(bundle=bundle, item=version.item)

    assert client.get("/api/v1/catalog/bundles/one").json()["items"][0]["code"] == (
        version.item.implementation_code
    )
    missing = client.get("/api/v1/catalog/bundles/none")
    assert (missing.status_code, missing.json()["code"]) == (404, "bundle_not_found")


def test_departments_lists_those_with_published_items(client):
    version = published()
    factories.version()  # a draft's department is not listed

    response = client.get("/api/v1/catalog/departments")

    assert [d["id"] for d in response.json()] == [version.item.department_id]
