"""Every plans page and API endpoint, for an anonymous user, a leader (read-only) and another unit's reporter.

The objects all belong to task 2 (lead 市园林局); the "other unit" is 市公安局, whose
only parts are in task 3. Refusals write nothing: counts and stored files are compared.
"""
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from jingzhi.plans.models import (
    ChecklistItem,
    Indicator,
    NoticeEvent,
    ProgressReport,
    ReportEvidence,
    SupervisionNotice,
    Task,
)
from jingzhi.plans.services import checklist_item_mark, notice_reply

from .conftest import PDF_BYTES, report, stored_files


def pdf(name="x.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, "application/pdf")


@pytest.fixture
def world(progress, people, units):
    """Task 2 with a report with evidence, a confirmed checklist item and a replied notice, all with files."""
    task = Task.objects.get(number="2")
    old = report(people["yuanlin"], "old-areas", "10", "2018-09-25", evidence=[pdf("r.pdf")])
    item = ChecklistItem.objects.get(task=task)
    checklist_item_mark(user=people["yuanlin"], item=item, done=True, done_on=date(2018, 3, 28), note="已建成",
                        evidence=pdf("c.pdf"))
    notice = SupervisionNotice.objects.create(
        task=task, to_unit=units["市园林局"], text="请说明原因。", reply_due=date(2018, 10, 10),
        issued_by=people["office"], issued_on=date(2018, 9, 20))
    notice_reply(user=people["yuanlin"], notice=notice, text="已整改。", on=date(2018, 9, 25), evidence=pdf("n.pdf"))
    return {"task": task, "indicator": Indicator.objects.get(code="old-areas"), "report": old, "item": item,
            "notice": notice, "evidence": old.evidence.get(), "event": notice.events.get()}


def page_gets(w):
    return {
        "overview": "/plans/", "task": f"/plans/tasks/{w['task'].pk}/", "mine": "/plans/mine/",
        "lagging": "/plans/lagging/", "export": "/plans/export.xlsx",
        "report-file": f"/plans/files/report/{w['evidence'].pk}/",
        "checklist-file": f"/plans/files/checklist/{w['item'].pk}/",
        "notice-file": f"/plans/files/notice/{w['notice'].pk}/",
        "event-file": f"/plans/files/notice-event/{w['event'].pk}/",
    }


def page_posts(w, units):
    return {
        "report": (f"/plans/tasks/{w['task'].pk}/reports/", {
            "indicator": w["indicator"].pk, "value": "12", "unit": "%", "measured_on": "2018-09-28", "evidence": pdf()}),
        "notice": (f"/plans/tasks/{w['task'].pk}/notices/", {
            "to_unit": units["市园林局"].pk, "text": "x", "reply_due": "2018-10-20"}),
        "reply": (f"/plans/notices/{w['notice'].pk}/reply/", {"text": "x", "evidence": pdf()}),
        "review": (f"/plans/notices/{w['notice'].pk}/review/", {"decision": "accept"}),
        "checklist": (f"/plans/checklist/{w['item'].pk}/", {"done": "", "note": ""}),
    }


def api_gets(w):
    return {
        "plans": "/api/plans/plans/", "tasks": "/api/plans/tasks/", "task": f"/api/plans/tasks/{w['task'].pk}/",
        "indicators": "/api/plans/indicators/", "indicator": f"/api/plans/indicators/{w['indicator'].pk}/",
        "checklist-items": "/api/plans/checklist-items/",
        "checklist-item": f"/api/plans/checklist-items/{w['item'].pk}/",
        "reports": "/api/plans/progress-reports/", "report": f"/api/plans/progress-reports/{w['report'].pk}/",
        "notices": "/api/plans/notices/", "notice": f"/api/plans/notices/{w['notice'].pk}/",
    }


def api_posts(w, units):
    return {
        "report": ("/api/plans/progress-reports/", {
            "indicator": w["indicator"].pk, "value": "12", "unit": "%", "measured_on": "2018-09-28", "evidence": [pdf()]}),
        "notice": ("/api/plans/notices/", {
            "task": w["task"].pk, "to_unit": units["市园林局"].pk, "text": "x", "reply_due": "2018-10-20"}),
        "reply": (f"/api/plans/notices/{w['notice'].pk}/reply/", {"text": "x", "evidence": pdf()}),
        "review": (f"/api/plans/notices/{w['notice'].pk}/review/", {"decision": "accept"}),
        "mark": (f"/api/plans/checklist-items/{w['item'].pk}/mark/", {"done": "false"}),
    }


def snapshot(settings):
    return (ProgressReport.objects.count(), ReportEvidence.objects.count(), SupervisionNotice.objects.count(),
            list(SupervisionNotice.objects.values_list("status", flat=True)), NoticeEvent.objects.count(),
            list(ChecklistItem.objects.values_list("done_on", flat=True)), sorted(stored_files(settings)))


def test_anonymous_users_get_nothing(world, client, units, settings):
    before = snapshot(settings)
    for name, url in page_gets(world).items():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), name
    for name, (url, data) in page_posts(world, units).items():
        response = client.post(url, data)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), name
    api = APIClient()
    for name, url in api_gets(world).items():
        assert api.get(url).status_code in (401, 403), name
    for name, (url, data) in api_posts(world, units).items():
        assert api.post(url, data, format="multipart").status_code in (401, 403), name
    assert snapshot(settings) == before


