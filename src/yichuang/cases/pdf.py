"""Notices (告知文书) as printable PDF: A4, Chinese text embedded and extractable.

`notice_pdf(notice=…, status_url=…)` renders one `Notice` from its stored `body` (the
snapshot written when the notice was issued) and the case it belongs to. Keys missing from
the body are left out of the document; nothing is made up to fill them. The font is a
CJK OpenType/TrueType file from `settings.YICHUANG["PDF_FONT"]`, embedded as a subset
(see docs/adr/0003-pdf-notices.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from fontTools.ttLib import TTCollection
from fpdf import FPDF
from fpdf.enums import Align, TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace

from yichuang.cases.models import Case, Notice, NoticeKind
from yichuang.catalog.models import HandlingKind
from yichuang.common.errors import DomainError
from yichuang.identity.access import id_number_for

FONT_FAMILY = "cjk"
PAGE_MARGIN = 22  # mm, left and right
TOP_MARGIN = 20
BOTTOM_MARGIN = 18
LINE = 7  # mm, body line height
TABLE_LINE = 6
BODY_SIZE = 12
SMALL_SIZE = 9
QR_SIZE = 30  # mm
SEAL_W, SEAL_H = 62, 46  # mm: room for a 42 mm round seal
GREY = (90, 90, 90)
HEADING_FILL = (235, 235, 235)


class PdfFontMissing(DomainError):
    """No CJK font to embed: the host lacks a package or a setting (HTTP 503)."""

    status = 503


# -- font ------------------------------------------------------------------------------


def font_path() -> Path:
    """The configured CJK font file, or `PdfFontMissing`."""
    configured = settings.YICHUANG.get("PDF_FONT") or ""
    path = Path(configured) if configured else None
    if path is None or not path.is_file():
        raise PdfFontMissing(
            code="pdf_font_missing",
            message=_(
                "服务器未安装中文字体，无法生成PDF文书。请管理员安装 fonts-noto-cjk，"
                "或以环境变量 YICHUANG_PDF_FONT 指定中文字体文件"
            ),
            details={"font": configured},
        )
    return path


def _font_add(pdf: FPDF) -> None:
    """Load the configured font into `pdf`; a file that is not a usable font is a 503."""
    path = font_path()
    try:
        pdf.add_font(FONT_FAMILY, fname=path, collection_font_number=_collection_face(str(path)))
    except Exception as exc:  # fontTools raises many kinds for a damaged or foreign file
        raise PdfFontMissing(
            code="pdf_font_unusable",
            message=_(
                "配置的中文字体文件无法使用，无法生成PDF文书。请管理员检查 YICHUANG_PDF_FONT "
                "所指的文件（TrueType/OpenType 字体），或安装 fonts-noto-cjk"
            ),
            details={"font": str(path)},
        ) from exc


@functools.cache
def _collection_face(path: str) -> int:
    """The face of a font collection (.ttc) to use: the Simplified Chinese one if named so.

    Noto Sans/Serif CJK collections hold JP, KR, SC, TC and HK faces in that order; the SC
    face draws the glyph shapes of mainland printing (AR PL UMing calls its face "CN").
    A single font file is face 0.
    """
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    collection = TTCollection(path, lazy=True)
    try:
        for index, face in enumerate(collection.fonts):
            family = face["name"].getDebugName(1) or ""
            if family.endswith((" SC", " CN")):
                return index
    finally:
        collection.close()
    return 0


# -- small helpers ---------------------------------------------------------------------


def chinese_date(value: dt.date | str | None) -> str:
    """`2026-11-29` → `2026年11月29日`; empty for a missing or unreadable value."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return ""
    return f"{value.year}年{value.month}月{value.day}日"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


class _NoticeDocument(FPDF):
    """A4 portrait page with a footer naming the centre and the page."""

    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT_FAMILY, size=SMALL_SIZE)
        self.set_text_color(*GREY)
        page = _("第{page}页，共{pages}页").format(page=self.page_no(), pages="{nb}")
        self.cell(0, 5, self.footer_text, align=Align.L)
        self.set_x(self.l_margin)
        self.cell(0, 5, page, align=Align.R)
        self.set_text_color(0, 0, 0)


