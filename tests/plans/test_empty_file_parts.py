"""Optional evidence inputs left empty (browsers send ``filename=""`` parts) are no evidence, on the
task page's forms and in the API alike (issue 7 §1)."""
from datetime import date

import pytest

from jingzhi.plans.models import ChecklistItem, Indicator, ProgressReport, Task
from jingzhi.plans.notice_workflow import NoticeStatus
from jingzhi.plans.services import notice_issue
from tests.multipart import browser_form

EMPTY = ("", b"")


def post(client, url, fields):
    body, content_type = browser_form(fields)
    return client.post(url, body, content_type=content_type)


def report_fields():
    indicator = Indicator.objects.get(code="toilets")
    return [("indicator", indicator.pk), ("value", "846"), ("unit", indicator.unit), ("measured_on", "2018-09-20"),
            ("comment", ""), ("evidence", EMPTY)]


def test_the_report_form_files_without_evidence(small_plan, client, people):
    client.force_login(people["cgj"])
    task = Task.objects.get(number="1")
    assert post(client, f"/plans/tasks/{task.pk}/reports/", report_fields()).status_code == 302
    assert not ProgressReport.objects.get().evidence.exists()


def test_the_api_files_a_report_without_evidence(small_plan, api_client_for, people):
    response = post(api_client_for(people["cgj"]), "/api/plans/progress-reports/", report_fields())
    assert response.status_code == 201, response.json()
    assert response.json()["evidence"] == []


@pytest.fixture
def item(progress):
    return ChecklistItem.objects.get(text="建立老旧小区数据库")


CHECKLIST = [("done", "true"), ("done_on", "2018-03-28"), ("note", "数据库已建成"), ("evidence", EMPTY)]


def test_a_checklist_item_is_confirmed_without_evidence(item, client, api_client_for, people):
    client.force_login(people["yuanlin"])
    assert post(client, f"/plans/checklist/{item.pk}/", CHECKLIST).status_code == 302
    response = post(api_client_for(people["yuanlin"]), f"/api/plans/checklist-items/{item.pk}/mark/", CHECKLIST)
    assert response.status_code == 200, response.json()
    item.refresh_from_db()
    assert item.done_on and not item.evidence


def test_a_notice_is_answered_without_evidence(progress, client, api_client_for, people, units):
    task = Task.objects.get(number="2")
    notice = notice_issue(user=people["office"], task=task, to_unit=units["市园林局"], text="请说明原因。",
                          reply_due=date(2018, 10, 10), on=date(2018, 9, 30))
    response = post(api_client_for(people["yuanlin"]), f"/api/plans/notices/{notice.pk}/reply/",
                    [("text", "已整改。"), ("evidence", EMPTY)])
    assert response.status_code == 200, response.json()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.REPLIED and not notice.reply_evidence
