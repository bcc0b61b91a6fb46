"""Checklist items (工作要求) through the API: listed within scope, confirmed by the task's lead unit only."""
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from jingzhi.plans.models import ChecklistItem

from .conftest import PDF_BYTES, stored_files


@pytest.fixture
def item(progress):
    """Task 2's database requirement: lead 市园林局, due 2018-03-31, overdue at the review date 2018-09-30."""
    return ChecklistItem.objects.get(text="建立老旧小区数据库")


def mark_url(item):
    return f"/api/plans/checklist-items/{item.pk}/mark/"


def test_the_lead_unit_confirms_and_reopens(item, api_client_for, people):
    client = api_client_for(people["yuanlin"])
    response = client.post(mark_url(item), {
        "done": "true", "done_on": "2018-03-28", "note": "数据库已建成",
        "evidence": SimpleUploadedFile("db.pdf", PDF_BYTES, "application/pdf")}, format="multipart")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["done_on"], body["done_by"], body["evidence_note"]) == (
        "done", "2018-03-28", str(people["yuanlin"]), "数据库已建成")
    assert body["evidence_url"].endswith(f"/plans/files/checklist/{item.pk}/")
    item.refresh_from_db()
    assert (item.done_on, item.done_by.username) == (date(2018, 3, 28), "yuanlin")

    response = client.post(mark_url(item), {"done": False}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "overdue"
    item.refresh_from_db()
    assert (item.done_on, item.done_by, item.evidence_note, item.evidence.name) == (None, None, "", "")


def test_items_are_listed_within_scope(item, api_client_for, people):
    def texts(who, query=""):
        response = api_client_for(people[who]).get(f"/api/plans/checklist-items/{query}")
        assert response.status_code == 200
        return [row["text"] for row in response.json()["results"]]

    assert texts("leader") == ["完善公厕管理办法", "建立老旧小区数据库", "规范交通设施"]
    assert texts("yuanlin") == ["完善公厕管理办法", "建立老旧小区数据库"]  # lead of 2, responsible in 1
    assert texts("police") == ["规范交通设施"]
    assert texts("leader", f"?task={item.task_id}") == ["建立老旧小区数据库"]
    assert api_client_for(people["police"]).get(f"/api/plans/checklist-items/{item.pk}/").status_code == 404
    assert api_client_for(people["leader"]).get("/api/plans/checklist-items/?task=x").status_code == 400


@pytest.mark.parametrize("who, code", [
    ("cgj", 404),      # 市城管局 has no part in task 2: the item is out of its scope
    ("police", 404),
    ("leader", 403),   # reads everything, writes nothing
    ("office", 403),
])
def test_others_cannot_confirm(item, api_client_for, people, settings, who, code):
    response = api_client_for(people[who]).post(mark_url(item), {
        "done": "true", "done_on": "2018-03-28", "note": "x",
        "evidence": SimpleUploadedFile("db.pdf", PDF_BYTES, "application/pdf")}, format="multipart")
    assert response.status_code == code
    item.refresh_from_db()
    assert item.done_on is None and not item.evidence
    assert len(stored_files(settings)) == 1  # only the progress fixture's photo


def test_a_responsible_unit_cannot_confirm(progress, api_client_for, people):
    """市园林局 is responsible (not lead) in task 1: it sees the item but may not confirm it."""
    item = ChecklistItem.objects.get(text="完善公厕管理办法")
    response = api_client_for(people["yuanlin"]).post(mark_url(item), {
        "done": True, "done_on": "2018-07-20", "note": "已完善"}, format="json")
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.done_on is None


def test_anonymous_users_are_refused(item):
    client = APIClient()
    assert client.get("/api/plans/checklist-items/").status_code in (401, 403)
    assert client.post(mark_url(item), {"done": True, "done_on": "2018-03-28", "note": "x"},
                       format="json").status_code in (401, 403)
    item.refresh_from_db()
    assert item.done_on is None


@pytest.mark.parametrize("data, field", [
    ({"done": True, "note": "数据库已建成"}, "done_on"),                              # no date
    ({"done": True, "done_on": "2018-03-28", "note": "  "}, "note"),                  # no note
    ({"done": True, "done_on": "2099-01-01", "note": "x"}, "done_on"),                # future
    ({"done": True, "done_on": "2017-12-31", "note": "x"}, "done_on"),                # before the plan year
    ({"done": True, "done_on": "28.03.2018", "note": "x"}, "done_on"),                # not a date
    ({"done_on": "2018-03-28", "note": "x"}, "done"),                                 # done missing
])
def test_bad_input_is_a_field_error(item, api_client_for, people, data, field):
    response = api_client_for(people["yuanlin"]).post(mark_url(item), data, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    item.refresh_from_db()
    assert item.done_on is None


def test_wrong_evidence_type_is_refused(item, api_client_for, people, settings):
    response = api_client_for(people["yuanlin"]).post(mark_url(item), {
        "done": "true", "done_on": "2018-03-28", "note": "x",
        "evidence": SimpleUploadedFile("run.exe", b"MZ\x90\x00", "application/octet-stream")}, format="multipart")
    assert response.status_code == 400 and "evidence" in response.json()
    item.refresh_from_db()
    assert item.done_on is None and len(stored_files(settings)) == 1
