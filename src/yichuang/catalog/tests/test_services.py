"""Versioning through the catalogue services: create, draft, update, publish."""

import pytest
from django.db import IntegrityError, transaction

from yichuang.catalog import services
from yichuang.catalog.errors import (
    CatalogInvalid,
    ItemCodeTaken,
    PublishRejected,
    VersionNotDraft,
)
from yichuang.catalog.models import (
    Material,
    ProcessStageTask,
    ServiceItemVersion,
    VersionStatus,
)
from yichuang.catalog.tests import factories
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db


def published(**fields):
    return services.item_version_publish(version=factories.publishable_draft(**fields))


def test_item_create_gives_a_draft_version_1_with_search_text():
    draft = factories.publishable_draft(name="企业设立登记", keywords="营业执照")

    assert (draft.version, draft.status) == (1, VersionStatus.DRAFT)
    assert "yyzz" in draft.search_text
    assert "qysldj" in draft.search_text
    assert draft.item.implementation_code.lower() in draft.search_text


def test_item_create_refuses_a_taken_implementation_code():
    draft = factories.publishable_draft()
    item = draft.item

    with pytest.raises(ItemCodeTaken):
        services.item_create(
            centre=item.centre,
            department=item.department,
            implementation_code=item.implementation_code,
            base_code=item.base_code,
            name="重复",
            item_type="licence",
            level="county",
        )


def test_item_create_refuses_a_department_of_another_centre():
    department = orgs_factories.department()

    with pytest.raises(CatalogInvalid) as error:
        services.item_create(
            centre=orgs_factories.centre(),
            department=department,
            implementation_code=f"{department.uscc}4000000000001",
            base_code="000000000001",
            name="事项",
            item_type="licence",
            level="county",
        )

    assert error.value.code == "department_other_centre"


def test_item_create_rejects_bad_choices_with_field_details():
    department = orgs_factories.department()

    with pytest.raises(CatalogInvalid) as error:
        services.item_create(
            centre=department.centre,
            department=department,
            implementation_code=f"{department.uscc}4000000000002",
            base_code="000000000002",
            name="事项",
            item_type="nonsense",
            level="county",
        )

    assert [d["field"] for d in error.value.details] == ["item_type"]


def test_unknown_fields_are_refused():
    draft = factories.publishable_draft()

    with pytest.raises(CatalogInvalid) as error:
        services.item_version_update(version=draft, status="published")

    assert error.value.code == "unknown_fields"


def test_publish_sets_status_time_and_publisher(admin_user):
    draft = factories.publishable_draft()

    published_version = services.item_version_publish(version=draft, actor=admin_user)

    assert published_version.status == VersionStatus.PUBLISHED
    assert published_version.published_at is not None
    assert published_version.published_by == admin_user
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED


def test_a_published_version_cannot_be_edited():
    version = published()

    with pytest.raises(VersionNotDraft):
        services.item_version_update(version=version, name="改名")


def test_editing_a_published_item_goes_through_a_new_draft_copying_everything():
    window = orgs_factories.window()
    department = orgs_factories.department(centre=window.centre)
    version = published(department=department, windows=[window], keywords="低保")
    Material.objects.filter(version=version).update(pendable=False, copies=3)

    draft = services.item_draft_create(item=version.item)

    assert (draft.version, draft.status) == (2, VersionStatus.DRAFT)
    assert draft.name == version.name and draft.keywords == "低保"
    assert list(draft.windows.all()) == [window]
    assert [(m.name, m.copies) for m in draft.materials.all()] == [
        ("申请材料1", 3),
        ("申请材料2", 3),
    ]
    assert [(t.stage, t.department_id, t.limit_workdays) for t in draft.stage_tasks.all()] == [
        (1, department.pk, 3)
    ]
    assert "db" in draft.search_text


def test_draft_create_returns_the_existing_draft():
    version = published()
    first = services.item_draft_create(item=version.item)

    again = services.item_draft_create(item=version.item)

    assert again.pk == first.pk


def test_draft_edits_leave_the_published_version_alone():
    version = published(name="旧名称")
    draft = services.item_draft_create(item=version.item)

    services.item_version_update(version=draft, name="新名称营业执照")

    version.refresh_from_db()
    draft.refresh_from_db()
    assert version.name == "旧名称"
    assert "yyzz" in draft.search_text
    assert "yyzz" not in version.search_text


def test_publishing_a_new_draft_archives_the_old_version():
    version = published()
    draft = services.item_draft_create(item=version.item)

    services.item_version_publish(version=draft)

    statuses = dict(version.item.versions.values_list("version", "status"))
    assert statuses == {1: VersionStatus.ARCHIVED, 2: VersionStatus.PUBLISHED}


def test_publishing_twice_is_refused():
    draft = factories.publishable_draft()
    stale = ServiceItemVersion.objects.get(pk=draft.pk)
    services.item_version_publish(version=draft)

    with pytest.raises(VersionNotDraft):
        services.item_version_publish(version=stale)


def test_publish_lists_every_violation_and_changes_nothing():
    draft = factories.publishable_draft(trips=0, fee_charged=True)
    ProcessStageTask.objects.filter(version=draft).update(limit_workdays=9)

    with pytest.raises(PublishRejected) as error:
        services.item_version_publish(version=draft)

    assert error.value.code == "publish_rules"
    assert [d["code"] for d in error.value.details] == [
        "zero_trips_needs_post",
        "fee_basis_required",
        "fee_standard_required",
        "stage_limits_exceed_promised",
    ]
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_an_archived_version_can_seed_a_draft_when_nothing_is_published():
    version = factories.version(status=VersionStatus.ARCHIVED, name="旧版")

    draft = services.item_draft_create(item=version.item)

    assert (draft.version, draft.name) == (2, "旧版")


@pytest.mark.parametrize("status", [VersionStatus.PUBLISHED, VersionStatus.DRAFT])
def test_the_database_allows_one_published_and_one_draft_per_item(status):
    version = factories.version(status=status)

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.version(item=version.item, status=status)


def test_archived_versions_may_be_many():
    version = factories.version(status=VersionStatus.ARCHIVED)

    factories.version(item=version.item, status=VersionStatus.ARCHIVED)

    assert version.item.versions.count() == 2


def test_children_replace_only_on_drafts():
    version = published()

    with pytest.raises(VersionNotDraft):
        services.item_version_children_replace(version=version, materials=[])
