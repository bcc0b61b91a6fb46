"""One refusal policy in pages and API (docs/plans.md, "Refusals"): what the user may not see is 404,
as if it did not exist; a visible object the user may not act on is 403. Nothing is written either way.

Task 1 (lead 市城管局, responsible 市园林局 and the districts) is visible to 金水区, which may file
progress on it but not confirm its requirements or answer a notice addressed to the lead; 市公安局
has no part in it and sees none of it. Task 3 is visible to 金水区 as the parent of 3(2), with no part.
"""
from datetime import date

import pytest

from jingzhi.plans.models import ChecklistItem, Indicator, ProgressReport, SupervisionNotice, Task


@pytest.fixture
def notice(progress, people, units):
    return SupervisionNotice.objects.create(
        task=Task.objects.get(number="1"), to_unit=units["市城管局"], text="请说明原因。",
        reply_due=date(2018, 10, 10), issued_by=people["office"], issued_on=date(2018, 9, 20))


def writes(notice):
    item = ChecklistItem.objects.get(text="完善公厕管理办法")
    indicator = Indicator.objects.get(code="toilets")
    report = {"indicator": indicator.pk, "value": "900", "unit": "座", "measured_on": "2018-09-28"}
    return {
        "mark": (f"/plans/checklist/{item.pk}/", {"done": "on", "done_on": "2018-09-01", "note": "x"},
                 f"/api/plans/checklist-items/{item.pk}/mark/", {"done": "true", "done_on": "2018-09-01", "note": "x"}),
        "reply": (f"/plans/notices/{notice.pk}/reply/", {"text": "x"},
                  f"/api/plans/notices/{notice.pk}/reply/", {"text": "x"}),
        "report": (f"/plans/tasks/{indicator.task.pk}/reports/", report, "/api/plans/progress-reports/", report),
    }


def state():
    return (ProgressReport.objects.count(), list(ChecklistItem.objects.values_list("done_on", flat=True)),
            list(SupervisionNotice.objects.values_list("status", flat=True)))


@pytest.mark.parametrize(("who", "expected"), [
    ("jinshui", {"mark": 403, "reply": 403}),              # sees task 1: refused to act
    ("police", {"mark": 404, "reply": 404, "report": 404}),  # does not see task 1: no such thing
])
def test_pages_and_api_answer_alike(notice, client, api_client_for, people, who, expected):
    before = state()
    client.force_login(people[who])
    api = api_client_for(people[who])
    for name, code in expected.items():
        page_url, page_data, api_url, api_data = writes(notice)[name]
        assert client.post(page_url, page_data).status_code == code, name
        response = api.post(api_url, api_data, format="multipart")
        assert response.status_code == code, name
        assert "detail" in response.json() and set(response.json()) <= {"detail", "code"}, name  # core.errors' shape
    assert state() == before


def test_a_visible_parent_task_without_a_part_is_403(progress, client, people):
    client.force_login(people["jinshui"])
    parent = Task.objects.get(number="3")
    assert client.get(f"/plans/tasks/{parent.pk}/").status_code == 200
    assert client.post(f"/plans/tasks/{parent.pk}/reports/", {"value": "1"}).status_code == 403
    assert not ProgressReport.objects.filter(unit__name="金水区").exists()
