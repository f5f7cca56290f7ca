"""Notices as PDF (issue 3): the Chinese text is checked as `pdftotext` extracts it."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import segno
from PIL import Image

from yichuang.cases import services
from yichuang.cases.models import NoticeKind
from yichuang.cases.pdf import PdfFontMissing, chinese_date, notice_pdf
from yichuang.cases.tests import factories
from yichuang.catalog.tests import factories as catalog_factories
from yichuang.common import clock
from yichuang.orgs.tests import factories as orgs_factories

pytestmark = pytest.mark.django_db

STATUS_URL = "https://zwfw.example.gov.cn/status/?number=DS-20261129-000001"
TZ_OFFSET = dt.timedelta(hours=8)


def at(day: str, hour: int = 10) -> dt.datetime:
    """A moment on a Shanghai calendar day."""
    local = dt.datetime.fromisoformat(day).replace(hour=hour)
    return (local - TZ_OFFSET).replace(tzinfo=dt.UTC)


def _tool(name: str) -> str:
    """The poppler tool's path; skipped when missing unless YICHUANG_REQUIRE_BROWSER is set."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("YICHUANG_REQUIRE_BROWSER"):
            pytest.fail(f"{name} (poppler-utils) is required but not installed")
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return path


@pytest.fixture
def pdf_file(tmp_path):
    """Write PDF bytes to a file and return its path."""
    counter = iter(range(1000))

    def write(content: bytes) -> Path:
        path = tmp_path / f"notice-{next(counter)}.pdf"
        path.write_bytes(content)
        return path

    return write


@pytest.fixture
def text_of(pdf_file):
    """The text `pdftotext -layout` extracts from PDF bytes."""
    pdftotext = _tool("pdftotext")

    def extract(content: bytes) -> str:
        result = subprocess.run(
            [pdftotext, "-layout", str(pdf_file(content)), "-"],
            capture_output=True,
            check=True,
            text=True,
        )
        return result.stdout

    return extract


def pages_of(path: Path) -> int:
    result = subprocess.run(
        [_tool("pdfinfo"), str(path)], capture_output=True, check=True, text=True
    )
    return int(re.search(r"^Pages:\s+(\d+)", result.stdout, re.MULTILINE).group(1))


@pytest.fixture
def case():
    centre = orgs_factories.centre(
        name="东胜区政务服务中心", address="东胜区铁西路1号", phone="0477-8581234"
    )
    version = catalog_factories.published_item(
        department=orgs_factories.department(centre=centre),
        name="食品经营许可证核发",
        promised_limit=5,
    )
    return factories.case(
        item_version=version,
        number="DS-20261129-000001",
        applicant=factories.applicant(name="王小明", id_number="150422199003070018"),
    )


def _notice(case, kind, body):
    with clock.frozen(at("2026-11-29")):
        return factories.notice(case=case, kind=kind, body=body)


def _one_time_items(count: int) -> list[dict]:
    return [
        {
            "material": n,
            "name": f"证明材料第{n:02d}项",
            "problem": "missing" if n % 2 else "defective",
            "note": "未提交" if n % 2 else f"第{n:02d}页未盖章",
            "form": "原件",
            "copies": 1,
            "issuing_body": "市场监督管理局",
        }
        for n in range(1, count + 1)
    ]


# -- every notice ----------------------------------------------------------------------


def test_a_notice_names_centre_title_number_case_item_and_issue_date(case, text_of):
    notice = _notice(
        case, NoticeKind.ACCEPTANCE, {"accepted_on": "2026-11-27", "due_date": "2026-12-04"}
    )

    text = text_of(notice_pdf(notice=notice, status_url=STATUS_URL))

    assert "东胜区政务服务中心" in text
    assert "受理通知书" in text
    assert notice.number in text
    assert "DS-20261129-000001" in text
    assert "食品经营许可证核发" in text
    assert "2026年11月29日" in text


