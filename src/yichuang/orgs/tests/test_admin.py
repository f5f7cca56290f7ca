"""The admin as a centre admin sees it: only their subtree, writes through the services."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from yichuang.identity.models import User
from yichuang.orgs.models import Centre, CentreLevel, Department, Role, Staff, Window
from yichuang.orgs.tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def tree():
    county = factories.centre(code="county", name="左旗政务服务中心")
    township = factories.centre(parent=county, code="township", name="林东镇便民服务中心")
    other = factories.centre(code="other", name="右旗政务服务中心")
    return {"county": county, "township": township, "other": other}


@pytest.fixture
def admin_client_of(client):
    def login(centre):
        member = factories.staff(roles=(Role.CENTRE_ADMIN,), centre=centre)
        assert client.login(username=member.user.username, password=PASSWORD)
        return client

    return login


@pytest.mark.parametrize("model", [Centre, Department, Window, Staff])
def test_admin_classes_pass_django_checks(model):
    assert admin.site._registry[model].check() == []


def test_centre_admin_can_log_into_the_admin(tree, admin_client_of):
    response = admin_client_of(tree["county"]).get(reverse("admin:index"))

    assert response.status_code == 200
    assert "服务中心" in response.content.decode()


def test_centre_changelist_shows_only_the_subtree(tree, admin_client_of):
    response = admin_client_of(tree["county"]).get(reverse("admin:orgs_centre_changelist"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "左旗政务服务中心" in page
    assert "林东镇便民服务中心" in page
    assert "右旗政务服务中心" not in page


def test_centre_admin_of_a_township_does_not_see_the_county(tree, admin_client_of):
    response = admin_client_of(tree["township"]).get(reverse("admin:orgs_centre_changelist"))

    page = response.content.decode()
    assert "林东镇便民服务中心" in page
    assert "左旗政务服务中心" not in page


def test_change_page_outside_the_subtree_is_not_reachable(tree, admin_client_of):
    client = admin_client_of(tree["county"])

    response = client.get(reverse("admin:orgs_centre_change", args=[tree["other"].pk]))

    assert response.status_code in (302, 403, 404)
    assert "右旗政务服务中心" not in response.content.decode()


def test_department_changelist_is_limited(tree, admin_client_of):
    factories.department(centre=tree["township"], name="林东镇民政所")
    factories.department(centre=tree["other"], name="右旗税务局")

    page = (
        admin_client_of(tree["county"])
        .get(reverse("admin:orgs_department_changelist"))
        .content.decode()
    )

    assert "林东镇民政所" in page
    assert "右旗税务局" not in page


def test_staff_changelist_is_limited(tree, admin_client_of):
    factories.staff(centre=tree["township"], name="林东镇工作人员")
    factories.staff(centre=tree["other"], name="右旗工作人员")

    page = (
        admin_client_of(tree["county"]).get(reverse("admin:orgs_staff_changelist")).content.decode()
    )

    assert "林东镇工作人员" in page
    assert "右旗工作人员" not in page


def test_centre_added_in_the_admin_gets_its_path(tree, admin_client_of):
    client = admin_client_of(tree["county"])

    response = client.post(
        reverse("admin:orgs_centre_add"),
        {
            "name": "新村站",
            "code": "new-village",
            "level": CentreLevel.VILLAGE,
            "parent": tree["township"].pk,
            "is_active": "on",
        },
    )

    created = Centre.objects.get(code="new-village")
    assert response.status_code == 302
    assert created.path == f"{tree['township'].path}{created.pk}/"


def test_centre_at_a_wrong_level_is_a_form_error(tree, admin_client_of):
    client = admin_client_of(tree["county"])

    response = client.post(
        reverse("admin:orgs_centre_add"),
        {
            "name": "错误",
            "code": "wrong",
            "level": CentreLevel.COUNTY,
            "parent": tree["township"].pk,
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "中心层级必须低于上级中心" in response.content.decode()
    assert not Centre.objects.filter(code="wrong").exists()


def test_centre_admin_cannot_place_a_centre_under_another_subtree(tree, admin_client_of):
    client = admin_client_of(tree["county"])

    response = client.post(
        reverse("admin:orgs_centre_add"),
        {
            "name": "越权",
            "code": "sneaky",
            "level": CentreLevel.TOWNSHIP,
            "parent": tree["other"].pk,
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert not Centre.objects.filter(code="sneaky").exists()


def test_centre_moved_in_the_admin_rewrites_the_subtree(tree, client):
    root = User.objects.create_superuser(username="root", password=PASSWORD)
    village = factories.centre(parent=tree["township"], code="village")
    client.force_login(root)

    response = client.post(
        reverse("admin:orgs_centre_change", args=[tree["township"].pk]),
        {
            "name": "林东镇便民服务中心",
            "code": "township",
            "level": CentreLevel.TOWNSHIP,
            "parent": tree["other"].pk,
            "is_active": "on",
        },
    )

    village.refresh_from_db()
    assert response.status_code == 302
    assert village.path == f"/{tree['other'].pk}/{tree['township'].pk}/{village.pk}/"


def test_staff_added_in_the_admin_gets_a_usable_login(tree, admin_client_of):
    client = admin_client_of(tree["county"])
    department = factories.department(centre=tree["county"])

    response = client.post(
        reverse("admin:orgs_staff_add"),
        {
            "username": "reviewer1",
            "password1": "Steppe-Wind-2026",
            "password2": "Steppe-Wind-2026",
            "name": "审批员",
            "centre": tree["county"].pk,
            "department": department.pk,
            "roles": [Role.REVIEWER],
            "is_active": "on",
        },
    )

    member = Staff.objects.get(user__username="reviewer1")
    assert response.status_code == 302
    assert member.user.check_password("Steppe-Wind-2026")
    assert member.role_set() == {Role.REVIEWER}


def test_reviewer_without_department_is_a_form_error(tree, admin_client_of):
    client = admin_client_of(tree["county"])

    response = client.post(
        reverse("admin:orgs_staff_add"),
        {
            "username": "reviewer2",
            "password1": "Steppe-Wind-2026",
            "password2": "Steppe-Wind-2026",
            "name": "审批员",
            "centre": tree["county"].pk,
            "roles": [Role.REVIEWER],
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "部门审批人员必须指定所属部门" in response.content.decode()
    assert not User.objects.filter(username="reviewer2").exists()


def test_department_with_bad_uscc_is_a_form_error(tree, admin_client_of):
    client = admin_client_of(tree["county"])

    response = client.post(
        reverse("admin:orgs_department_add"),
        {
            "centre": tree["county"].pk,
            "name": "税务局",
            "uscc": "91350100M000100Y44",
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "校验位不正确" in response.context["adminform"].form.errors["uscc"][0]


def test_window_added_in_the_admin_keeps_its_departments(tree, admin_client_of):
    client = admin_client_of(tree["county"])
    department = factories.department(centre=tree["county"])

    response = client.post(
        reverse("admin:orgs_window_add"),
        {
            "centre": tree["county"].pk,
            "number": 3,
            "name": "综合受理3",
            "kind": "comprehensive",
            "departments": [department.pk],
            "is_active": "on",
        },
    )

    window = Window.objects.get(centre=tree["county"], number=3)
    assert response.status_code == 302
    assert list(window.departments.all()) == [department]


def test_centre_admin_edits_their_own_centre_without_moving_it(tree, admin_client_of):
    client = admin_client_of(tree["county"])
    url = reverse("admin:orgs_centre_change", args=[tree["county"].pk])

    page = client.get(url)
    response = client.post(
        url,
        {
            "name": "左旗政务服务中心（新址）",
            "code": "county",
            "phone": "0476-7",
            "is_active": "on",
        },
    )

    tree["county"].refresh_from_db()
    assert page.status_code == 200
    assert response.status_code == 302
    assert (tree["county"].name, tree["county"].phone, tree["county"].parent) == (
        "左旗政务服务中心（新址）",
        "0476-7",
        None,
    )


def test_staff_change_form_replaces_roles(tree, admin_client_of):
    client = admin_client_of(tree["county"])
    member = factories.staff(centre=tree["township"], roles=(Role.WINDOW_OFFICER,), name="赵六")
    url = reverse("admin:orgs_staff_change", args=[member.pk])

    page = client.get(url)
    response = client.post(
        url,
        {
            "name": "赵六",
            "centre": tree["township"].pk,
            "roles": [Role.HELPER, Role.LEADER],
            "is_active": "on",
        },
    )

    assert page.status_code == 200
    assert response.status_code == 302
    assert member.role_set() == {Role.HELPER, Role.LEADER}
