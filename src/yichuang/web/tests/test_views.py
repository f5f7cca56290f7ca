"""Portal pages through Django's test client: status, content, query counts."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile

from yichuang.catalog.models import (
    Bundle,
    BundleItem,
    HandlingKind,
    ItemType,
    Material,
    MaterialSource,
    OnlineDepth,
    ProcessStageTask,
    depth_mask,
)
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.orgs.tests import factories as orgs_factories
from yichuang.web.preferences import LARGE_TEXT_COOKIE
from yichuang.web.tests.helpers import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre():
    return orgs_factories.centre(
        name="巴林左旗政务服务中心",
        address="林东镇契丹大街1号",
        opening_hours="周一至周五 8:30-12:00 14:30-17:30",
        phone="0476-7812345",
    )


@pytest.fixture
def market(centre):
    return orgs_factories.department(
        centre=centre, name="巴林左旗市场监督管理局", short_name="市场监管"
    )


@pytest.fixture
def licence(market):
    return published(
        department=market,
        name="营业执照设立登记",
        keywords="开办企业 公司注册",
        for_legal_persons=True,
        for_natural_persons=False,
    )


def text_of(response) -> str:
    return response.content.decode()


# Home ------------------------------------------------------------------------------------


def test_home_shows_the_centre_and_entry_points(client, centre, licence):
    response = client.get("/")

    body = text_of(response)
    assert response.status_code == 200
    assert '<html lang="zh-Hans"' in body
    for fact in ("巴林左旗政务服务中心", "林东镇契丹大街1号", "周一至周五", "0476-7812345"):
        assert fact in body
    assert "个人办事" in body and "法人办事" in body
    assert f'href="/items/?department={licence.item.department_id}"' in body
    assert 'href="/accounts/login/"' in body  # one login for applicants and staff


def test_home_counts_only_published_items(client, market):
    published(department=market, fully_online=True, trips=0)
    published(department=market, handling_kind=HandlingKind.IMMEDIATE)
    catalog_factories.version(item=catalog_factories.item(department=market))  # a draft

    body = text_of(client.get("/"))

    assert re.search(r'data-count="items">2<', body)
    assert re.search(r'data-count="fully_online">1<', body)
    assert re.search(r'data-count="immediate">1<', body)
    assert re.search(r'data-count="zero_trips">1<', body)


def test_home_lists_published_bundles(client, centre, licence):
    bundle = Bundle.objects.create(
        centre=centre, code="qykb", name="企业开办一件事", is_published=True
    )
    BundleItem.objects.create(bundle=bundle, item=licence.item, position=1)
    Bundle.objects.create(centre=centre, code="hidden", name="未发布的一件事")

    body = text_of(client.get("/"))

    assert 'href="/bundles/qykb/"' in body
    assert "未发布的一件事" not in body


def test_home_query_count_does_not_grow_with_the_catalogue(
    client, centre, market, django_assert_max_num_queries
):
    for n in range(12):
        department = orgs_factories.department(centre=centre) if n % 3 else market
        published(department=department)
    bundle = Bundle.objects.create(centre=centre, code="b", name="一件事", is_published=True)
    for n in range(4):
        BundleItem.objects.create(
            bundle=bundle, item=published(department=market).item, position=n + 1
        )

    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200


# Item list -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["营业执照", "执照", "开办企业", "yyzz", "YYZZ", "yingyezhizhao", "yingye"],
)
def test_search_finds_the_item_by_name_keyword_or_pinyin(client, licence, market, query):
    published(department=market, name="食品经营许可", keywords="餐饮")

    body = text_of(client.get("/items/", {"q": query}))

    assert "营业执照设立登记" in body
    assert "食品经营许可" not in body


def test_search_without_a_match_explains_what_to_do(client, licence):
    response = client.get("/items/", {"q": "没有这种事项"})

    body = text_of(response)
    assert response.status_code == 200
    assert "没有找到符合条件的事项" in body
    assert "营业执照设立登记" not in body


def test_list_hides_drafts(client, market, licence):
    catalog_factories.version(item=catalog_factories.item(department=market), name="草稿事项")

    body = text_of(client.get("/items/"))

    assert "营业执照设立登记" in body
    assert "草稿事项" not in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"object": "legal"}, {"法人事项"}),
        ({"object": "natural"}, {"个人事项", "即办事项"}),
        ({"item_type": ItemType.PUBLIC_SERVICE}, {"即办事项"}),
        ({"handling_kind": HandlingKind.IMMEDIATE}, {"即办事项"}),
        ({"fully_online": "on"}, {"个人事项"}),
        ({"trips": "0"}, {"个人事项"}),
        ({"online_depth": str(OnlineDepth.ONLINE_HANDLING.value)}, {"个人事项"}),
        ({}, {"法人事项", "个人事项", "即办事项"}),
    ],
)
def test_list_filters(client, market, params, expected):
    published(department=market, name="法人事项", for_legal_persons=True, for_natural_persons=False)
    published(
        department=market,
        name="个人事项",
        fully_online=True,
        trips=0,
        online_depth=depth_mask([1, 2, 3, 4, 5]),
    )
    published(
        department=market,
        name="即办事项",
        item_type=ItemType.PUBLIC_SERVICE,
        handling_kind=HandlingKind.IMMEDIATE,
    )

    body = text_of(client.get("/items/", params))

    shown = {name for name in ("法人事项", "个人事项", "即办事项") if f">{name}</a>" in body}
    assert shown == expected


def test_list_filters_by_department(client, centre, market, licence):
    other = orgs_factories.department(centre=centre, name="巴林左旗公安局", short_name="公安")
    published(department=other, name="无犯罪记录证明")

    body = text_of(client.get("/items/", {"department": str(other.pk)}))

    assert "无犯罪记录证明" in body
    assert "营业执照设立登记" not in body


@pytest.mark.parametrize(
    "params",
    [
        {"department": "abc"},
        {"department": "999999"},
        {"online_depth": "99"},
        {"item_type": "nonsense"},
        {"trips": "-1"},
        {"page": "banana"},
        {"page": "9999"},
        {"q": "x" * 500},
        {"q": "'; DROP TABLE x; --"},
    ],
)
def test_list_never_fails_on_bad_input(client, licence, params):
    assert client.get("/items/", params).status_code == 200


def test_list_is_paginated(client, market):
    for n in range(25):
        published(department=market, name=f"分页事项{n:02d}")

    first = text_of(client.get("/items/"))
    second = text_of(client.get("/items/", {"page": "2"}))

    assert first.count('class="result"') == 20
    assert second.count('class="result"') == 5
    assert "第 2 / 2 页" in second
    assert 'href="?page=2"' in first


def test_list_query_count_does_not_grow_with_results(client, centre, django_assert_max_num_queries):
    for n in range(30):
        published(department=orgs_factories.department(centre=centre), name=f"事项{n}")

    with django_assert_max_num_queries(8):
        response = client.get("/items/")
    assert text_of(response).count('class="result"') == 20


def test_htmx_request_gets_only_the_results(client, licence):
    response = client.get("/items/", {"q": "yyzz"}, headers={"HX-Request": "true"})

    body = text_of(response)
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="results"')
    assert "<html" not in body
    assert "营业执照设立登记" in body


# Guide -----------------------------------------------------------------------------------


def test_guide_shows_the_whole_guide(client, centre, market, licence):
    police = orgs_factories.department(centre=centre, name="巴林左旗公安局")
    tax = orgs_factories.department(centre=centre, name="国家税务总局巴林左旗税务局")
    window = orgs_factories.window(centre=centre, number=3, name="企业开办专区")
    version = licence
    version.conditions = "申请人具有完全民事行为能力"
    version.legal_basis = "《中华人民共和国市场主体登记管理条例》第三条"
    version.fee_charged = True
    version.fee_basis = "发改价格〔2019〕1号"
    version.fee_standard = "每件10元"
    version.online_depth = depth_mask([1, 2, 4])
    version.statutory_limit = 15
    version.promised_limit = 3
    version.save()
    version.windows.add(window)
    version.materials.all().delete()
    Material.objects.create(version=version, position=1, name="公司登记申请书", required=True)
    Material.objects.create(
        version=version,
        position=2,
        name="住所使用证明",
        required=True,
        pendable=True,
        acceptance_standard="与登记住所一致",
        template=ContentFile(b"template", name="zhusuo.docx"),
    )
    Material.objects.create(
        version=version,
        position=3,
        name="法定代表人身份证",
        source=MaterialSource.DATA_SHARING,
    )
    ProcessStageTask.objects.create(
        version=version, stage=2, stage_name="联合审查", department=police, limit_workdays=2
    )
    ProcessStageTask.objects.create(
        version=version, stage=2, stage_name="联合审查", department=tax, limit_workdays=1
    )

    response = client.get(f"/items/{version.item.implementation_code}/")

    body = text_of(response)
    assert response.status_code == 200
    for text in (
        "营业执照设立登记",
        "行政许可",
        "巴林左旗市场监督管理局",
        "法人和其他组织",
        "申请人具有完全民事行为能力",
        "公司登记申请书",
        "与登记住所一致",
        "免提交",
        "15 工作日",
        "3 工作日",
        "承诺件",
        "每件10元",
        "发改价格〔2019〕1号",
        "联合审查",
        "巴林左旗公安局",
        "国家税务总局巴林左旗税务局",
        "以下部门并联审批",
        "3号窗口 企业开办专区",
        "在线咨询",
        "网上受理",
        "《中华人民共和国市场主体登记管理条例》第三条",
        "第 1 版",
        "到办事现场 1 次",
    ):
        assert text in body, text
    assert "网上办理</li>" not in body.split('id="online"')[1].split("办理渠道")[0]
    pendable_row = re.search(r'data-material="住所使用证明".*?</tr>', body, re.S).group(0)
    assert "可容缺" in pendable_row
    assert "download" in pendable_row and "zhusuo" in pendable_row
    plain_row = re.search(r'data-material="公司登记申请书".*?</tr>', body, re.S).group(0)
    assert "可容缺" not in plain_row


def test_guide_of_an_immediate_item_says_so(client, market):
    version = published(department=market, handling_kind=HandlingKind.IMMEDIATE, promised_limit=0)

    body = text_of(client.get(f"/items/{version.item.implementation_code}/"))

    assert "当场办结" in body


@pytest.mark.parametrize("code", ["NO-SUCH-CODE", "0" * 31])
def test_guide_of_an_unknown_code_is_a_chinese_404(client, licence, code):
    response = client.get(f"/items/{code}/")

    assert response.status_code == 404
    assert "未找到该事项" in text_of(response)


def test_guide_of_a_draft_only_item_is_404(client, market):
    draft = catalog_factories.version(item=catalog_factories.item(department=market))

    assert client.get(f"/items/{draft.item.implementation_code}/").status_code == 404


def test_unknown_page_is_a_chinese_404(client, centre):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "页面未找到" in text_of(response)


def test_guide_query_count_is_bounded(client, licence, django_assert_max_num_queries):
    for n in range(10):
        Material.objects.create(version=licence, position=10 + n, name=f"附加材料{n}")

    with django_assert_max_num_queries(10):
        assert client.get(f"/items/{licence.item.implementation_code}/").status_code == 200


# Bundles ---------------------------------------------------------------------------------


def test_bundle_page_lists_its_published_items_in_order(client, centre, market, licence):
    seal = published(department=market, name="公章刻制备案")
    draft_only = catalog_factories.item(department=market)
    catalog_factories.version(item=draft_only, name="还没发布的事项")
    bundle = Bundle.objects.create(
        centre=centre, code="qykb", name="企业开办一件事", description="一表申请", is_published=True
    )
    BundleItem.objects.create(bundle=bundle, item=seal.item, position=1)
    BundleItem.objects.create(bundle=bundle, item=licence.item, position=2)
    BundleItem.objects.create(bundle=bundle, item=draft_only, position=3)

    body = text_of(client.get("/bundles/qykb/"))

    assert "企业开办一件事" in body and "一表申请" in body
    assert body.index("公章刻制备案") < body.index("营业执照设立登记")
    assert "还没发布的事项" not in body


@pytest.mark.parametrize("published_flag", [False, None])
def test_unknown_or_unpublished_bundle_is_404(client, centre, published_flag):
    if published_flag is not None:
        Bundle.objects.create(centre=centre, code="qykb", name="企业开办", is_published=False)

    response = client.get("/bundles/qykb/")

    assert response.status_code == 404
    assert "未找到该一件事" in text_of(response)


# Large-text mode ---------------------------------------------------------------------------


def test_large_text_cookie_marks_every_page(client, licence):
    client.cookies[LARGE_TEXT_COOKIE] = "1"

    for url in ("/", "/items/", f"/items/{licence.item.implementation_code}/"):
        assert '<html lang="zh-Hans" class="large-text">' in text_of(client.get(url)), url


@pytest.mark.parametrize(("value", "cookie"), [("1", "1"), ("0", "0")])
def test_large_text_toggle_without_javascript(client, value, cookie):
    response = client.post("/preferences/large-text/", {"large_text": value, "next": "/items/?q=a"})

    assert response.status_code == 302
    assert response["Location"] == "/items/?q=a"
    assert response.cookies[LARGE_TEXT_COOKIE].value == cookie


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", ""])
def test_large_text_toggle_never_redirects_off_site(client, target):
    response = client.post("/preferences/large-text/", {"large_text": "1", "next": target})

    assert response["Location"] == "/"


# Offline -----------------------------------------------------------------------------------


def test_pages_load_nothing_from_other_sites(client, licence):
    for url in ("/", "/items/", f"/items/{licence.item.implementation_code}/", "/nope/"):
        body = text_of(client.get(url))
        assert not re.search(r'(src|href)="(https?:)?//', body), url
        assert "/static/web/vendor/htmx/htmx.min.js" in body


def test_vendored_htmx_is_served_with_its_licence(client):
    from django.contrib.staticfiles import finders

    assert finders.find("web/vendor/htmx/htmx.min.js")
    assert finders.find("web/vendor/htmx/LICENSE")


def test_home_presents_the_highest_centre_that_publishes_items(client):
    city = orgs_factories.centre(name="赤峰市政务服务中心", level="league_city")
    county = orgs_factories.centre(name="巴林左旗政务服务中心", parent=city, level="county")
    published(department=orgs_factories.department(centre=county))

    response = client.get("/")

    assert "巴林左旗政务服务中心" in response.content.decode()


def test_home_presents_the_configured_centre(client, settings):
    city = orgs_factories.centre(name="赤峰市政务服务中心", level="league_city")
    county = orgs_factories.centre(name="巴林左旗政务服务中心", parent=city, level="county")
    town = orgs_factories.centre(name="林东镇便民服务中心", parent=county, code="lindong")
    published(department=orgs_factories.department(centre=county))
    settings.YICHUANG = {**settings.YICHUANG, "PORTAL_CENTRE": town.code}

    response = client.get("/")

    assert "林东镇便民服务中心" in response.content.decode()
