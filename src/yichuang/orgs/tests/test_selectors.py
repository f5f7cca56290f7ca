"""Access functions: who sees which centres, departments, windows and staff."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from yichuang.common.errors import NotFound
from yichuang.identity.models import User
from yichuang.orgs import selectors
from yichuang.orgs.errors import CentreNotFound
from yichuang.orgs.models import CentreLevel, Role
from yichuang.orgs.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """city ─ county ─ township ─ village, and a second county under the city."""
    city = factories.centre(level=CentreLevel.LEAGUE_CITY, code="city")
    county = factories.centre(parent=city, code="county")
    township = factories.centre(parent=county, code="township")
    village = factories.centre(parent=township, code="village")
    other = factories.centre(parent=city, code="other-county")
    return {
        "city": city,
        "county": county,
        "township": township,
        "village": village,
        "other": other,
    }


def codes(queryset):
    return set(queryset.values_list("code", flat=True))


def user_with(role, centre, **overrides):
    department = factories.department(centre=centre) if role == Role.REVIEWER else None
    return factories.staff(roles=(role,), centre=centre, department=department, **overrides).user


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.CENTRE_ADMIN, {"county", "township", "village"}),
        (Role.LEADER, {"county", "township", "village"}),
        (Role.WINDOW_OFFICER, {"county"}),
        (Role.REVIEWER, {"county"}),
        (Role.HELPER, {"county"}),
    ],
)
def test_centres_visible_by_role(tree, role, expected):
    user = user_with(role, tree["county"])

    assert codes(selectors.centres_visible_to(user)) == expected


def test_superuser_sees_every_centre(tree):
    root = User.objects.create_superuser(username="root", password="x-very-long-pass")

    assert codes(selectors.centres_visible_to(root)) == {c.code for c in tree.values()}


@pytest.mark.parametrize("who", ["anonymous", "plain_user", "inactive_staff", "inactive_user"])
def test_nobody_else_sees_any_centre_in_the_back_office(tree, who):
    if who == "anonymous":
        user = AnonymousUser()
    elif who == "plain_user":
        user = User.objects.create_user(username="citizen", password="x-very-long-pass")
    elif who == "inactive_staff":
        user = user_with(Role.CENTRE_ADMIN, tree["county"], is_active=False)
    else:
        user = user_with(Role.CENTRE_ADMIN, tree["county"])
        user.is_active = False

    assert codes(selectors.centres_visible_to(user)) == set()


def test_managed_centres_are_only_for_centre_admins(tree):
    admin = user_with(Role.CENTRE_ADMIN, tree["township"])
    leader = user_with(Role.LEADER, tree["county"])

    assert codes(selectors.centres_managed_by(admin)) == {"township", "village"}
    assert codes(selectors.centres_managed_by(leader)) == set()


def test_centre_get_for_gives_the_same_not_found_for_missing_and_forbidden(tree):
    user = user_with(Role.CENTRE_ADMIN, tree["county"])

    with pytest.raises(CentreNotFound) as hidden:
        selectors.centre_get_for(user=user, code="other-county")
    with pytest.raises(CentreNotFound) as missing:
        selectors.centre_get_for(user=user, code="no-such-centre")

    assert hidden.value.as_dict() == missing.value.as_dict()
    assert selectors.centre_get_for(user=user, code="village") == tree["village"]


def test_centre_get_for_by_pk(tree):
    user = user_with(Role.WINDOW_OFFICER, tree["county"])

    assert selectors.centre_get_for(user=user, pk=tree["county"].pk) == tree["county"]
    with pytest.raises(CentreNotFound):
        selectors.centre_get_for(user=user, pk=tree["township"].pk)


def test_departments_windows_and_staff_follow_centre_visibility(tree):
    mine = factories.department(centre=tree["township"], name="本镇部门")
    factories.department(centre=tree["other"], name="他县部门")
    factories.window(centre=tree["village"], name="村站窗口")
    factories.window(centre=tree["other"], name="他县窗口")
    colleague = factories.staff(centre=tree["township"], name="同事")
    factories.staff(centre=tree["other"], name="外人")
    user = user_with(Role.LEADER, tree["county"])

    assert {d.name for d in selectors.departments_visible_to(user)} >= {"本镇部门"}
    assert "他县部门" not in {d.name for d in selectors.departments_visible_to(user)}
    assert {w.name for w in selectors.windows_visible_to(user)} == {"村站窗口"}
    assert colleague in selectors.staff_visible_to(user)
    assert "外人" not in {s.name for s in selectors.staff_visible_to(user)}
    assert selectors.department_get_for(user=user, pk=mine.pk) == mine


def test_staff_get_for_hides_other_centres(tree):
    stranger = factories.staff(centre=tree["other"])
    user = user_with(Role.CENTRE_ADMIN, tree["county"])

    with pytest.raises(NotFound) as info:
        selectors.staff_get_for(user=user, pk=stranger.pk)

    assert info.value.code == "staff_not_found"


def test_user_has_role(tree):
    user = user_with(Role.REVIEWER, tree["county"])

    assert selectors.user_has_role(user, Role.REVIEWER)
    assert not selectors.user_has_role(user, Role.LEADER)
    assert not selectors.user_has_role(AnonymousUser(), Role.REVIEWER)


def test_staff_for_user_loads_roles_once(tree, django_assert_num_queries):
    user = User.objects.get(pk=user_with(Role.LEADER, tree["county"]).pk)

    with django_assert_num_queries(2):
        member = selectors.staff_for_user(user)
        selectors.user_has_role(user, Role.LEADER)
        selectors.centres_visible_to(user)

    assert member.centre == tree["county"]


def test_public_centres_leave_out_inactive_subtrees(tree):
    tree["township"].is_active = False
    tree["township"].save()

    assert codes(selectors.centres_public()) == {"city", "county", "other-county"}
