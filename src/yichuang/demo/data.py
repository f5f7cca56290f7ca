"""The demo centre: centres, departments, windows, bundles and the demo logins.

Modelled on 巴林左旗政务服务中心 (赤峰市, 内蒙古): five comprehensive windows, specialist
windows for tax, public security and real estate, an enterprise start-up zone, a project
approval zone and a result window, with two township centres and a community station
below the county. Addresses and names are realistic; every phone number, person and
identity number is fictional.

This module is the single place the demo logins live (`DEMO_ACCOUNTS`, `DEMO_PASSWORD`);
`logins_markdown()` renders them for the README. The service items are in `demo.items`.

Codes:
- Departments' USCCs: "11" (a government body) or "12" (a public institution, 事业单位) +
  region code 150422 (巴林左旗) + a fictional 9-character organisation code + the GB 32100
  check character, computed here.
- Implementation codes (实施编码, 31 characters) = the department's USCC + level digit +
  12-character base code. The level digit follows the national convention 1 national,
  2 provincial, 3 city, 4 county, 5 township, 6 village; every demo item is a county item
  ("4"). Demo base codes are fictional.
"""

from __future__ import annotations

from dataclasses import dataclass

from yichuang.identity.validation import resident_id_check_character, uscc_check_character
from yichuang.orgs.models import CentreLevel, Role, WindowKind

# One password for every demo login. It exists only in demo installs: `seed_demo` refuses
# to run unless YICHUANG_DEMO=1 (or --force is given).
DEMO_PASSWORD = "yichuang-demo-2026"

SITE_URL = "http://127.0.0.1:8000"
ADMIN_PATH = "/admin/"
API_DOCS_PATH = "/api/docs"
HALL_SCREEN_PATH = "/hall/screen/"
HALL_FIGURES_PATH = "/hall/figures/"

COUNTY = "balinzuoqi"  # the code of the county centre, where the catalogue lives
LEVEL_DIGIT = "4"  # county, see the module docstring
REGION = "150422"  # 巴林左旗


def uscc(prefix: str, organisation_code: str, *, region: str = REGION) -> str:
    """A USCC with its GB 32100 check character: prefix (2) + region (6) + org code (9)."""
    body = f"{prefix}{region}{organisation_code}"
    assert len(body) == 17, body
    return body + uscc_check_character(body)


def resident_id(first17: str) -> str:
    """A resident ID with its GB 11643 check character."""
    assert len(first17) == 17, first17
    return first17 + resident_id_check_character(first17)


# --- centres -------------------------------------------------------------------------------

HOURS_COUNTY = (
    "工作日 上午8:30—12:00，下午14:30—17:30（夏季下午15:00—18:00）；税务、公安自助服务区24小时开放"
)
HOURS_TOWNSHIP = "工作日 上午8:30—12:00，下午14:30—17:30"


@dataclass(frozen=True)
class CentreSpec:
    code: str
    name: str
    level: str
    parent: str | None
    region_code: str
    address: str
    phone: str
    complaint_phone: str
    opening_hours: str


CENTRES: tuple[CentreSpec, ...] = (
    CentreSpec(
        code="chifeng",
        name="赤峰市政务服务中心",
        level=CentreLevel.LEAGUE_CITY,
        parent=None,
        region_code="150400",
        address="内蒙古自治区赤峰市松山区临潢大街政务服务中心",
        phone="0476-8800100",
        complaint_phone="12345",
        opening_hours="工作日 上午8:30—12:00，下午14:30—17:30",
    ),
    CentreSpec(
        code=COUNTY,
        name="巴林左旗政务服务中心",
        level=CentreLevel.COUNTY,
        parent="chifeng",
        region_code=REGION,
        address="内蒙古自治区赤峰市巴林左旗林东镇契丹大街西段政务服务大厅",
        phone="0476-7800100",
        complaint_phone="0476-7800110",
        opening_hours=HOURS_COUNTY,
    ),
    CentreSpec(
        code="lindong",
        name="林东镇便民服务中心",
        level=CentreLevel.TOWNSHIP,
        parent=COUNTY,
        region_code="",
        address="内蒙古自治区赤峰市巴林左旗林东镇辽上京路林东镇人民政府一楼",
        phone="0476-7800200",
        complaint_phone="0476-7800110",
        opening_hours=HOURS_TOWNSHIP,
    ),
    CentreSpec(
        code="biliutai",
        name="碧流台镇便民服务中心",
        level=CentreLevel.TOWNSHIP,
        parent=COUNTY,
        region_code="",
        address="内蒙古自治区赤峰市巴林左旗碧流台镇碧流台村镇政府院内",
        phone="0476-7800300",
        complaint_phone="0476-7800110",
        opening_hours=HOURS_TOWNSHIP,
    ),
    CentreSpec(
        code="shangjinglu",
        name="上京路社区便民服务站",
        level=CentreLevel.VILLAGE,
        parent="lindong",
        region_code="",
        address="内蒙古自治区赤峰市巴林左旗林东镇上京路社区党群服务中心",
        phone="0476-7800210",
        complaint_phone="0476-7800110",
        opening_hours="工作日 上午8:30—12:00，下午14:30—17:30；上门服务请电话预约",
    ),
)


