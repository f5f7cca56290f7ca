"""Portal test data built with the catalogue and orgs factories (no demo seed)."""

from __future__ import annotations

from dataclasses import dataclass

from yichuang.catalog import services as catalog_services
from yichuang.catalog.models import (
    Bundle,
    BundleItem,
    HandlingKind,
    ItemType,
    Material,
    MaterialForm,
    MaterialSource,
    ProcessStageTask,
    ServiceItemVersion,
    depth_mask,
)
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.orgs.models import Centre, Department, WindowKind
from yichuang.orgs.tests import factories as orgs_factories


def published(*, department: Department, materials: int = 2, **overrides) -> ServiceItemVersion:
    """A published version whose search text (name, keywords, pinyin) is filled in as the
    catalogue service would."""
    version = catalog_factories.published_item(
        department=department, materials=materials, **overrides
    )
    catalog_services.search_text_refresh(version=version)
    return version


@dataclass
class Portal:
    centre: Centre
    licence: ServiceItemVersion
    others: list[ServiceItemVersion]
    bundle: Bundle


def sample_portal() -> Portal:
    """A small county centre: a few departments, realistic items and one bundle."""
    centre = orgs_factories.centre(
        name="巴林左旗政务服务中心",
        address="内蒙古赤峰市巴林左旗林东镇契丹大街政务服务中心一楼",
        opening_hours="周一至周五 8:30-12:00，14:30-17:30（法定节假日除外）",
        phone="0476-7812345",
        complaint_phone="12345",
    )
    market = orgs_factories.department(
        centre=centre, name="巴林左旗市场监督管理局", short_name="市场监管"
    )
    police = orgs_factories.department(centre=centre, name="巴林左旗公安局", short_name="公安")
    tax = orgs_factories.department(
        centre=centre, name="国家税务总局巴林左旗税务局", short_name="税务"
    )
    fund = orgs_factories.department(
        centre=centre, name="赤峰市住房公积金管理中心巴林左旗管理部", short_name="住房公积金"
    )
    civil = orgs_factories.department(centre=centre, name="巴林左旗民政局", short_name="民政")
    window = orgs_factories.window(
        centre=centre, number=1, name="综合受理一号窗口", kind=WindowKind.COMPREHENSIVE
    )
    enterprise_window = orgs_factories.window(
        centre=centre, number=8, name="企业开办专区", kind=WindowKind.SPECIALIST
    )

    licence = published(
        department=market,
        materials=0,
        name="营业执照设立登记（有限责任公司）",
        keywords="开办企业 公司注册 营业执照",
        for_natural_persons=False,
        for_legal_persons=True,
        conditions=(
            "1. 申请人具有完全民事行为能力；\n2. 名称经自主申报通过；\n3. 住所符合登记要求。"
        ),
        legal_basis="《中华人民共和国市场主体登记管理条例》第三条、第十九条",
        statutory_limit=3,
        promised_limit=1,
        promised_limit_note="材料齐全当日受理，次日办结",
        trips=0,
        fully_online=True,
        handled_online=True,
        handled_by_post=True,
        courier_delivery=True,
        booking_supported=True,
        online_depth=depth_mask([1, 2, 3, 4, 5, 6, 7]),
        place="巴林左旗政务服务中心一楼企业开办专区",
        consultation_phone="0476-7822001",
        result_name="营业执照",
    )
    licence.windows.add(window, enterprise_window)
    rows = [
        ("公司登记（备案）申请书", True, False, MaterialSource.APPLICANT, MaterialForm.ORIGINAL),
        ("公司章程", True, False, MaterialSource.APPLICANT, MaterialForm.ORIGINAL),
        ("住所使用证明", True, True, MaterialSource.APPLICANT, MaterialForm.COPY),
        ("法定代表人身份证明", True, False, MaterialSource.DATA_SHARING, MaterialForm.ELECTRONIC),
        ("委托代理人授权委托书", False, True, MaterialSource.APPLICANT, MaterialForm.ORIGINAL),
    ]
    for position, (name, required, pendable, source, form) in enumerate(rows, start=1):
        Material.objects.create(
            version=licence,
            position=position,
            name=name,
            required=required,
            pendable=pendable,
            source=source,
            form=form,
            acceptance_standard="内容完整、签字盖章齐全" if position <= 2 else "",
        )
    licence.stage_tasks.all().delete()
    ProcessStageTask.objects.create(
        version=licence, stage=1, stage_name="受理", department=market, limit_workdays=0
    )
    ProcessStageTask.objects.create(
        version=licence, stage=2, stage_name="并联审批", department=market, limit_workdays=1
    )
    ProcessStageTask.objects.create(
        version=licence, stage=2, stage_name="并联审批", department=tax, limit_workdays=1
    )
    ProcessStageTask.objects.create(
        version=licence, stage=2, stage_name="并联审批", department=police, limit_workdays=1
    )

    others = [
        published(
            department=police,
            name="无犯罪记录证明开具",
            keywords="无犯罪 证明",
            handling_kind=HandlingKind.IMMEDIATE,
            promised_limit=0,
            item_type=ItemType.PUBLIC_SERVICE,
        ),
        published(
            department=fund,
            name="住房公积金提取（购房）",
            keywords="公积金 提取",
            item_type=ItemType.PUBLIC_SERVICE,
            fully_online=True,
            trips=0,
            online_depth=depth_mask([1, 2, 3, 4, 5]),
        ),
        published(
            department=civil,
            name="最低生活保障审核确认",
            keywords="低保",
            item_type=ItemType.PAYMENT,
            statutory_limit=30,
            promised_limit=20,
        ),
        published(
            department=tax,
            name="新办纳税人套餐式服务",
            keywords="税务登记 发票",
            for_natural_persons=False,
            for_legal_persons=True,
            item_type=ItemType.PUBLIC_SERVICE,
        ),
        published(
            department=market,
            name="食品经营许可",
            keywords="餐饮 食品",
            for_legal_persons=True,
            statutory_limit=20,
            promised_limit=10,
            fee_charged=False,
        ),
    ]
    bundle = Bundle.objects.create(
        centre=centre,
        code="qiye-kaiban",
        name="企业开办一件事",
        description="营业执照、公章刻制、发票申领和社保登记一表申请、一窗受理、一次办结。",
        is_published=True,
    )
    BundleItem.objects.create(bundle=bundle, item=licence.item, position=1)
    BundleItem.objects.create(bundle=bundle, item=others[3].item, position=2)
    return Portal(centre=centre, licence=licence, others=others, bundle=bundle)
