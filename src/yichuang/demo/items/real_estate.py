"""Demo items of 不动产登记中心."""

from __future__ import annotations

from yichuang.catalog.models import (
    ItemType,
    MaterialForm,
    MaterialSource,
    ResultType,
)
from yichuang.demo.items.specs import (
    ACCEPT,
    ATTORNEY,
    FULL,
    ID_CARD,
    ItemSpec,
    m,
    shared,
    t,
)

REAL_ESTATE_FEE_BASIS = (
    "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）；"
    "《财政部 国家发展改革委关于减免部分行政事业性收费有关政策的通知》（财税〔2019〕45号）"
)
REAL_ESTATE_FEE = "住宅类不动产登记费每件80元（含第一本证书工本费）；非住宅类每件550元"
REAL_ESTATE_WAIVER = (
    "小微企业（含个体工商户）免收不动产登记费；申请抵押登记等仅收取证书工本费的情形按规定执行"
)
REAL_ESTATE_LAW = "《不动产登记暂行条例》；《不动产登记暂行条例实施细则》"

ITEMS: tuple[ItemSpec, ...] = (
    ItemSpec(
        "bdc",
        "000405001000",
        "不动产首次登记（国有建设用地使用权及房屋所有权）",
        ItemType.CONFIRMATION,
        30,
        5,
        1,
        ACCEPT,
        (
            m("不动产登记申请书"),
            shared("申请人身份证明（营业执照或居民身份证）", "市场监督管理部门、公安机关"),
            m("国有建设用地使用权不动产权证书"),
            shared("建设工程规划核实证明", "自然资源主管部门"),
            m(
                "房屋竣工验收备案证明",
                pendable=True,
                source=MaterialSource.OTHER_BODY,
                issuing_body="住房和城乡建设主管部门",
                form=MaterialForm.COPY,
            ),
            m("房地产调查或者测绘报告", source=MaterialSource.OTHER_BODY, issuing_body="测绘机构"),
            shared("相关税费缴纳凭证", "税务机关"),
        ),
        (t(1, "审核", "bdc", 3), t(2, "登簿缮证", "bdc", 2)),
        "不动产权证书",
        ResultType.CERTIFICATE,
        windows=(1, 2, 3, 4, 5, 9, 13),
        legal_basis=REAL_ESTATE_LAW + "第二十条",
        keywords="房产证 首次登记 新建商品房 不动产权证",
        for_legal_persons=True,
        courier_delivery=True,
        online_payment=True,
        fee_basis=REAL_ESTATE_FEE_BASIS,
        fee_standard=REAL_ESTATE_FEE,
        fee_waiver=REAL_ESTATE_WAIVER,
    ),
    ItemSpec(
        "bdc",
        "000405002000",
        "不动产转移登记（存量房买卖）",
        ItemType.CONFIRMATION,
        30,
        3,
        1,
        ACCEPT,
        (
            m("不动产登记申请书"),
            shared("买卖双方居民身份证", "公安机关"),
            m("不动产权证书"),
            m("不动产买卖合同", form=MaterialForm.ORIGINAL),
            m("婚姻状况证明（结婚证或离婚证）", pendable=True, form=MaterialForm.COPY),
            shared("契税完税凭证", "税务机关", "税务部门在并联环节同步核定，免提交"),
            m("居民户口簿", required=False, form=MaterialForm.COPY, note="涉及共有人的提供"),
        ),
        (
            t(1, "登记审核与税费核定", "bdc", 2),
            t(1, "登记审核与税费核定", "sw", 2),
            t(2, "登簿缮证", "bdc", 1),
        ),
        "不动产权证书",
        ResultType.CERTIFICATE,
        windows=(1, 2, 3, 4, 5, 9, 13),
        legal_basis=REAL_ESTATE_LAW + "第三十八条",
        keywords="过户 二手房 房产证 买房 卖房",
        for_legal_persons=True,
        courier_delivery=True,
        online_payment=True,
        fee_basis=REAL_ESTATE_FEE_BASIS,
        fee_standard=REAL_ESTATE_FEE,
        fee_waiver=REAL_ESTATE_WAIVER,
        promised_limit_note="登记与税费核定“一窗受理、并行办理”",
    ),
    ItemSpec(
        "bdc",
        "000405003000",
        "不动产抵押登记",
        ItemType.CONFIRMATION,
        30,
        1,
        0,
        FULL,
        (
            m("不动产登记申请书"),
            m("不动产权证书"),
            m("主债权合同"),
            m("抵押合同"),
            shared("抵押权人营业执照及金融许可证", "市场监督管理部门、金融监管部门"),
            shared("抵押人居民身份证", "公安机关"),
        ),
        (t(1, "审核登簿", "bdc", 1),),
        "不动产登记证明（抵押权）",
        ResultType.CERTIFICATE,
        legal_basis=REAL_ESTATE_LAW + "；《中华人民共和国民法典》第四百零二条",
        keywords="抵押 贷款 按揭 银行",
        for_legal_persons=True,
        fully_online=True,
        online_payment=True,
        fee_basis=REAL_ESTATE_FEE_BASIS,
        fee_standard=REAL_ESTATE_FEE,
        fee_waiver=REAL_ESTATE_WAIVER,
        promised_limit_note="银行网点“不动产登记+金融服务”全程网办",
    ),
    ItemSpec(
        "bdc",
        "000420004000",
        "不动产登记资料查询",
        ItemType.PUBLIC_SERVICE,
        1,
        0,
        0,
        FULL,
        (ID_CARD, ATTORNEY),
        (t(1, "查询出具", "bdc", 0),),
        "不动产登记资料查询结果证明",
        ResultType.OTHER,
        legal_basis="《不动产登记资料查询暂行办法》",
        keywords="房产查询 有无房产证明 产权查询",
        fully_online=True,
        kiosk_handling=True,
    ),
)
