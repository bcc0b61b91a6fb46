"""督办 closing: the office accepts a reply (办结) or sends it back (退回重办); every step is kept."""
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jingzhi.plans.models import NoticeEvent, SupervisionNotice, Task

from .conftest import PDF_BYTES


@pytest.fixture
def notice(progress, people, units):
    """Addressed to 市园林局 (lead of task 2), due 2018-09-25; the plan is reviewed as of 2018-09-30."""
    return SupervisionNotice.objects.create(
        task=Task.objects.get(number="2"), to_unit=units["市园林局"], text="请说明原因。",
        reply_due=date(2018, 9, 25), issued_by=people["office"], issued_on=date(2018, 9, 20))


def reply(client, notice, text, **files):
    return client.post(f"/plans/notices/{notice.pk}/reply/", {"text": text, **files})


def review(client, notice, decision, text=""):
    return client.post(f"/plans/notices/{notice.pk}/review/", {"decision": decision, "text": text})


def test_return_then_accept_through_the_pages_keeps_the_history(notice, client, people):
    client.force_login(people["yuanlin"])
    evidence = SimpleUploadedFile("first.pdf", PDF_BYTES, "application/pdf")
    assert reply(client, notice, "第一次回复", evidence=evidence).status_code == 302
    first_file = notice.__class__.objects.get().reply_evidence.name

    client.force_login(people["office"])
    page = client.get(f"/plans/tasks/{notice.task.pk}/").content.decode()
    assert "处理回复" in page
    assert review(client, notice, "return", "整改措施不具体。").status_code == 302
    notice.refresh_from_db()
    assert notice.status == "returned"

    client.force_login(people["yuanlin"])
    page = client.get(f"/plans/tasks/{notice.task.pk}/").content.decode()
    assert "回复督办" in page and "整改措施不具体。" in page
    assert reply(client, notice, "第二次回复").status_code == 302
    notice.refresh_from_db()
    assert (notice.status, notice.reply_text, notice.reply_evidence.name) == ("replied", "第二次回复", "")

    client.force_login(people["office"])
    assert review(client, notice, "accept").status_code == 302
    notice.refresh_from_db()
    assert notice.status == "closed"
    events = [(e.kind, e.by.username, e.text) for e in notice.events.all()]
    assert events == [("reply", "yuanlin", "第一次回复"), ("return", "office", "整改措施不具体。"),
                      ("reply", "yuanlin", "第二次回复"), ("accept", "office", "")]
    assert NoticeEvent.objects.get(kind="reply", text="第一次回复").evidence.name == first_file
    # the returned reply and its evidence stay readable
    client.force_login(people["leader"])
    page = client.get(f"/plans/tasks/{notice.task.pk}/").content.decode()
    assert "第一次回复" in page and "已办结" in page and "处理回复" not in page
    first = NoticeEvent.objects.get(kind="reply", text="第一次回复")
    assert client.get(f"/plans/files/notice-event/{first.pk}/").status_code == 200
    client.force_login(people["jinshui"])  # not a unit of task 2
    assert client.get(f"/plans/files/notice-event/{first.pk}/").status_code == 404


def test_a_closed_notice_takes_no_more_replies_or_decisions(notice, client, people):
    client.force_login(people["yuanlin"])
    reply(client, notice, "已整改。")
    client.force_login(people["office"])
    review(client, notice, "accept")
    assert review(client, notice, "return", "再看看").status_code == 400
    client.force_login(people["yuanlin"])
    assert reply(client, notice, "补充").status_code == 400
    notice.refresh_from_db()
    assert notice.status == "closed" and notice.events.count() == 2


def test_only_a_replied_notice_is_reviewed_and_a_return_needs_a_reason(notice, client, people):
    client.force_login(people["office"])
    response = review(client, notice, "accept")  # still open
    assert response.status_code == 400 and "只能办结或退回已回复的督办（当前状态：待回复）。" in response.content.decode()
    client.force_login(people["yuanlin"])
    reply(client, notice, "已整改。")
    client.force_login(people["office"])
    response = review(client, notice, "return", "  ")
    assert response.status_code == 400 and "退回时请说明理由。" in response.content.decode()
    assert review(client, notice, "maybe").status_code == 400
    notice.refresh_from_db()
    assert notice.status == "replied" and list(notice.events.values_list("kind", flat=True)) == ["reply"]


@pytest.mark.parametrize("who", ["yuanlin", "cgj", "leader"])
def test_only_the_office_reviews(notice, client, people, who):
    client.force_login(people["yuanlin"])
    reply(client, notice, "已整改。")
    client.force_login(people[who])
    assert review(client, notice, "accept").status_code == 403
    notice.refresh_from_db()
    assert notice.status == "replied" and notice.events.count() == 1


def test_review_through_the_api(notice, api_client_for, people):
    url = f"/api/plans/notices/{notice.pk}/review/"
    office = api_client_for(people["office"])
    assert office.post(url, {"decision": "accept"}).status_code == 400  # not replied yet
    api_client_for(people["yuanlin"]).post(f"/api/plans/notices/{notice.pk}/reply/", {"text": "已整改。"})
    for who in ("yuanlin", "leader", "cgj"):
        assert api_client_for(people[who]).post(url, {"decision": "accept"}).status_code == 403
    response = office.post(url, {"decision": "return"})
    assert response.status_code == 400 and "text" in response.json()
    response = office.post(url, {"decision": "later"})
    assert response.status_code == 400 and "decision" in response.json()
    response = office.post(url, {"decision": "return", "text": "请补充照片。"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "returned" and [e["kind"] for e in body["events"]] == ["reply", "return"]
    # returned and past its due date (2018-09-25) at the review date: late again
    assert body["late"] is True
    assert api_client_for(people["yuanlin"]).post(f"/api/plans/notices/{notice.pk}/reply/",
                                                  {"text": "已补充。"}).status_code == 200
    body = office.post(url, {"decision": "accept", "text": "同意办结。"}).json()
    assert body["status"] == "closed"
    assert [(e["kind"], e["text"]) for e in body["events"]] == [
        ("reply", "已整改。"), ("return", "请补充照片。"), ("reply", "已补充。"), ("accept", "同意办结。")]


def test_anonymous_users_cannot_review(notice, client):
    from rest_framework.test import APIClient

    response = client.post(f"/plans/notices/{notice.pk}/review/", {"decision": "accept"})
    assert response.status_code == 302 and "/login" in response["Location"]
    assert APIClient().post(f"/api/plans/notices/{notice.pk}/review/", {"decision": "accept"}).status_code in (401, 403)
    notice.refresh_from_db()
    assert notice.status == "open" and not notice.events.exists()
