"""The plan pages: statuses per review date, scoping, the checklist and evidence downloads.

The small plan is reviewed as of 2018-09-30 (day 181 of 273 since 2018-04-02).
"""
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jingzhi.plans.models import (
    Action,
    ChecklistItem,
    Indicator,
    Plan,
    Responsibility,
    SupervisionNotice,
    Task,
    TaskUnit,
)

from .conftest import PDF_BYTES


def statuses(html):
    return dict(re.findall(r'data-task="([^"]+)" data-status="(\w+)"', html))


def login_get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_overview_shows_each_task_with_its_status(progress, client, people):
    html = login_get(client, people["leader"], "/plans/")
    # Task 2: old areas lag, and its database (due 2018-03-31) is not confirmed: overdue wins.
    assert statuses(html) == {"1": "on_track", "2": "overdue", "3": "not_started", "3(1)": "not_started",
                              "3(2)": "not_started"}
    assert 'class="badge status-overdue"' in html and 'class="badge status-on_track"' in html
    assert "评估日期：2018-09-30（方案设定）" in html
    tiles = dict(re.findall(r'data-status="(\w+)"><span class="badge[^>]*>[^<]*</span>\s*<strong>(\d+)', html))
    assert tiles == {"done": "0", "on_track": "1", "lagging": "0", "overdue": "1", "not_started": "2"}


def test_the_review_date_can_be_chosen(progress, client, people):
    before = statuses(login_get(client, people["leader"], "/plans/?as_of=2018-06-01"))
    assert before["1"] == "not_started"  # reports dated after the review date do not count yet
    after = statuses(login_get(client, people["leader"], "/plans/?as_of=2019-01-05"))
    assert after["1"] == "overdue" and after["3(2)"] == "overdue"
    html = login_get(client, people["leader"], "/plans/?as_of=30-09-2018")
    assert "评估日期格式应为 YYYY-MM-DD" in html and "2018-09-30" in html
    # A plan id that is a digit to str.isdigit but not to int() falls back to the current plan.
    assert statuses(login_get(client, people["leader"], "/plans/?plan=²")) == statuses(
        login_get(client, people["leader"], "/plans/"))


def test_task_detail_shows_figures_chart_and_history(progress, client, people):
    task = Task.objects.get(number="1")
    html = login_get(client, people["leader"], f"/plans/tasks/{task.pk}/")
    assert "803 座" in html          # 1210 × 181 / 273 = 802.23 → 803 whole toilets
    assert "850 座" in html and "70%" in html
    assert '<polyline class="reported"' in html and '<polyline class="expected"' in html
    assert "市城管局" in html and "市园林局" in html and "各区（管委会）" in html
    assert "toilet.png" in html


def test_a_parent_task_shows_its_subtasks(progress, client, people):
    html = login_get(client, people["leader"], f"/plans/tasks/{Task.objects.get(number='3').pk}/")
    assert set(statuses(html)) == {"3(1)", "3(2)"}


@pytest.mark.parametrize(("who", "visible"), [
    ("yuanlin", {"1", "2"}),
    ("jinshui", {"1", "3", "3(2)"}),
    ("police", {"3", "3(1)", "3(2)"}),
])
def test_reporters_see_only_their_units_tasks(progress, client, people, who, visible):
    assert set(statuses(login_get(client, people[who], "/plans/"))) == visible
    hidden = Task.objects.exclude(number__in=visible).first()
    assert client.get(f"/plans/tasks/{hidden.pk}/").status_code == 404


def test_my_tasks_lists_the_units_parts(progress, client, people):
    html = login_get(client, people["jinshui"], "/plans/mine/")
    assert set(statuses(html)) == {"1", "3(2)"}
    assert "责任单位" in html and "各区（管委会）" in html


def test_my_tasks_lists_a_part_in_a_parent_task_and_in_its_sub_task(progress, client, people, units):
    """A unit given a part in task 3 (e.g. in the admin) as well as in 3(2) sees both rows."""
    TaskUnit.objects.create(task=Task.objects.get(number="3"), unit=units["金水区"], role=Responsibility.LEAD)
    html = login_get(client, people["jinshui"], "/plans/mine/")
    assert set(statuses(html)) == {"1", "3", "3(2)"}