def test_a_notice_shows_the_applicant_id_number_masked(case, text_of):
    notice = _notice(case, NoticeKind.REFUSAL, {"reason": "不属于本中心受理范围"})

    text = text_of(notice_pdf(notice=notice, status_url=STATUS_URL))

    assert "王小明" in text
    assert "1504**********0018" in text
    assert "150422199003070018" not in text


def test_a_notice_carries_the_qr_caption_and_one_image(case, text_of, pdf_file):
    notice = _notice(case, NoticeKind.REFUSAL, {"reason": "不属于本中心受理范围"})
    content = notice_pdf(notice=notice, status_url=STATUS_URL)

    listing = subprocess.run(
        [_tool("pdfimages"), "-list", str(pdf_file(content))],
        capture_output=True,
        check=True,
        text=True,
    ).stdout

    assert "扫码查询办件进度" in text_of(content)
    assert len(listing.strip().splitlines()[2:]) == 1


def test_the_qr_image_holds_the_modules_of_the_status_url(case, pdf_file, tmp_path):
    """No QR decoder here: compare the embedded image with segno's matrix for the URL."""
    notice = _notice(case, NoticeKind.REFUSAL, {"reason": "不属于本中心受理范围"})
    path = pdf_file(notice_pdf(notice=notice, status_url=STATUS_URL))

    subprocess.run([_tool("pdfimages"), "-png", str(path), str(tmp_path / "img")], check=True)
    image = Image.open(tmp_path / "img-000.png").convert("L")
    expected = segno.make(STATUS_URL, error="m").matrix
    module = image.width / (len(expected) + 4)  # border of 2 modules each side
    dark = [
        [
            image.getpixel((int((c + 2.5) * module), int((r + 2.5) * module))) < 128
            for c in range(len(row))
        ]
        for r, row in enumerate(expected)
    ]

    assert dark == [[bool(v) for v in row] for row in expected]


def test_the_seal_area_names_the_centre_and_marks_the_seal(case, text_of):
    notice = _notice(case, NoticeKind.ACCEPTANCE, {})

    text = text_of(notice_pdf(notice=notice, status_url=STATUS_URL))

    assert "（盖章）" in text
    assert re.search(r"东胜区政务服务中心\s*\n\s*2026年11月29日", text)


# -- bodies by kind ----------------------------------------------------------------------


def test_acceptance_gives_acceptance_date_promised_limit_and_due_date(case, text_of):
    notice = _notice(
        case, NoticeKind.ACCEPTANCE, {"accepted_on": "2026-11-27", "due_date": "2026-12-04"}
    )

    text = text_of(notice_pdf(notice=notice, status_url=STATUS_URL))

    assert re.search(r"受理日期\s+2026年11月27日", text)
    assert re.search(r"承诺办结时限\s+5个工作日", text)
    assert re.search(r"承诺办结日期\s+2026年12月4日", text)


def test_pending_materials_lists_each_material_with_its_supply_deadline(case, text_of):
    body = {
        "accepted_on": "2026-11-27",
        "due_date": "2026-12-04",
        "supply_by": "2026-12-11",
        "items": [
            {
                "material": 1,
                "name": "卫生许可证明",
                "form": "原件",
                "copies": 1,
                "issuing_body": "卫健委",
            },
            {
                "material": 2,
                "name": "场所平面图",
                "form": "复印件",
                "copies": 2,
                "issuing_body": "",
            },
        ],
        "consequence": "逾期未补交的，撤销受理并记入信用记录",
    }
    notice = _notice(case, NoticeKind.PENDING_MATERIALS, body)

    text = text_of(notice_pdf(notice=notice, status_url=STATUS_URL))

    assert "容缺受理通知书" in text
    assert re.search(r"卫生许可证明\s+原件\s+1\s+卫健委\s+2026年12月11日", text)
    assert re.search(r"场所平面图\s+复印件\s+2\s+2026年12月11日", text)
    assert re.search(r"补交期限\s+2026年12月11日", text)
    assert "逾期未补交的，撤销受理并记入信用记录" in text