# --- departments (all stationed in the county centre) ---------------------------------------


@dataclass(frozen=True)
class DepartmentSpec:
    key: str  # short latin key: usernames (reviewer_<key>) and the item data refer to it
    name: str
    short_name: str
    uscc: str
    phone: str


DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec(
        "scjg", "巴林左旗市场监督管理局", "市场监管局", uscc("11", "011582031"), "0476-7800121"
    ),
    DepartmentSpec(
        "sw", "国家税务总局巴林左旗税务局", "税务局", uscc("11", "011582118"), "0476-7800122"
    ),
    DepartmentSpec("ga", "巴林左旗公安局", "公安局", uscc("11", "011582046"), "0476-7800123"),
    DepartmentSpec(
        "bdc", "巴林左旗不动产登记中心", "不动产登记中心", uscc("12", "MB1D42837"), "0476-7800124"
    ),
    DepartmentSpec(
        "gjj", "巴林左旗住房公积金管理中心", "公积金中心", uscc("12", "MB1D43151"), "0476-7800125"
    ),
    DepartmentSpec("mz", "巴林左旗民政局", "民政局", uscc("11", "011582089"), "0476-7800126"),
    DepartmentSpec(
        "rs", "巴林左旗人力资源和社会保障局", "人社局", uscc("11", "011582097"), "0476-7800127"
    ),
    DepartmentSpec("yb", "巴林左旗医疗保障局", "医保局", uscc("11", "MB1C92740"), "0476-7800128"),
    DepartmentSpec(
        "zj", "巴林左旗住房和城乡建设局", "住建局", uscc("11", "011582054"), "0476-7800129"
    ),
    DepartmentSpec(
        "zr", "巴林左旗自然资源局", "自然资源局", uscc("11", "MB1C91035"), "0476-7800130"
    ),
    DepartmentSpec(
        "jt", "巴林左旗交通运输局", "交通运输局", uscc("11", "011582062"), "0476-7800131"
    ),
    DepartmentSpec(
        "wj", "巴林左旗卫生健康委员会", "卫健委", uscc("11", "MB1C93297"), "0476-7800132"
    ),
    DepartmentSpec(
        "zwfw", "巴林左旗政务服务局", "政务服务局", uscc("11", "MB1C95108"), "0476-7800133"
    ),
)

DEPARTMENT_BY_KEY = {d.key: d for d in DEPARTMENTS}


# --- windows -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WindowSpec:
    centre: str
    number: int
    name: str
    kind: str
    departments: tuple[str, ...] = ()


COMPREHENSIVE_WINDOWS = (1, 2, 3, 4, 5)

WINDOWS: tuple[WindowSpec, ...] = (
    *(
        WindowSpec(COUNTY, n, f"综合受理{n}", WindowKind.COMPREHENSIVE)
        for n in COMPREHENSIVE_WINDOWS
    ),
    WindowSpec(
        COUNTY, 6, "企业开办专区", WindowKind.SPECIALIST, ("scjg", "sw", "ga", "rs", "gjj", "zwfw")
    ),
    WindowSpec(COUNTY, 7, "税务综合窗口", WindowKind.SPECIALIST, ("sw",)),
    WindowSpec(COUNTY, 8, "公安户政及自助服务区", WindowKind.SPECIALIST, ("ga",)),
    WindowSpec(COUNTY, 9, "不动产登记窗口", WindowKind.SPECIALIST, ("bdc", "zr", "sw")),
    WindowSpec(COUNTY, 10, "住房公积金窗口", WindowKind.SPECIALIST, ("gjj",)),
    WindowSpec(COUNTY, 11, "项目审批专区", WindowKind.SPECIALIST, ("zj", "zr", "jt")),
    WindowSpec(COUNTY, 12, "帮办代办窗口", WindowKind.SPECIALIST, ("zwfw",)),
    WindowSpec(COUNTY, 13, "出件窗口", WindowKind.RESULT),
    WindowSpec("lindong", 1, "综合受理", WindowKind.COMPREHENSIVE),
    WindowSpec("lindong", 2, "社保医保代办", WindowKind.COMPREHENSIVE),
    WindowSpec("biliutai", 1, "综合受理", WindowKind.COMPREHENSIVE),
    WindowSpec("biliutai", 2, "民政救助代办", WindowKind.COMPREHENSIVE),
    WindowSpec("shangjinglu", 1, "帮办代办", WindowKind.COMPREHENSIVE),
)

