"""Services of the orgs app: centre hierarchy, departments, windows, staff."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from yichuang.identity.errors import IdentityValidationError
from yichuang.orgs import services
from yichuang.orgs.errors import OrgsConflict, OrgsError
from yichuang.orgs.models import Centre, CentreLevel, Role, WindowKind
from yichuang.orgs.tests import factories

pytestmark = pytest.mark.django_db

L = CentreLevel


def make(level, parent=None, code=None):
    return services.centre_create(
        name=f"中心{code or level}", code=code or f"c-{level}", level=level, parent=parent
    )


# --- centres ----------------------------------------------------------------------------


def test_root_centre_path_is_its_own_pk():
    county = make(L.COUNTY)

    assert county.path == f"/{county.pk}/"


def test_child_path_extends_parent_path():
    county = make(L.COUNTY)
    township = make(L.TOWNSHIP, county)
    village = make(L.VILLAGE, township)

    assert village.path == f"/{county.pk}/{township.pk}/{village.pk}/"


@pytest.mark.parametrize(
    ("parent_level", "child_level", "allowed"),
    [
        (L.LEAGUE_CITY, L.COUNTY, True),
        (L.LEAGUE_CITY, L.VILLAGE, True),
        (L.COUNTY, L.TOWNSHIP, True),
        (L.TOWNSHIP, L.VILLAGE, True),
        (L.COUNTY, L.COUNTY, False),
        (L.TOWNSHIP, L.COUNTY, False),
        (L.VILLAGE, L.VILLAGE, False),
        (L.VILLAGE, L.LEAGUE_CITY, False),
    ],
)
def test_child_must_be_strictly_below_parent(parent_level, child_level, allowed):
    parent = make(parent_level, code="parent")

    if allowed:
        assert make(child_level, parent, code="child").parent == parent
    else:
        with pytest.raises(OrgsError) as info:
            make(child_level, parent, code="child")
        assert info.value.code == "level_not_below_parent"


def test_refused_centre_is_not_written():
    county = make(L.COUNTY)

    with pytest.raises(OrgsError):
        make(L.COUNTY, county, code="second")

    assert not Centre.objects.filter(code="second").exists()


def test_centre_code_is_unique():
    make(L.COUNTY, code="same")

    with pytest.raises(OrgsConflict) as info:
        make(L.COUNTY, code="same")

    assert info.value.code == "centre_code_taken"


def test_move_rewrites_the_whole_subtree_path():
    city = make(L.LEAGUE_CITY, code="city")
    county_a = make(L.COUNTY, city, code="a")
    county_b = make(L.COUNTY, city, code="b")
    township = make(L.TOWNSHIP, county_a, code="t")
    village = make(L.VILLAGE, township, code="v")

    services.centre_move(centre=township, parent=county_b)

    village.refresh_from_db()
    assert village.path == f"/{city.pk}/{county_b.pk}/{township.pk}/{village.pk}/"


def test_move_under_own_descendant_is_refused():
    county = make(L.COUNTY, code="county")
    township = make(L.TOWNSHIP, county, code="t")
    city = make(L.LEAGUE_CITY, code="city")

    with pytest.raises(OrgsError) as info:
        services.centre_move(centre=county, parent=township)
    services.centre_move(centre=county, parent=city)

    assert info.value.code in {"parent_in_own_subtree", "level_not_below_parent"}
    county.refresh_from_db()
    assert county.parent == city


def test_move_into_own_subtree_is_refused_even_when_levels_would_fit():
    city = make(L.LEAGUE_CITY, code="city")
    county = make(L.COUNTY, city, code="county")

    with pytest.raises(OrgsError) as info:
        services.centre_move(centre=city, parent=county)

    assert info.value.code == "parent_in_own_subtree"


def test_level_change_may_not_reach_a_child_level():
    county = make(L.COUNTY, code="county")
    make(L.TOWNSHIP, county, code="t")

    with pytest.raises(OrgsError) as info:
        services.centre_update(centre=county, changes={"level": L.TOWNSHIP})

    assert info.value.code == "level_not_above_children"


def test_update_changes_plain_fields():
    county = make(L.COUNTY, code="county")

    services.centre_update(centre=county, changes={"phone": "0476-1234567"})

    county.refresh_from_db()
    assert county.phone == "0476-1234567"


# --- departments and windows ------------------------------------------------------------


def test_department_uscc_is_validated_and_normalised():
    county = make(L.COUNTY)

    department = services.department_create(
        centre=county, name="市场监督管理局", uscc=factories.valid_uscc(7).lower()
    )

    assert department.uscc == factories.valid_uscc(7)


def test_department_with_bad_uscc_is_refused():
    county = make(L.COUNTY)

    with pytest.raises(IdentityValidationError) as info:
        services.department_create(centre=county, name="税务局", uscc="91350100M000100Y44")

    assert info.value.code == "bad_check_digit"


def test_letter_prefixed_uscc_is_accepted_for_a_department():
    county = make(L.COUNTY)
    uscc = factories.valid_uscc(1, prefix="N2150422")

    assert services.department_create(centre=county, name="协会", uscc=uscc).uscc == uscc


def test_department_name_is_unique_in_a_centre():
    county = make(L.COUNTY)
    services.department_create(centre=county, name="税务局", uscc=factories.valid_uscc(1))

    with pytest.raises(OrgsConflict) as info:
        services.department_create(centre=county, name="税务局", uscc=factories.valid_uscc(2))

    assert info.value.code == "department_name_taken"


def test_window_departments_must_belong_to_its_centre():
    county = make(L.COUNTY, code="county")
    other = make(L.COUNTY, code="other")
    foreign = factories.department(centre=other)

    with pytest.raises(OrgsError) as info:
        services.window_create(centre=county, number=1, name="综合1", departments=[foreign])

    assert info.value.code == "department_of_other_centre"


def test_window_is_created_with_its_departments():
    county = make(L.COUNTY)
    tax = factories.department(centre=county)

    window = services.window_create(
        centre=county, number=7, name="税务", kind=WindowKind.SPECIALIST, departments=[tax]
    )

    assert list(window.departments.all()) == [tax]


def test_window_number_is_unique_in_a_centre():
    county = make(L.COUNTY)
    services.window_create(centre=county, number=1, name="综合1")

    with pytest.raises(OrgsConflict):
        services.window_create(centre=county, number=1, name="综合2")


# --- staff ------------------------------------------------------------------------------

PASSWORD = "Grassland-Horse-2026"


def new_staff(**overrides):
    values = {
        "username": "wang",
        "password": PASSWORD,
        "name": "王芳",
        "centre": overrides.get("centre") or make(L.COUNTY, code="county"),
        "roles": [Role.WINDOW_OFFICER],
    }
    values.update(overrides)
    return services.staff_create(**values)


def test_staff_is_created_with_login_and_roles():
    member = new_staff(roles=[Role.WINDOW_OFFICER, Role.HELPER])

    assert member.user.check_password(PASSWORD)
    assert member.role_set() == {Role.WINDOW_OFFICER, Role.HELPER}
    assert not member.user.is_staff


def test_reviewer_without_department_is_refused():
    with pytest.raises(OrgsError) as info:
        new_staff(roles=[Role.REVIEWER])

    assert info.value.code == "reviewer_needs_department"


def test_department_of_another_centre_is_refused():
    county = make(L.COUNTY, code="county")
    other_department = factories.department(centre=make(L.COUNTY, code="other"))

    with pytest.raises(OrgsError) as info:
        new_staff(centre=county, department=other_department, roles=[Role.REVIEWER])

    assert info.value.code == "department_of_other_centre"


def test_reviewer_with_department_of_the_centre_is_created():
    county = make(L.COUNTY, code="county")
    department = factories.department(centre=county)

    member = new_staff(centre=county, department=department, roles=[Role.REVIEWER])

    assert member.department == department


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("wang", "short"),
        ("wang", "12345678901"),
        ("wang", "password123"),
        ("wangfang2026", "wangfang2026!"),
    ],
)
def test_weak_password_is_refused(username, password):
    with pytest.raises(OrgsError) as info:
        new_staff(username=username, password=password)

    assert info.value.code == "weak_password"


def test_username_is_unique_case_insensitively():
    county = make(L.COUNTY, code="county")
    new_staff(centre=county, username="wang")

    with pytest.raises(OrgsConflict) as info:
        new_staff(centre=county, username="WANG")

    assert info.value.code == "username_taken"


def test_no_role_is_refused():
    with pytest.raises(OrgsError) as info:
        new_staff(roles=[])

    assert info.value.code == "no_role"


def test_centre_admin_gets_admin_login_and_the_group():
    member = new_staff(roles=[Role.CENTRE_ADMIN])

    assert member.user.is_staff
    assert member.user.groups.filter(name=services.CENTRE_ADMIN_GROUP).exists()
    assert member.user.has_perm("orgs.change_centre")
    assert member.user.has_perm("catalog.add_serviceitem")


def test_removing_the_admin_role_removes_admin_login():
    member = new_staff(roles=[Role.CENTRE_ADMIN])

    services.staff_set_roles(staff=member, roles=[Role.LEADER])

    member.user.refresh_from_db()
    assert not member.user.is_staff
    assert not member.user.groups.exists()
    assert member.role_set() == {Role.LEADER}


def test_set_roles_refuses_reviewer_without_department():
    member = new_staff(roles=[Role.WINDOW_OFFICER])

    with pytest.raises(OrgsError):
        services.staff_set_roles(staff=member, roles=[Role.REVIEWER])

    assert member.role_set() == {Role.WINDOW_OFFICER}


def test_centre_admin_group_holds_orgs_and_catalogue_permissions():
    group = Group.objects.get(name=services.CENTRE_ADMIN_GROUP)

    labels = set(group.permissions.values_list("content_type__app_label", flat=True))

    assert {"orgs", "catalog"} <= labels
    assert "identity" not in labels
