"""Versioning through the catalogue services: create, draft, update, publish."""

import pytest

from yichuang.catalog import services
from yichuang.catalog.errors import PublishRejected, VersionNotDraft
from yichuang.catalog.models import ServiceItemVersion, VersionStatus
from yichuang.catalog.tests import factories

pytestmark = pytest.mark.django_db


def test_item_create_gives_a_draft_version_1_with_search_text():
    draft = factories.publishable_draft(name="企业设立登记", keywords="营业执照")

    assert (draft.version, draft.status) == (1, VersionStatus.DRAFT)
    assert "yyzz" in draft.search_text
    assert "qysldj" in draft.search_text


def test_publish_sets_status_time_and_publisher(admin_user):
    draft = factories.publishable_draft()

    published = services.item_version_publish(version=draft, actor=admin_user)

    assert published.status == VersionStatus.PUBLISHED
    assert published.published_at is not None
    assert published.published_by == admin_user