def test_one_time_notice_lists_every_item_and_says_it_is_everything(case, text_of):
    notice = _notice(case, NoticeKind.ONE_TIME, {"items": _one_time_items(3)})

    text = text_of(notice_pdf(notice=notice, status_url=STATUS_URL))

    assert "一次性告知书" in text
    assert re.search(r"证明材料第01项\s+缺少；未提交\s+原件\s+1\s+市场监督管理局", text)
    assert re.search(r"证明材料第02项\s+不符合要求；第02页未盖章", text)
    assert re.search(r"证明材料第03项\s+缺少；未提交", text)
    assert "以上共3项" in text
    assert "一次性告知" in text.split("以上共3项")[1]


def test_a_one_time_notice_of_40_items_breaks_across_pages_and_keeps_every_item(
    case, text_of, pdf_file
):
    notice = _notice(case, NoticeKind.ONE_TIME, {"items": _one_time_items(40)})
    content = notice_pdf(notice=notice, status_url=STATUS_URL)

    text = text_of(content)

    assert pages_of(pdf_file(content)) > 1
    assert all(f"证明材料第{n:02d}项" in text for n in range(1, 41))
    assert all(f"第{n:02d}页未盖章" in text for n in range(2, 41, 2))
    table_pages = [page for page in text.split("\f") if "证明材料第" in page]
    assert len(table_pages) > 1
    assert all("材料名称" in page for page in table_pages)  # the heading row repeats


def test_long_text_wraps_inside_the_page(case, text_of):
    reason = "申请人提交的经营场所证明与实际经营地址不一致，" * 12
    notice = _notice(case, NoticeKind.REFUSAL, {"reason": reason})

    text = text_of(notice_pdf(notice=notice, status_url=STATUS_URL))

    lines = [line.strip() for line in text.splitlines() if "经营场所证明" in line]
    assert len(lines) > 4
    assert reason in re.sub(r"\s+", "", text)


def test_refusal_gives_the_reason_and_the_ways_to_challenge_it(case, text_of):
    notice = _notice(case, NoticeKind.REFUSAL, {"reason": "不属于本中心受理范围"})

    text = re.sub(r"\s+", "", text_of(notice_pdf(notice=notice, status_url=STATUS_URL)))

    assert "不予受理通知书" in text
    assert "不予受理的理由：不属于本中心受理范围" in text
    assert "《中华人民共和国行政复议法》" in text
    assert "六十日内申请行政复议" in text
    assert "《中华人民共和国行政诉讼法》" in text
    assert "六个月内向人民法院提起行政诉讼" in text


def test_correction_lists_items_and_the_department(case, text_of):
    body = {
        "items": [
            {"material": 1, "name": "营业执照", "note": "提供副本原件"},
            {"material": 2, "name": "法定代表人身份证明", "note": "签字不清"},
        ],
        "department": "东胜区市场监督管理局",
    }
    notice = _notice(case, NoticeKind.CORRECTION, body)

    text = text_of(notice_pdf(notice=notice, status_url=STATUS_URL))

    assert "补正材料通知书" in text
    assert "经东胜区市场监督管理局审查" in text
    assert re.search(r"营业执照\s+提供副本原件", text)
    assert re.search(r"法定代表人身份证明\s+签字不清", text)


def test_suspension_gives_kind_reason_and_start(case, text_of):
    body = {
        "kind": "expert_review",
        "kind_label": "专家评审",
        "reason": "需组织专家论证",
        "started_on": "2026-11-30",
    }
    notice = _notice(case, NoticeKind.SUSPENSION, body)

    text = text_of(notice_pdf(notice=notice, status_url=STATUS_URL))

    assert "暂停计时告知书" in text
    assert re.search(r"特别程序\s+专家评审", text)
    assert re.search(r"事由\s+需组织专家论证", text)
    assert re.search(r"暂停计时日期\s+2026年11月30日", text)
    assert "expert_review" not in text


