"""Search and the guide selectors."""

import threading

import pytest
from django.db import connection

from yichuang.catalog import selectors, services
from yichuang.catalog.errors import ItemNotFound, VersionNotDraft
from yichuang.catalog.models import ProcessStageTask, VersionStatus, depth_mask
from yichuang.catalog.search import search_text_for
from yichuang.catalog.tests import factories
from yichuang.orgs.tests import factories as orgs_factories


def published(**fields):
    return services.item_version_publish(version=factories.publishable_draft(**fields))


def names(versions):
    return [v.name for v in versions]


@pytest.mark.parametrize(
    ("name", "keywords", "expected"),
    [
        ("营业执照", "", ["营业执照", "yingyezhizhao", "yyzz"]),
        ("低保申请", "最低生活保障 救助", ["低保申请", "dibaoshenqing", "dbsq", "zdshbz", "jz"]),
        ("ＡＢ证办理", "", ["ab证办理", "abzhengbanli", "abzbl"]),
        ("不动产登记（首次）", "", ["budongchandengjishouci", "bdcdjsc"]),
    ],
)
def test_search_text_holds_chinese_pinyin_and_initials(name, keywords, expected):
    lines = search_text_for(name=name, keywords=keywords).split("\n")

    assert set(expected) <= set(lines)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q",
    [
        "营业执照",
        "执照",
        "YingYeZhiZhao",
        "yyzz",
        "YYZZ",
        "公司设立",
        "gssl",
        "ying ye",
        "  yyzz  ",
    ],
)
def test_item_search_finds_by_name_pinyin_initials_and_keywords(q):
    published(name="企业营业执照申领", keywords="公司设立")
    published(name="婚姻登记证补领")

    assert names(selectors.item_search(q=q)) == ["企业营业执照申领"]


@pytest.mark.django_db
def test_item_search_finds_by_base_code_case_insensitively():
    wanted = published()
    published()

    found = selectors.item_search(q=wanted.item.implementation_code.lower())

    assert [v.pk for v in found] == [wanted.pk]


@pytest.mark.django_db
def test_name_matches_come_before_keyword_matches():
    published(name="食品经营许可", keywords="营业执照 后置审批")
    published(name="营业执照变更")

    assert names(selectors.item_search(q="营业执照")) == ["营业执照变更", "食品经营许可"]


@pytest.mark.django_db
def test_item_search_ignores_drafts_and_archived_versions():
    old = published(name="旧名营业执照")
    draft = services.item_draft_create(item=old.item)
    services.item_version_update(version=draft, name="新名称")
    services.item_version_publish(version=draft)

    assert names(selectors.item_search(q="yyzz")) == []
    assert names(selectors.item_search(q="新名称")) == ["新名称"]


@pytest.mark.django_db
@pytest.mark.parametrize(("level", "found"), [(1, 2), (4, 1), (5, 0)])
def test_online_depth_filter_keeps_items_with_that_level(level, found):
    published(online_depth=depth_mask([1, 2, 3, 4]))
    published(online_depth=depth_mask([1]))

    assert selectors.item_search(online_depth=level).count() == found


@pytest.mark.django_db
def test_legal_person_and_centre_filters():
    department = orgs_factories.department()
    wanted = published(department=department, for_legal_persons=True)
    published(for_legal_persons=True)
    published(department=department)

    found = selectors.item_search(centre=department.centre, for_legal_persons=True)

    assert [v.pk for v in found] == [wanted.pk]


@pytest.mark.django_db
def test_item_get_published_raises_for_a_draft():
    draft = factories.publishable_draft()

    with pytest.raises(ItemNotFound):
        selectors.item_get_published(code=draft.item.implementation_code)


@pytest.mark.django_db
def test_stages_of_groups_parallel_tasks_and_takes_the_longest_limit():
    version = published(promised_limit=10)
    second = orgs_factories.department(centre=version.item.centre)
    third = orgs_factories.department(centre=version.item.centre)
    ProcessStageTask.objects.create(
        version=version, stage=2, stage_name="联审", department=second, limit_workdays=4
    )
    ProcessStageTask.objects.create(
        version=version,
        stage=2,
        stage_name="联审",
        department=third,
        limit_workdays=6,
        deemed_consent_on_timeout=True,
    )

    stages = selectors.stages_of(
        selectors.item_get_published(code=version.item.implementation_code)
    )

    assert [(s.number, s.name, s.limit, len(s.tasks)) for s in stages] == [
        (1, "审查", 3, 1),
        (2, "联审", 6, 2),
    ]
    assert [t.deemed_consent for t in stages[1].tasks] == [False, True]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_admins_publishing_the_same_draft_at_once_publish_it_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    draft = factories.publishable_draft()
    barrier = threading.Barrier(2)
    outcomes = []

    def publish():
        try:
            barrier.wait()
            services.item_version_publish(version=draft)
            outcomes.append("published")
        except VersionNotDraft:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["published", "refused"]
    assert draft.item.versions.filter(status=VersionStatus.PUBLISHED).count() == 1
