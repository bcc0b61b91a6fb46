"""通报: the PDF reads back in Chinese with the rankings in order and the office's text escaped;
the Excel keeps a formula-like commentary as text; leaders and units reach published bulletins."""
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from jingzhi.assessment.bulletin import bulletin_pdf
from jingzhi.assessment.services import assessment_comment, assessment_month_compute, assessment_publish
from jingzhi.org.models import Role

API = "/api/assessment"
#: PDF's standard 14 fonts: Latin only, built into every reader.
STANDARD_LATIN = {f"/{name}" for name in ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique",
                                          "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Courier",
                                          "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Symbol",
                                          "ZapfDingbats")}


@pytest.fixture
def march(world):
    assessment = assessment_month_compute(period="2026-03")
    return assessment_comment(assessment=assessment, commentary="各区要<b>举一反三</b>。",
                              praise="", criticism='=HYPERLINK("http://x","点我")', issuing_office="郑州市城市精细化管理办公室")


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def test_pdf_reads_back_in_chinese_with_rankings_in_order(march):
    text = _text(bulletin_pdf(march))
    assert "数字城管考核月度通报（2026年3月）" in text and "郑州市城市精细化管理办公室" in text
    # 区域（区）ranking: 甲 1, 丙 2, 乙 2, 丁 not ranked — in that order.
    section = text[text.index("区域（区）综合排名"):text.index("专业部门综合排名")]
    positions = [section.index(name) for name in ("甲区", "丙区", "乙区", "丁区")]
    assert positions == sorted(positions) and "不排名（件数不足）" in section
    assert "97.92" in section and "83.33" in section
    # Praise (the office wrote none: the best ranked) and the commentary, markup shown as text.
    assert "表扬" in text and "甲区（97.92分）" in text and "<b>举一反三</b>" in text
    assert '=HYPERLINK("http://x","点我")' in text
    assert "2026年" in text.split("郑州市城市精细化管理办公室")[-1]  # issuing office, then the date


def test_pdf_carries_its_chinese_font_so_it_renders_without_system_fonts(march):
    """Every font of every page but the standard Latin ones (which every reader has) is embedded: a
    TrueType program in the file, so no reader needs a Chinese font of its own (a non-embedded CJK
    font such as STSong-Light renders blank where none is installed)."""
    reader = PdfReader(io.BytesIO(bulletin_pdf(march)))
    embedded, other = set(), set()
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                embedded.add(str(font["/BaseFont"]))
            else:
                other.add(str(font["/BaseFont"]))
    assert other <= STANDARD_LATIN, other
    assert embedded and all("NotoSansSC" in name for name in embedded)


def test_excel_and_access(march, api_client_for, make_user, world):
    assessment_publish(assessment=march, user=world.users["C1"])
    jia = api_client_for(make_user(Role.UNIT_REPORTER, unit=world.districts["甲区"], username="jia"))
    leader = api_client_for(make_user(Role.LEADER, username="leader"))
    response = jia.get(f"{API}/assessments/2026-03/bulletin/xlsx/")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = {row[0]: row[1] for row in book["通报"].iter_rows(values_only=True)}
    assert rows["点评"] == "各区要<b>举一反三</b>。"
    criticism = next(c for c in book["通报"]["B"] if str(c.value).startswith("="))
    assert criticism.data_type == "s" and criticism.quotePrefix  # text shown as written, never a formula
    assert [r[1] for r in book["区域（区）"].iter_rows(min_row=2, values_only=True)] == ["甲区", "丙区", "乙区", "丁区"]
    pdf = leader.get(f"{API}/assessments/2026-03/bulletin/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    listed = leader.get(f"{API}/assessments/?status=published").json()["results"]
    assert [a["period"] for a in listed] == ["2026-03"]
