"""Public centre API: the tree and one centre with its departments and windows."""

from __future__ import annotations

import pytest

from yichuang.orgs.models import CentreLevel, Role, WindowKind
from yichuang.orgs.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    county = factories.centre(
        code="zuoqi",
        name="左旗政务服务中心",
        address="林东镇",
        phone="0476-1",
        opening_hours="9-17",
    )
    township = factories.centre(parent=county, code="lindong", name="林东镇便民服务中心")
    factories.centre(parent=township, code="station", level=CentreLevel.VILLAGE, name="社区站")
    return county


def test_centre_list_is_the_tree_in_order(client, county, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/orgs/centres")

    body = response.json()
    assert response.status_code == 200
    assert [(c["code"], c["parent_code"], c["depth"]) for c in body] == [
        ("zuoqi", None, 0),
        ("lindong", "zuoqi", 1),
        ("station", "lindong", 2),
    ]
    assert body[0]["address"] == "林东镇"


def test_centre_detail_lists_departments_and_windows(client, county, django_assert_max_num_queries):
    tax = factories.department(centre=county, name="税务局", short_name="税务")
    factories.department(centre=county, name="停用局", is_active=False)
    window = factories.window(centre=county, number=8, name="税务窗口", kind=WindowKind.SPECIALIST)
    window.departments.set([tax])
    factories.window(centre=county, number=1, name="综合受理1")
    factories.staff(centre=county, roles=(Role.WINDOW_OFFICER,), name="王芳", phone="13812345678")

    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/orgs/centres/zuoqi")

    body = response.json()
    assert response.status_code == 200
    assert [d["name"] for d in body["departments"]] == ["税务局"]
    assert [(w["number"], w["departments"]) for w in body["windows"]] == [(1, []), (8, ["税务"])]
    assert "王芳" not in response.content.decode()
    assert "13812345678" not in response.content.decode()


@pytest.mark.parametrize("code", ["nope", "hidden"])
def test_missing_or_inactive_centre_is_404(client, code):
    factories.centre(code="hidden", is_active=False)

    response = client.get(f"/api/v1/orgs/centres/{code}")

    assert response.status_code == 404
    assert response.json()["code"] == "centre_not_found"
