"""The catalogue admin: pages open, edits go through the services, actions publish."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from yichuang.catalog import services
from yichuang.catalog.models import ItemType, ServiceItem, ServiceItemVersion, VersionStatus
from yichuang.catalog.tests import factories
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

VERSIONS = "/admin/catalog/serviceitemversion/"


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/catalog/serviceitem/",
        "/admin/catalog/serviceitem/add/",
        VERSIONS,
        VERSIONS + "?status__exact=draft&item_type__exact=licence",
        VERSIONS + "?q=yyzz",
        "/admin/catalog/bundle/",
        "/admin/catalog/bundle/add/",
    ],
)
def test_pages_open(admin_client, url):
    factories.publishable_draft()

    assert admin_client.get(url).status_code == 200


def test_version_change_pages_open_for_draft_and_published(admin_client):
    draft = factories.publishable_draft()
    published = services.item_version_publish(version=factories.publishable_draft())

    for version in (draft, published):
        response = admin_client.get(f"{VERSIONS}{version.pk}/change/")
        assert response.status_code == 200


def test_version_list_query_count_is_fixed(admin_client, django_assert_max_num_queries):
    for _n in range(8):
        factories.publishable_draft()

    with django_assert_max_num_queries(12):
        response = admin_client.get(VERSIONS)

    assert response.status_code == 200


def test_item_created_in_the_admin_gets_a_draft_with_search_text(admin_client):
    department = orgs_factories.department()

    response = admin_client.post(
        "/admin/catalog/serviceitem/add/",
        {
            "centre": department.centre_id,
            "department": department.pk,
            "implementation_code": f"{department.uscc}4000101009000",
            "base_code": "000101009000",
            "name": "营业执照补领",
            "item_type": ItemType.LICENCE,
            "level": "county",
        },
    )

    assert response.status_code == 302
    draft = ServiceItemVersion.objects.get(item__base_code="000101009000")
    assert (draft.version, draft.status) == (1, VersionStatus.DRAFT)
    assert "yyzzbl" in draft.search_text


def _post_data(version, **changes):
    """The change form of a draft as the browser would post it, with `changes` applied."""
    data = {
        field: getattr(version, field)
        for field in services.EDITABLE_FIELDS
        if field != "online_depth"
    }
    data = {k: v for k, v in data.items() if v is not False}
    data["online_depth"] = [str(level) for level in version.online_depth_levels]
    for prefix, rows in (
        ("materials", version.materials.all()),
        ("stage_tasks", version.stage_tasks.all()),
    ):
        rows = list(rows)
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            data[f"{prefix}-{i}-version"] = version.pk
            for field in row._meta.concrete_fields:
                if field.name in ("id", "version", "template", "sample"):
                    continue
                value = getattr(row, field.attname)
                if value is not False:
                    data[f"{prefix}-{i}-{field.name}"] = value
    data.update(changes)
    return data


def test_saving_a_draft_in_the_admin_refreshes_the_search_text(admin_client):
    draft = factories.publishable_draft(name="旧名称")

    response = admin_client.post(
        f"{VERSIONS}{draft.pk}/change/", _post_data(draft, name="低保申请", keywords="救助")
    )

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    draft.refresh_from_db()
    assert draft.name == "低保申请"
    assert "dbsq" in draft.search_text and "jz" in draft.search_text


def test_save_and_publish_button_publishes(admin_client):
    draft = factories.publishable_draft()

    admin_client.post(f"{VERSIONS}{draft.pk}/change/", _post_data(draft, _publish="1"))

    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED


def test_publish_action_shows_every_violation(admin_client):
    draft = factories.publishable_draft(trips=0, fee_charged=True)

    response = admin_client.post(
        VERSIONS, {"action": "publish_selected", "_selected_action": [draft.pk]}, follow=True
    )

    shown = messages_of(response)
    assert any("零跑动" in m for m in shown)
    assert any("收费依据" in m for m in shown)
    assert any("收费标准" in m for m in shown)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_publish_action_publishes_and_archives(admin_client):
    version = services.item_version_publish(version=factories.publishable_draft())
    draft = services.item_draft_create(item=version.item)

    admin_client.post(VERSIONS, {"action": "publish_selected", "_selected_action": [draft.pk]})

    version.refresh_from_db()
    draft.refresh_from_db()
    assert (version.status, draft.status) == (VersionStatus.ARCHIVED, VersionStatus.PUBLISHED)


def test_draft_action_copies_the_published_version(admin_client):
    version = services.item_version_publish(version=factories.publishable_draft())

    admin_client.post(VERSIONS, {"action": "draft_selected", "_selected_action": [version.pk]})

    draft = version.item.versions.get(status=VersionStatus.DRAFT)
    assert draft.version == 2
    assert draft.materials.count() == 2


def test_a_published_version_is_read_only_in_the_admin(admin_client):
    version = services.item_version_publish(version=factories.publishable_draft(name="原名"))

    response = admin_client.post(
        f"{VERSIONS}{version.pk}/change/", _post_data(version, name="改了")
    )

    assert response.status_code == 302
    version.refresh_from_db()
    assert version.name == "原名"


def test_item_list_has_the_excel_buttons(admin_client):
    orgs_factories.centre()

    response = admin_client.get("/admin/catalog/serviceitem/")

    assert reverse("admin:catalog_serviceitem_excel_import").encode() in response.content


def test_a_centre_admin_sees_only_their_centre(client):
    mine = factories.publishable_draft()
    other = factories.publishable_draft()
    member = orgs_factories.staff(centre=mine.item.centre, roles=["centre_admin"])
    client.force_login(member.user)

    response = client.get("/admin/catalog/serviceitem/")

    assert response.status_code == 200
    shown = set(response.context["cl"].queryset.values_list("pk", flat=True))
    assert shown == {mine.item_id}
    assert other.item_id not in shown
    assert ServiceItem.objects.count() == 2