def test_a_leader_reads_everything_and_writes_nothing(world, client, api_client_for, people, units, settings):
    before = snapshot(settings)
    client.force_login(people["leader"])
    for name, url in page_gets(world).items():
        assert client.get(url).status_code == 200, name
    for name, (url, data) in page_posts(world, units).items():
        assert client.post(url, data).status_code == 403, name
    api = api_client_for(people["leader"])
    for name, url in api_gets(world).items():
        assert api.get(url).status_code == 200, name
    for name, (url, data) in api_posts(world, units).items():
        assert api.post(url, data, format="multipart").status_code == 403, name
    assert snapshot(settings) == before


def test_another_units_reporter_sees_and_touches_nothing_of_the_task(world, client, api_client_for, people, units,
                                                                     settings):
    before = snapshot(settings)
    client.force_login(people["police"])
    gets = page_gets(world)
    for name in ("task", "report-file", "checklist-file", "notice-file", "event-file"):
        assert client.get(gets[name]).status_code == 404, name
    for name in ("overview", "mine", "lagging"):
        html = client.get(gets[name]).content.decode()
        assert f'href="/plans/tasks/{world["task"].pk}/' not in html and "请说明原因。" not in html, name
    # the export lists the police's indicators (task 3(2)'s parking) but none of task 2's
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(client.get(gets["export"]).content)).active
    names = [row[i] for row in sheet.iter_rows(values_only=True) for i in range(len(row))]
    assert "新建公共停车泊位" in names and world["indicator"].name not in names
    # 404 for a task out of sight; 403 for a write its role never makes (decided before any lookup)
    expected = {"report": 404, "notice": 403, "reply": 404, "review": 403, "checklist": 404}
    for name, (url, data) in page_posts(world, units).items():
        assert client.post(url, data).status_code == expected[name], name

    api = api_client_for(people["police"])
    gets = api_gets(world)
    for name in ("task", "indicator", "checklist-item", "report", "notice"):
        assert api.get(gets[name]).status_code == 404, name
    listed = {name: [row["id"] for row in api.get(gets[name]).json()["results"]]
              for name in ("tasks", "indicators", "checklist-items", "reports", "notices")}
    assert world["task"].pk not in listed["tasks"] and world["indicator"].pk not in listed["indicators"]
    assert world["item"].pk not in listed["checklist-items"] and listed["reports"] == listed["notices"] == []
    expected = {"report": 404, "notice": 403, "reply": 404, "review": 403, "mark": 404}
    for name, (url, data) in api_posts(world, units).items():
        assert api.post(url, data, format="multipart").status_code == expected[name], name
    assert snapshot(settings) == before
