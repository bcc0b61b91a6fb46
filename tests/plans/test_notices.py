"""督办: the office issues a notice on a lagging task to its lead unit, the unit replies; both are kept."""
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jingzhi.plans.models import SupervisionNotice, Task

from .conftest import PDF_BYTES


@pytest.fixture
def task2(progress):
    """Old areas (lead 市园林局): lagging, and overdue for its unconfirmed database."""
    return Task.objects.get(number="2")


def issue(client, task, unit, **extra):
    data = {"to_unit": unit.pk, "text": "进度滞后，请说明原因。", "reply_due": "2018-10-10", **extra}
    return client.post(f"/plans/tasks/{task.pk}/notices/", data)


def test_issue_and_reply_through_the_pages(task2, client, people, units):
    client.force_login(people["office"])
    response = issue(client, task2, units["市园林局"])
    assert response.status_code == 302
    notice = SupervisionNotice.objects.get()
    assert (notice.to_unit.name, notice.issued_on, notice.status) == ("市园林局", date(2018, 9, 30), "open")

    client.force_login(people["yuanlin"])
    page = client.get(f"/plans/tasks/{task2.pk}/").content.decode()
    assert "进度滞后，请说明原因。" in page and "回复督办" in page
    response = client.post(f"/plans/notices/{notice.pk}/reply/", {
        "text": "已制定整改计划。", "evidence": SimpleUploadedFile("plan.pdf", PDF_BYTES, "application/pdf")})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert (notice.status, notice.reply_text, notice.replied_by.username) == ("replied", "已制定整改计划。", "yuanlin")
    assert notice.text == "进度滞后，请说明原因。" and notice.reply_evidence

    client.force_login(people["leader"])
    page = client.get(f"/plans/tasks/{task2.pk}/").content.decode()
    assert "进度滞后，请说明原因。" in page and "已制定整改计划。" in page
    assert "回复督办" not in page


def test_a_notice_needs_a_lagging_task(progress, client, people, units):
    client.force_login(people["office"])
    response = issue(client, Task.objects.get(number="1"), units["市城管局"])  # on track
    assert response.status_code == 400
    assert "只能对滞后或逾期的任务督办（当前状态：正常推进）。" in response.content.decode()
    assert not SupervisionNotice.objects.exists()


def test_a_notice_goes_to_a_lead_unit(task2, client, people, units):
    client.force_login(people["office"])
    assert issue(client, task2, units["市城管局"]).status_code == 400
    assert issue(client, task2, units["市园林局"], reply_due="2018-09-01").status_code == 400  # before issue
    assert not SupervisionNotice.objects.exists()


@pytest.mark.parametrize("who", ["leader", "yuanlin", "cgj"])
def test_only_the_office_issues_notices(task2, client, people, units, who):
    client.force_login(people[who])
    assert issue(client, task2, units["市园林局"]).status_code == 403
    assert not SupervisionNotice.objects.exists()


@pytest.fixture
def notice(task2, people, units):
    return SupervisionNotice.objects.create(
        task=task2, to_unit=units["市园林局"], text="请说明原因。", reply_due=date(2018, 9, 25),
        issued_by=people["office"], issued_on=date(2018, 9, 20))


@pytest.mark.parametrize(("who", "code"), [
    ("cgj", 404),      # 市城管局 has no part in task 2: the notice is out of its sight
    ("leader", 403),   # sees it, replies to nothing
    ("office", 403),
])
def test_only_the_addressee_replies(notice, client, people, who, code):
    client.force_login(people[who])
    assert client.post(f"/plans/notices/{notice.pk}/reply/", {"text": "x"}).status_code == code
    notice.refresh_from_db()
    assert notice.status == "open" and notice.reply_text == ""


def test_a_notice_is_answered_once(notice, client, people):
    client.force_login(people["yuanlin"])
    assert client.post(f"/plans/notices/{notice.pk}/reply/", {"text": "第一次"}).status_code == 302
    response = client.post(f"/plans/notices/{notice.pk}/reply/", {"text": "第二次"})
    assert response.status_code == 400
    notice.refresh_from_db()
    assert notice.reply_text == "第一次"


def test_overdue_replies_are_flagged(notice, client, people):
    """Due 2018-09-25, reviewed 2018-09-30 without a reply: late on the lagging list."""
    client.force_login(people["leader"])
    html = client.get("/plans/lagging/").content.decode()
    assert 'class="row-overdue" data-notice' in html and "（逾期）" in html
    html = client.get("/plans/lagging/?as_of=2018-09-24").content.decode()
    assert "（逾期）" not in html


# ── The same through the API ───────────────────────────────────────────────────

