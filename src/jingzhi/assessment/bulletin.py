"""通报: the monthly or quarterly bulletin of an assessment as a PDF (A4, Chinese in Noto Sans SC,
embedded as a subset of the glyphs used, so it renders on a machine without Chinese fonts) and as
Excel. The font file comes from the npm registry (``@expo-google-fonts/noto-sans-sc``, OFL, pinned in
package-lock.json, installed by bin/setup-env); without it the PDF falls back to reportlab's
standard CID font STSong-Light, which only readers with Adobe's CJK support render. Both are
renderings of the stored results and the office's commentary; once the assessment is published
neither can change, so a published bulletin is kept by construction. Every text is escaped (PDF
markup) or written as text (Excel, no formulas)."""
from __future__ import annotations

import functools
import io
import logging
from html import escape

from django.conf import settings
from django.utils import timezone
from openpyxl import Workbook
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jingzhi.core.spreadsheets import safe_row

from .models import Assessment, PeriodKind, Result
from .scheme import scheme_load

logger = logging.getLogger(__name__)

#: The embedded font (TrueType outlines: reportlab embeds a subset of the glyphs a bulletin uses).
FONT_FILE = settings.PROJECT_DIR / "node_modules/@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf"
FONT_NAME = "NotoSansSC"
FALLBACK_FONT = "STSong-Light"
#: The kinds a bulletin ranks, in its order.
BULLETIN_KINDS = ("district", "department", "subdistrict", "inspector", "intake_operator", "shift_chief",
                  "dispatcher")
DEFAULT_OFFICE = "城市精细化管理工作领导小组办公室"


def _title(assessment: Assessment) -> str:
    start = assessment.start
    if assessment.period_kind == PeriodKind.QUARTER:
        return f"数字城管考核季度点评通报（{start.year}年第{(start.month - 1) // 3 + 1}季度）"
    return f"数字城管考核月度通报（{start.year}年{start.month}月）"


def _issued(assessment: Assessment) -> str:
    day = timezone.localtime(assessment.published_at or assessment.computed_at).date()
    return f"{day.year}年{day.month}月{day.day}日"


def _score(value) -> str:
    return "" if value is None else f"{value:.2f}"


def _rows(assessment: Assessment, kind: str) -> list[Result]:
    return list(Result.objects.filter(assessment=assessment, kind=kind))


def _table_rows(results: list[Result], quarter: bool) -> list[list[str]]:
    header = ["排名", "名称", "综合得分", "等级", "案件量"] + (["上季度", "变化"] if quarter else [])
    rows = [header]
    for r in results:
        rank = str(r.rank) if r.rank is not None else ("不排名（件数不足）" if r.unranked_reason == "volume" else "—")
        row = [rank, r.name, _score(r.composite), r.grade, f"{r.volume:g}"]
        if quarter:
            row += [_score(r.previous_composite), "" if r.change is None else f"{r.change:+.2f}"]
        rows.append(row)
    return rows


def _auto_praise(assessment: Assessment) -> tuple[str, str]:
    """Praise and criticism when the office wrote none: the best and worst ranked districts and departments."""
    praise, criticism = [], []
    for kind in ("district", "department"):
        ranked = [r for r in _rows(assessment, kind) if r.rank is not None]
        praise += [f"{r.name}（{_score(r.composite)}分）" for r in ranked[:3]]
        criticism += [f"{r.name}（{_score(r.composite)}分）" for r in ranked[3:][-3:]]
    return ("、".join(praise) + "成绩优秀，予以表扬。" if praise else "",
            "、".join(criticism) + "排名靠后，予以通报批评，限期整改。" if criticism else "")


@functools.cache
def bulletin_font() -> str:
    """Register the bulletin's font once per process; its name."""
    if FONT_FILE.is_file():
        pdfmetrics.registerFont(TTFont(FONT_NAME, FONT_FILE))
        return FONT_NAME
    logger.warning("%s is missing (run bin/setup-env): the bulletin uses the non-embedded %s", FONT_FILE,
                   FALLBACK_FONT)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT


def bulletin_pdf(assessment: Assessment) -> bytes:
    """The bulletin as an A4 PDF in Chinese."""
    font = bulletin_font()
    styles = {
        "title": ParagraphStyle("title", fontName=font, fontSize=18, leading=26, alignment=1, textColor=colors.red),
        "h": ParagraphStyle("h", fontName=font, fontSize=13, leading=20, spaceBefore=8, spaceAfter=4),
        "p": ParagraphStyle("p", fontName=font, fontSize=10.5, leading=17, firstLineIndent=21),
        "right": ParagraphStyle("right", fontName=font, fontSize=10.5, leading=17, alignment=2),
    }
    scheme = scheme_load(assessment.scheme_version)
    office = assessment.issuing_office or DEFAULT_OFFICE
    praise, criticism = _auto_praise(assessment)
    quarter = assessment.period_kind == PeriodKind.QUARTER
    story = [Paragraph(escape(office), styles["title"]), Paragraph(escape(_title(assessment)), styles["title"]),
             Spacer(1, 6 * mm),
             Paragraph(escape(f"考核期：{assessment.period}；评价方案：{scheme.title}（版本 {scheme.version}）。"),
                       styles["p"])]
    number = iter("一二三四五六七八九十")
    for kind in BULLETIN_KINDS:
        results = _rows(assessment, kind)
        if not results:
            continue
        story.append(Paragraph(escape(f"{next(number)}、{scheme.kinds[kind].name}综合排名"), styles["h"]))
        table = Table([[Paragraph(escape(cell), ParagraphStyle("c", fontName=font, fontSize=9, leading=12))
                        for cell in row] for row in _table_rows(results, quarter)], repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))
        story.append(table)
    for heading, text in ((f"{next(number)}、表扬", assessment.praise or praise),
                          (f"{next(number)}、批评", assessment.criticism or criticism),
                          (f"{next(number)}、点评", assessment.commentary)):
        if text:
            story.append(Paragraph(escape(heading), styles["h"]))
            story += [Paragraph(escape(line), styles["p"]) for line in text.splitlines() if line.strip()]
    story += [Spacer(1, 10 * mm), Paragraph(escape(office), styles["right"]),
              Paragraph(escape(_issued(assessment)), styles["right"])]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=_title(assessment), author=office,
                      leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=20 * mm).build(story)
    return buffer.getvalue()


def bulletin_xlsx(assessment: Assessment) -> bytes:
    """The bulletin's ranking tables, one sheet per kind, plus its text; text cells never formulas."""
    scheme = scheme_load(assessment.scheme_version)
    workbook = Workbook(write_only=True)
    quarter = assessment.period_kind == PeriodKind.QUARTER
    for kind in BULLETIN_KINDS:
        results = _rows(assessment, kind)
        if results:
            sheet = workbook.create_sheet(scheme.kinds[kind].name[:31])
            for row in _table_rows(results, quarter):
                sheet.append(safe_row(sheet=sheet, values=row))
    sheet = workbook.create_sheet("通报")
    praise, criticism = _auto_praise(assessment)
    for row in (["标题", _title(assessment)], ["发布单位", assessment.issuing_office or DEFAULT_OFFICE],
                ["日期", _issued(assessment)], ["表扬", assessment.praise or praise],
                ["批评", assessment.criticism or criticism], ["点评", assessment.commentary]):
        sheet.append(safe_row(sheet=sheet, values=row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