# The county centre's result window (出件窗口), among an item's "办理窗口" unless it lists its own.
WINDOW_RESULT = 13


# --- the demo logins ---------------------------------------------------------------------


@dataclass(frozen=True)
class AccountSpec:
    """A demo staff login. `department` is a DepartmentSpec key (reviewers need one)."""

    username: str
    name: str
    roles: tuple[str, ...]
    centre: str
    department: str | None = None
    employee_number: str = ""
    phone: str = ""
    is_party_member: bool = True


# The system administrator: a Django superuser, not a centre's staff member.
SUPERUSER_USERNAME = "admin"
SUPERUSER_NAME = "系统管理员"

_REVIEWER_NAMES = {
    "scjg": "巴特尔",
    "sw": "刘春梅",
    "ga": "张志刚",
    "bdc": "高玉兰",
    "gjj": "马俊峰",
    "mz": "乌云娜",
    "rs": "何建军",
    "yb": "其其格",
    "zj": "杨振东",
    "zr": "阿拉坦仓",
    "jt": "许宏伟",
    "wj": "韩晓丽",
    "zwfw": "斯琴",
}

DEMO_ACCOUNTS: tuple[AccountSpec, ...] = (
    AccountSpec("centre_admin", "陈静", (Role.CENTRE_ADMIN,), COUNTY, employee_number="BZ001"),
    AccountSpec("leader", "冯国栋", (Role.LEADER,), COUNTY, employee_number="BZ002"),
    *(
        AccountSpec(
            f"window{n}",
            name,
            (Role.WINDOW_OFFICER,),
            COUNTY,
            employee_number=f"BZ1{n:02d}",
        )
        for n, name in zip(
            COMPREHENSIVE_WINDOWS, ("赵雅琴", "孙志强", "周晓燕", "吴海龙", "郑丽娜"), strict=True
        )
    ),
    # Officers of the specialist and result windows the hall's queues B, C, E and F call to
    # (`windowN` serves window N, as window1 … window5 serve the comprehensive windows).
    *(
        AccountSpec(
            f"window{n}", name, (Role.WINDOW_OFFICER,), COUNTY, employee_number=f"BZ1{n:02d}"
        )
        for n, name in ((7, "包海英"), (8, "李振华"), (9, "敖日格乐"), (WINDOW_RESULT, "刘晓红"))
    ),
    AccountSpec("helper1", "褚慧敏", (Role.HELPER,), COUNTY, employee_number="BZ201"),
    *(
        AccountSpec(
            f"reviewer_{d.key}",
            _REVIEWER_NAMES[d.key],
            (Role.REVIEWER,),
            COUNTY,
            department=d.key,
            employee_number=f"BZ3{i:02d}",
        )
        for i, d in enumerate(DEPARTMENTS, start=1)
    ),
    AccountSpec(
        "window_lindong", "王淑芬", (Role.WINDOW_OFFICER,), "lindong", employee_number="LD101"
    ),
    AccountSpec(
        "window_biliutai", "包金山", (Role.WINDOW_OFFICER,), "biliutai", employee_number="BL101"
    ),
    AccountSpec(
        "helper_shangjinglu", "田秀英", (Role.HELPER,), "shangjinglu", employee_number="SJ201"
    ),
)


# --- the hall's queues (county centre) -------------------------------------------------------


@dataclass(frozen=True)
class QueueSpec:
    code: str  # the ticket letter
    name: str
    windows: tuple[int, ...]  # window numbers of the county centre
    service_minutes: int
    slot_capacity: int  # per appointment slot; 0: no appointments
    description: str = ""