def test_issue_and_reply_through_the_api(task2, api_client_for, people, units):
    office = api_client_for(people["office"])
    response = office.post("/api/plans/notices/?as_of=2018-09-20", {
        "task": task2.pk, "to_unit": units["市园林局"].pk, "text": "请说明原因。", "reply_due": "2018-09-25"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["issued_on"], body["status"], body["late"]) == ("2018-09-20", "open", False)

    listed = office.get("/api/plans/notices/").json()["results"]  # reviewed 2018-09-30: past due
    assert [n["late"] for n in listed] == [True]

    reply_url = f"/api/plans/notices/{body['id']}/reply/"
    assert api_client_for(people["cgj"]).post(reply_url, {"text": "x"}).status_code == 404  # not its task
    assert api_client_for(people["police"]).post(reply_url, {"text": "x"}).status_code == 404
    yuanlin = api_client_for(people["yuanlin"])
    response = yuanlin.post(reply_url, {"text": "已整改。", "evidence": SimpleUploadedFile(
        "r.pdf", PDF_BYTES, "application/pdf")}, format="multipart")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "replied" and response.json()["reply_evidence_url"].endswith(
        f"/plans/files/notice/{body['id']}/")
    assert yuanlin.post(reply_url, {"text": "再次"}).status_code == 400


def test_the_api_refuses_notices_from_others(task2, api_client_for, people, units):
    data = {"task": task2.pk, "to_unit": units["市园林局"].pk, "text": "x", "reply_due": "2018-10-10"}
    assert api_client_for(people["leader"]).post("/api/plans/notices/", data).status_code == 403
    assert api_client_for(people["yuanlin"]).post("/api/plans/notices/", data).status_code == 403
    assert not SupervisionNotice.objects.exists()


def test_notices_are_listed_within_scope(notice, api_client_for, people):
    assert api_client_for(people["jinshui"]).get("/api/plans/notices/").json()["count"] == 0
    assert api_client_for(people["jinshui"]).get(f"/api/plans/notices/{notice.pk}/").status_code == 404
    assert api_client_for(people["yuanlin"]).get("/api/plans/notices/").json()["count"] == 1


def test_a_refused_reply_shows_its_errors_on_its_own_form_only(notice, client, people, units):
    second = SupervisionNotice.objects.create(
        task=notice.task, to_unit=units["市园林局"], text="再次督办。", reply_due=date(2018, 9, 28),
        issued_by=people["office"], issued_on=date(2018, 9, 26))
    client.force_login(people["yuanlin"])
    response = client.post(f"/plans/notices/{second.pk}/reply/", {"text": "", "evidence": SimpleUploadedFile(
        "x.exe", b"MZ\x90\x00", content_type="application/octet-stream")})
    assert response.status_code == 400
    html = response.content.decode()
    forms = {pk: html[html.index(f'data-notice="{pk}"'):] for pk in (notice.pk, second.pk)}
    forms = {pk: part[:part.index("</form>")] for pk, part in forms.items()}
    assert "errorlist" in forms[second.pk] and "errorlist" not in forms[notice.pk]
    assert f'id="id_reply_form{second.pk}_text"' in forms[second.pk]
    assert f'id="id_reply_form{notice.pk}_text"' in forms[notice.pk]
    assert SupervisionNotice.objects.filter(status="open").count() == 2


def test_a_retried_notice_or_reply_is_not_sent_twice(task2, api_client_for, people, units):
    office, yuanlin = api_client_for(people["office"]), api_client_for(people["yuanlin"])
    data = {"task": task2.pk, "to_unit": units["市园林局"].pk, "text": "请说明原因。", "reply_due": "2018-10-10"}
    first = office.post("/api/plans/notices/", data, HTTP_IDEMPOTENCY_KEY="notice-1")
    again = office.post("/api/plans/notices/", data, HTTP_IDEMPOTENCY_KEY="notice-1")
    assert first.status_code == again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert SupervisionNotice.objects.count() == 1
    # The review date is part of the request: another one with the same key is another request.
    other_day = office.post("/api/plans/notices/?as_of=2018-09-20", data, HTTP_IDEMPOTENCY_KEY="notice-1")
    assert other_day.status_code == 422 and SupervisionNotice.objects.count() == 1
    reply_url = f"/api/plans/notices/{first.json()['id']}/reply/"
    replies = [yuanlin.post(reply_url, {"text": "已整改。"}, HTTP_IDEMPOTENCY_KEY="reply-1") for _ in range(2)]
    assert [r.status_code for r in replies] == [200, 200] and replies[1]["Idempotent-Replayed"] == "true"
    assert SupervisionNotice.objects.get().events.filter(kind="reply").count() == 1
