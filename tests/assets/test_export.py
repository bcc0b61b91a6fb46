"""Exports of a registry: the list's filters, the import's columns, people's text never a formula."""
import csv
import io

import pytest
from openpyxl import load_workbook

from jingzhi.assets.services import asset_create

from .conftest import point

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile(geography):
    asset_create(kind="toilet", code="T1", name='=HYPERLINK("http://evil.example","x")', geometry=point(geography.inside_a),
                 attributes={"toilet_class": "一类", "opening_hours": "@SUM(1+1)", "open_24h": True})
    asset_create(kind="toilet", code="T2", name="乙区公厕", geometry=point(geography.inside_b),
                 attributes={"toilet_class": "二类"})


def test_the_excel_export_keeps_text_as_text(client, office, hostile, geography):
    client.force_login(office)
    response = client.get("/assets/toilet/export.xlsx?a.toilet_class=一类")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "名称", "经度", "纬度") and len(rows) == 2
    name = sheet["B2"]
    assert name.data_type == "s" and name.value.startswith("=HYPERLINK") and name.quotePrefix
    assert rows[1][-3:] == ("测试甲区", geography.grid_code_a, "在用")


def test_the_csv_export_neutralises_formulas(client, office, hostile):
    client.force_login(office)
    text = client.get("/assets/toilet/export.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][1] == "'=HYPERLINK(\"http://evil.example\",\"x\")" and "'@SUM(1+1)" in rows[1]
    assert [row[0] for row in rows[1:]] == ["T1", "T2"]


def test_an_export_is_scoped_like_the_list(client, district_a_reporter, hostile):
    client.force_login(district_a_reporter)
    rows = list(csv.reader(io.StringIO(client.get("/assets/toilet/export.csv").content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["T1"]


def test_the_template_has_the_import_columns(client, office):
    client.force_login(office)
    text = client.get("/assets/construction_site/template.csv").content.decode("utf-8-sig")
    assert text.strip().split(",") == ["编号", "名称", "几何（GeoJSON）", "坐标系", "建成日期", "管养单位", "建筑面积", "围挡状况"]