QUEUES: tuple[QueueSpec, ...] = (
    QueueSpec("A", "综合受理", COMPREHENSIVE_WINDOWS, 12, 4, "无差别综合受理：各类事项一窗受理"),
    QueueSpec("B", "不动产登记", (9,), 20, 3, "不动产登记、交易与税费一窗办理"),
    QueueSpec("C", "税务", (7,), 10, 3, "涉税事项、发票领用、社保费缴纳"),
    # 人社、医保 have no window of their own: two comprehensive windows serve them.
    QueueSpec("D", "社保医保", (4, 5), 8, 3, "社会保险、医疗保障业务"),
    QueueSpec("E", "公安户政/出入境", (8,), 10, 2, "户籍、居民身份证、出入境证件"),
    QueueSpec("F", "出件", (WINDOW_RESULT,), 3, 0, "领取证照和办理结果"),
)


# --- demo applicants (for the case engine and the portal) -----------------------------------


@dataclass(frozen=True)
class ApplicantSpec:
    username: str
    kind: str  # identity.ApplicantKind value
    id_number: str
    name: str
    phone: str
    legal_representative: str = ""
    legal_representative_id: str = ""


DEMO_APPLICANTS: tuple[ApplicantSpec, ...] = (
    ApplicantSpec(
        username="citizen1",
        kind="natural_person",
        id_number=resident_id("15042219880612302"),
        name="赵文静",
        phone="13947600001",
    ),
    ApplicantSpec(
        username="company1",
        kind="legal_person",
        id_number=uscc("91", "MA0Q7L8C1"),
        name="巴林左旗辽上京农牧业发展有限公司",
        phone="0476-7866001",
        legal_representative="白乌力吉",
        legal_representative_id=resident_id("15042219750308151"),
    ),
)


# --- bundles (一件事一次办) -------------------------------------------------------------------


@dataclass(frozen=True)
class BundleSpec:
    code: str
    name: str
    description: str
    items: tuple[str, ...]  # base codes of demo items (demo.items), in order


BUNDLES: tuple[BundleSpec, ...] = (
    BundleSpec(
        code="qiye-kaiban",
        name="企业开办一件事",
        description=(
            "营业执照、印章刻制、涉税信息确认与发票领用、社保登记、公积金缴存登记、"
            "银行开户预约一表申请、一窗受理、并联办理，全程网办，1个工作日内办结。"
        ),
        items=(
            "000101001000",  # 企业设立登记（营业执照核发）
            "000307001000",  # 印章刻制备案
            "000220001000",  # 涉税信息确认
            "000207002000",  # 发票领用
            "000720001000",  # 社会保险登记（单位参保登记）
            "000720002000",  # 就业登记
            "000520004000",  # 单位住房公积金缴存登记
            "001320001000",  # 企业银行开户预约
        ),
    ),
    BundleSpec(
        code="xinshenger-chusheng",
        name="新生儿出生一件事",
        description="出生登记（申报户口）、城乡居民医保参保登记、社会保障卡申领一次申请、一次办结。",
        items=("000305004000", "000820001000", "000720005000"),
    ),
    BundleSpec(
        code="cunliangfang-jiaoyi",
        name="存量房交易登记一件事",
        description="契税申报、不动产转移登记和住房公积金提取一窗受理，登记与税费核定并行办理。",
        items=("000206004000", "000405002000", "000520001000"),
    ),
)


# --- the login table ---------------------------------------------------------------------


def _centre_name(code: str) -> str:
    return next(c.name for c in CENTRES if c.code == code)


def login_rows() -> list[tuple[str, str, str, str]]:
    """(username, password, role, centre / department) for every demo login, in order."""
    rows = [(SUPERUSER_USERNAME, DEMO_PASSWORD, SUPERUSER_NAME + "（超级用户）", "全部")]
    for account in DEMO_ACCOUNTS:
        role = "、".join(str(Role(r).label) for r in account.roles)
        where = _centre_name(account.centre)
        if account.department:
            where += " / " + DEPARTMENT_BY_KEY[account.department].name
        rows.append((account.username, DEMO_PASSWORD, f"{role}（{account.name}）", where))
    for applicant in DEMO_APPLICANTS:
        kind = "申请人（自然人）" if applicant.kind == "natural_person" else "申请人（法人）"
        rows.append((applicant.username, DEMO_PASSWORD, f"{kind}（{applicant.name}）", "—"))
    return rows


def logins_markdown() -> str:
    """The demo logins as a Markdown table (the README copies it)."""
    lines = ["| 登录名 | 密码 | 角色 | 中心 / 部门 |", "|---|---|---|---|"]
    lines += [f"| `{u}` | `{p}` | {r} | {w} |" for u, p, r, w in login_rows()]
    return "\n".join(lines)