def test_extension_gives_days_reason_and_new_due_date(case, text_of):
    body = {"workdays": 10, "reason": "需现场核查", "due_date": "2026-12-18"}
    notice = _notice(case, NoticeKind.EXTENSION, body)

    text = text_of(notice_pdf(notice=notice, status_url=STATUS_URL))

    assert "延期告知书" in text
    assert re.search(r"延期理由\s+需现场核查", text)
    assert re.search(r"延长期限\s+10个工作日", text)
    assert re.search(r"延期后办结日期\s+2026年12月18日", text)


def test_missing_keys_leave_their_lines_out(case, text_of):
    notice = _notice(case, NoticeKind.EXTENSION, {"reason": "需现场核查"})

    text = text_of(notice_pdf(notice=notice, status_url=STATUS_URL))

    assert "需现场核查" in text
    assert "延长期限" not in text
    assert "延期后办结日期" not in text


def test_the_one_time_notice_written_by_the_service_renders_every_item(text_of):
    version = catalog_factories.published_item(materials=3)
    officer = orgs_factories.staff(centre=version.item.centre).user
    with clock.frozen(at("2026-03-02")):
        case = services.case_open(
            user=officer, item_version=version, applicant=factories.applicant()
        )
    second = version.materials.get(position=2)
    with clock.frozen(at("2026-03-02", 11)):
        services.case_material_add(user=officer, case=case, content=factories.PDF, material=second)
        services.case_issue_one_time_notice(
            user=officer, case=case, defects=[(second, "复印件不清晰")]
        )
    notice = case.notices.get(kind=NoticeKind.ONE_TIME)

    text = text_of(notice_pdf(notice=notice, status_url=STATUS_URL))

    assert re.search(r"申请材料1\s+缺少；未提交", text)
    assert re.search(r"申请材料2\s+不符合要求；复印件不清晰", text)
    assert re.search(r"申请材料3\s+缺少；未提交", text)
    assert "2026年3月2日" in text


# -- font ------------------------------------------------------------------------------


def test_a_missing_font_is_a_503_domain_error_not_a_crash(case, settings, tmp_path):
    settings.YICHUANG = {**settings.YICHUANG, "PDF_FONT": str(tmp_path / "absent.ttc")}
    notice = _notice(case, NoticeKind.REFUSAL, {"reason": "不属于本中心受理范围"})

    with pytest.raises(PdfFontMissing) as caught:
        notice_pdf(notice=notice, status_url=STATUS_URL)

    assert caught.value.code == "pdf_font_missing"
    assert caught.value.status == 503
    assert "fonts-noto-cjk" in caught.value.message
    assert "YICHUANG_PDF_FONT" in caught.value.message


def test_no_font_configured_is_the_same_error(case, settings):
    settings.YICHUANG = {**settings.YICHUANG, "PDF_FONT": ""}
    notice = _notice(case, NoticeKind.REFUSAL, {"reason": "不属于本中心受理范围"})

    with pytest.raises(PdfFontMissing):
        notice_pdf(notice=notice, status_url=STATUS_URL)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2026, 11, 29), "2026年11月29日"),
        ("2026-03-02", "2026年3月2日"),
        ("2026-03-02T10:00:00+08:00", "2026年3月2日"),
        ("", ""),
        (None, ""),
        ("not a date", ""),
    ],
)
def test_chinese_date(value, expected):
    assert chinese_date(value) == expected


def test_a_file_that_is_not_a_font_is_a_503_domain_error(case, settings, tmp_path):
    fake = tmp_path / "fake.ttf"
    fake.write_bytes(b"not a font at all" * 100)
    settings.YICHUANG = {**settings.YICHUANG, "PDF_FONT": str(fake)}
    notice = _notice(case, NoticeKind.REFUSAL, {"reason": "不属于本中心受理范围"})

    with pytest.raises(PdfFontMissing) as caught:
        notice_pdf(notice=notice, status_url=STATUS_URL)

    assert caught.value.code == "pdf_font_unusable"
    assert caught.value.status == 503