class _Renderer:
    def __init__(self, *, notice: Notice, status_url: str) -> None:
        self.notice = notice
        self.case: Case = notice.case
        self.body: dict[str, Any] = notice.body if isinstance(notice.body, dict) else {}
        self.status_url = status_url
        self.pdf = _NoticeDocument(orientation="P", unit="mm", format="A4")
        _font_add(self.pdf)
        self.pdf.set_margins(PAGE_MARGIN, TOP_MARGIN, PAGE_MARGIN)
        self.pdf.set_auto_page_break(True, margin=BOTTOM_MARGIN)
        self.pdf.set_lang("zh-CN")
        self.pdf.set_title(f"{self.title} {notice.number}")
        self.pdf.set_author(self.case.centre.name)
        self.pdf.set_creation_date(notice.issued_at)
        self.pdf.footer_text = self._footer_text()

    @property
    def title(self) -> str:
        return str(NoticeKind(self.notice.kind).label)

    @property
    def item_name(self) -> str:
        return self.case.item_version.name

    def _footer_text(self) -> str:
        centre = self.case.centre
        parts = [centre.name]
        if centre.address:
            parts.append(_("地址：{address}").format(address=centre.address))
        if centre.phone:
            parts.append(_("咨询电话：{phone}").format(phone=centre.phone))
        return "  ".join(parts)

    # -- building blocks -----------------------------------------------------------------

    def paragraph(self, text: str, *, size: float = BODY_SIZE, indent: bool = True) -> None:
        if not text:
            return
        self.pdf.set_font(FONT_FAMILY, size=size)
        # Two full-width characters of indent, made of no-break spaces: multi_cell drops
        # leading U+3000 and ordinary spaces when the paragraph wraps.
        prefix = "\u00a0" * self._indent_spaces() if indent else ""
        self.pdf.multi_cell(
            0, LINE, prefix + text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align=Align.L
        )

    def _indent_spaces(self) -> int:
        return round(
            self.pdf.get_string_width("\u3000\u3000") / self.pdf.get_string_width("\u00a0")
        )

    def facts(self, rows: Sequence[tuple[str, str]]) -> None:
        """Label/value lines, skipping rows without a value."""
        rows = [(label, value) for label, value in rows if value]
        if not rows:
            return
        self.pdf.set_font(FONT_FAMILY, size=BODY_SIZE)
        with self.pdf.table(
            col_widths=(34, 132),
            first_row_as_headings=False,
            line_height=TABLE_LINE + 1,
            text_align=(Align.L, Align.L),
            padding=1.5,
            borders_layout="ALL",
        ) as table:
            for label, value in rows:
                row = table.row()
                row.cell(label)
                row.cell(value)
        self.pdf.ln(3)

    def grid(
        self,
        headings: Sequence[str],
        widths: Sequence[float],
        rows: Sequence[Sequence[str]],
    ) -> None:
        """A table that breaks across pages and repeats its heading row."""
        self.pdf.set_font(FONT_FAMILY, size=10.5)
        with self.pdf.table(
            col_widths=tuple(widths),
            line_height=TABLE_LINE,
            text_align="LEFT",
            padding=1.2,
            headings_style=FontFace(fill_color=HEADING_FILL),
            cell_fill_mode=TableCellFillMode.NONE,
            repeat_headings=1,
        ) as table:
            heading = table.row()
            for text in headings:
                heading.cell(text)
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(value)
        self.pdf.ln(3)

    # -- the document ----------------------------------------------------------------------

    def render(self) -> bytes:
        pdf = self.pdf
        pdf.add_page()
        pdf.set_font(FONT_FAMILY, size=16)
        pdf.cell(0, 9, self.case.centre.name, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
        pdf.set_font(FONT_FAMILY, size=22)
        pdf.cell(0, 12, self.title, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT_FAMILY, size=10.5)
        pdf.cell(
            0,
            7,
            _("文书编号：{number}").format(number=self.notice.number),
            align=Align.R,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.set_draw_color(160, 30, 30)
        pdf.set_line_width(0.6)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.set_draw_color(0, 0, 0)
        pdf.set_line_width(0.2)
        pdf.ln(5)
        self.case_facts()
        self.paragraph(_("{name}：").format(name=self.case.applicant.name), indent=False)
        BODIES[NoticeKind(self.notice.kind)](self)
        self.closing_block()
        return bytes(pdf.output())

    def case_facts(self) -> None:
        case, version = self.case, self.case.item_version
        applicant = case.applicant
        id_number = id_number_for(None, applicant.id_number)
        applicant_text = applicant.name + (
            _("（证件号码：{number}）").format(number=id_number) if id_number else ""
        )
        limit = ""
        if version.handling_kind == HandlingKind.PROMISED and version.promised_limit:
            limit = _("{n}个{unit}").format(
                n=version.promised_limit, unit=version.get_promised_limit_unit_display()
            )
        self.facts(
            [
                (_("办件编号"), case.number),
                (_("申请人"), applicant_text),
                (_("事项名称"), self.item_name),
                (_("办件类型"), version.get_handling_kind_display()),
                (_("承诺办结时限"), limit),
            ]
        )

    def closing_block(self) -> None:
        """QR code with its caption at the left, the seal area at the bottom right."""
        pdf = self.pdf
        block_h = SEAL_H + 4
        bottom = pdf.h - BOTTOM_MARGIN - 4
        if pdf.get_y() + block_h + 6 > bottom:
            pdf.add_page()
        top = bottom - block_h
        # QR code
        qr = segno.make(self.status_url, error="m")
        image = io.BytesIO()
        qr.save(image, kind="png", scale=8, border=2)
        image.seek(0)
        pdf.image(image, x=pdf.l_margin, y=top, w=QR_SIZE, h=QR_SIZE)
        pdf.set_font(FONT_FAMILY, size=SMALL_SIZE)
        pdf.set_xy(pdf.l_margin - 4, top + QR_SIZE + 1)
        pdf.cell(QR_SIZE + 8, 5, _("扫码查询办件进度"), align=Align.C)
        # seal area
        x = pdf.w - pdf.r_margin - SEAL_W
        pdf.set_draw_color(150, 150, 150)
        pdf.set_dash_pattern(dash=1.5, gap=1.2)
        pdf.rect(x, top, SEAL_W, SEAL_H)
        pdf.set_dash_pattern()
        pdf.set_draw_color(0, 0, 0)
        pdf.set_text_color(*GREY)
        pdf.set_xy(x, top + 3)
        pdf.cell(SEAL_W, 5, _("（盖章）"), align=Align.C)
        pdf.set_text_color(0, 0, 0)
        pdf.set_font(FONT_FAMILY, size=BODY_SIZE)
        pdf.set_xy(x, top + SEAL_H - 17)
        pdf.multi_cell(SEAL_W, LINE, self.case.centre.name, align=Align.C)
        pdf.set_xy(x, top + SEAL_H - 9)
        issued = timezone.localtime(self.notice.issued_at).date()
        pdf.cell(SEAL_W, LINE, chinese_date(issued), align=Align.C)

    # -- bodies by kind ----------------------------------------------------------------------

    def _date(self, key: str, fallback: dt.date | None = None) -> str:
        return chinese_date(self.body.get(key)) or chinese_date(fallback)

    def acceptance(self) -> None:
        self.paragraph(
            _(
                "你（单位）提出的“{item}”申请，经审查，申请材料齐全、符合法定形式，本中心决定予以受理。"
            ).format(item=self.item_name)
        )
        self.pdf.ln(2)
        self.facts(
            [
                (_("受理日期"), self._date("accepted_on", self.case.accepted_on)),
                (_("承诺办结日期"), self._date("due_date", self.case.due_date)),
            ]
        )
        self.paragraph(_("请凭本通知书查询办理进度、领取办理结果。"))

    def pending_materials(self) -> None:
        self.paragraph(
            _(
                "你（单位）提出的“{item}”申请，主要申请材料齐全、符合法定形式，"
                "部分次要材料尚需补交。根据你（单位）签署的承诺，本中心予以容缺受理。"
            ).format(item=self.item_name)
        )
        self.pdf.ln(2)
        supply_by = self._date("supply_by")
        self.facts(
            [
                (_("受理日期"), self._date("accepted_on", self.case.accepted_on)),
                (_("承诺办结日期"), self._date("due_date", self.case.due_date)),
                (_("补交期限"), supply_by),
            ]
        )
        items = [i for i in self.body.get("items") or [] if isinstance(i, dict)]
        if items:
            self.paragraph(_("容缺材料（请在补交期限前补交）："), indent=False)
            self.grid(
                [_("序号"), _("材料名称"), _("材料形式"), _("份数"), _("出具单位"), _("补交期限")],
                [11, 48, 18, 11, 46, 32],
                [
                    [
                        str(n),
                        _text(i.get("name")),
                        _text(i.get("form")),
                        _text(i.get("copies")),
                        _text(i.get("issuing_body")),
                        supply_by,
                    ]
                    for n, i in enumerate(items, start=1)
                ],
            )
        consequence = _text(self.body.get("consequence"))
        if consequence:
            self.paragraph(_("逾期未补交的后果：{text}").format(text=consequence))

    def one_time(self) -> None:
        self.paragraph(
            _(
                "你（单位）提出的“{item}”申请，经审查，申请材料不齐全或者不符合法定形式。"
                "根据《中华人民共和国行政许可法》第三十二条的规定，现一次性告知你（单位）"
                "需要补正的全部内容如下："
            ).format(item=self.item_name)
        )
        self.pdf.ln(2)
        problems = {"missing": _("缺少"), "defective": _("不符合要求")}
        items = [i for i in self.body.get("items") or [] if isinstance(i, dict)]
        self.grid(
            [_("序号"), _("材料名称"), _("问题及说明"), _("材料形式"), _("份数"), _("出具单位")],
            [11, 42, 50, 18, 11, 34],
            [
                [
                    str(n),
                    _text(i.get("name")),
                    "；".join(
                        part
                        for part in (
                            problems.get(_text(i.get("problem")), ""),
                            _text(i.get("note")),
                        )
                        if part
                    ),
                    _text(i.get("form")),
                    _text(i.get("copies")),
                    _text(i.get("issuing_body")),
                ]
                for n, i in enumerate(items, start=1)
            ],
        )
        self.paragraph(
            _(
                "以上共{count}项，为本次申请需要补正的全部内容（一次性告知）。"
                "请按上述要求补齐、更正后重新提交。"
            ).format(count=len(items))
        )

    def refusal(self) -> None:
        self.paragraph(
            _("你（单位）提出的“{item}”申请，经审查，本中心决定不予受理。").format(
                item=self.item_name
            )
        )
        reason = _text(self.body.get("reason"))
        if reason:
            self.paragraph(_("不予受理的理由：{reason}").format(reason=reason))
        self.paragraph(
            _(
                "如对本决定不服，可以依照《中华人民共和国行政复议法》的规定，自收到本通知书"
                "之日起六十日内申请行政复议；或者依照《中华人民共和国行政诉讼法》的规定，"
                "自收到本通知书之日起六个月内向人民法院提起行政诉讼。"
            )
        )

    def correction(self) -> None:
        department = _text(self.body.get("department"))
        if department:
            lead = _("你（单位）申请的“{item}”，经{department}审查，需要补正以下材料：")
        else:
            lead = _("你（单位）申请的“{item}”，经审查，需要补正以下材料：")
        self.paragraph(lead.format(item=self.item_name, department=department))
        self.pdf.ln(2)
        items = [i for i in self.body.get("items") or [] if isinstance(i, dict)]
        self.grid(
            [_("序号"), _("材料名称"), _("补正要求")],
            [11, 60, 95],
            [
                [str(n), _text(i.get("name")), _text(i.get("note"))]
                for n, i in enumerate(items, start=1)
            ],
        )
        self.paragraph(_("补正期间暂停计时。请按上述要求补正后提交。"))

    def suspension(self) -> None:
        self.paragraph(
            _(
                "你（单位）申请的“{item}”需要履行特别程序。根据《中华人民共和国行政许可法》"
                "第四十五条的规定，特别程序所需时间不计入办理时限，现告知如下："
            ).format(item=self.item_name)
        )
        self.pdf.ln(2)
        self.facts(
            [
                (_("特别程序"), _text(self.body.get("kind_label"))),
                (_("事由"), _text(self.body.get("reason"))),
                (_("暂停计时日期"), self._date("started_on")),
            ]
        )

    def extension(self) -> None:
        self.paragraph(
            _(
                "你（单位）申请的“{item}”不能在原定期限内办结。根据《中华人民共和国行政许可法》"
                "第四十二条的规定，经负责人批准，延长办理期限，现将延期理由告知如下："
            ).format(item=self.item_name)
        )
        self.pdf.ln(2)
        workdays = _text(self.body.get("workdays"))
        self.facts(
            [
                (_("延期理由"), _text(self.body.get("reason"))),
                (_("延长期限"), _("{n}个工作日").format(n=workdays) if workdays else ""),
                (_("延期后办结日期"), self._date("due_date")),
            ]
        )


BODIES = {
    NoticeKind.ACCEPTANCE: _Renderer.acceptance,
    NoticeKind.PENDING_MATERIALS: _Renderer.pending_materials,
    NoticeKind.ONE_TIME: _Renderer.one_time,
    NoticeKind.REFUSAL: _Renderer.refusal,
    NoticeKind.CORRECTION: _Renderer.correction,
    NoticeKind.SUSPENSION: _Renderer.suspension,
    NoticeKind.EXTENSION: _Renderer.extension,
}


def notice_pdf(*, notice: Notice, status_url: str) -> bytes:
    """The notice as an A4 PDF, with a QR code to `status_url` and room for the seal.

    Raises `PdfFontMissing` (HTTP 503) when no CJK font is configured or installed.
    """
    return _Renderer(notice=notice, status_url=status_url).render()