def test_my_tasks_lists_the_notices_of_the_chosen_plan_only(progress, client, people, units):
    """A 2017 plan's notice to 市园林局 is not among the current (2018) plan's notices, and shows under its own."""
    old_plan = Plan.objects.create(year=2017, title="旧方案", document_number="测试〔2017〕1号",
                                   issued_on=date(2017, 3, 1))
    action = Action.objects.create(plan=old_plan, code="refine", number="一", name="精细", title="精细化")
    task = Task.objects.create(plan=old_plan, action=action, number="1", title="旧任务")
    TaskUnit.objects.create(task=task, unit=units["市园林局"], role=Responsibility.LEAD)
    notice = SupervisionNotice.objects.create(task=task, to_unit=units["市园林局"], text="去年的督办",
                                              reply_due=date(2017, 9, 1), issued_by=people["office"],
                                              issued_on=date(2017, 8, 1))
    row = f'data-notice="{notice.pk}"'
    assert row not in login_get(client, people["yuanlin"], "/plans/mine/")
    assert row in login_get(client, people["yuanlin"], f"/plans/mine/?plan={old_plan.pk}")


def test_lagging_list_offers_notices_to_the_office_only(progress, client, people):
    html = login_get(client, people["office"], "/plans/lagging/")
    assert re.findall(r'<tr class="row-(\w+)" data-task="([^"]+)"', html) == [("overdue", "2")]
    assert "发督办" in html and "老旧小区整治比例" in html and "13.26" in html
    assert "发督办" not in login_get(client, people["leader"], "/plans/lagging/")


def test_the_lead_unit_confirms_a_checklist_item(progress, client, people):
    item = ChecklistItem.objects.get(text="建立老旧小区数据库")
    client.force_login(people["yuanlin"])
    response = client.post(f"/plans/checklist/{item.pk}/", {
        "done": "on", "done_on": "2018-03-28", "note": "数据库已建成",
        "evidence": SimpleUploadedFile("db.pdf", PDF_BYTES, "application/pdf"),
    })
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.done_on, item.done_by.username, item.evidence_note) == (date(2018, 3, 28), "yuanlin", "数据库已建成")
    # Only the lagging indicator is left: task 2 is lagging now, no longer overdue.
    assert statuses(login_get(client, people["leader"], "/plans/"))["2"] == "lagging"


@pytest.mark.parametrize(("who", "code"), [
    ("cgj", 404),      # no part in task 2: the item is out of sight
    ("jinshui", 404),
    ("leader", 403),   # sees it, confirms nothing
    ("office", 403),
])
def test_others_cannot_confirm_checklist_items(progress, client, people, who, code):
    item = ChecklistItem.objects.get(text="建立老旧小区数据库")
    client.force_login(people[who])
    response = client.post(f"/plans/checklist/{item.pk}/", {"done": "on", "done_on": "2018-03-28", "note": "x"})
    assert response.status_code == code
    item.refresh_from_db()
    assert item.done_on is None


def test_a_checklist_confirmation_needs_a_note(progress, client, people):
    item = ChecklistItem.objects.get(text="完善公厕管理办法")
    client.force_login(people["cgj"])
    response = client.post(f"/plans/checklist/{item.pk}/", {"done": "on", "done_on": "2018-07-20", "note": ""})
    assert response.status_code == 400 and "请说明完成情况。" in response.content.decode()
    item.refresh_from_db()
    assert item.done_on is None


def test_evidence_is_served_only_within_scope(progress, client, people):
    evidence = Indicator.objects.get(code="toilets").reports.get().evidence.get()
    url = f"/plans/files/report/{evidence.pk}/"
    client.force_login(people["yuanlin"])  # responsible unit of task 1
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\x89PNG")
    client.force_login(people["police"])
    assert client.get(url).status_code == 404
    assert client.get("/plans/files/other/1/").status_code == 404


def test_pages_require_login(client, small_plan):
    response = client.get("/plans/")
    assert response.status_code == 302 and response.url.startswith("/login/")
