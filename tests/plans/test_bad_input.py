"""Bad input to the plans API and pages is a 400 with field messages, never a 500, and nothing is
written: text over its limit, dates out of range, id filters beyond 64 bits, lax booleans."""
import pytest

from jingzhi.core.limits import LONG_TEXT
from jingzhi.plans.models import ChecklistItem, Indicator, NoticeEvent, ProgressReport, SupervisionNotice, Task
from jingzhi.plans.services import notice_issue

from .conftest import REVIEW_DATE

pytestmark = pytest.mark.django_db

FIVE_MB = "进" * (5 * 1024 * 1024 // 3)  # 5 MB of UTF-8
LISTS = ["plans", "tasks", "indicators", "checklist-items", "progress-reports", "notices"]


@pytest.fixture
def api(api_client_for, people):
    def make(name):
        client = api_client_for(people[name])
        client.raise_request_exception = False
        return client
    return make


def report(**changes):
    indicator = Indicator.objects.get(code="toilets")
    return {"indicator": indicator.pk, "value": "846", "unit": indicator.unit, "measured_on": "2018-09-20", **changes}


def test_a_5_mb_progress_report_comment_is_refused(progress, api):
    response = api("cgj").post("/api/plans/progress-reports/", report(comment=FIVE_MB), format="json")
    assert response.status_code == 400
    assert response.json() == {"comment": [f"请确保这个字段不能超过 {LONG_TEXT} 个字符。"]}
    assert ProgressReport.objects.count() == 3  # the progress fixture's, no more


def test_the_limit_is_told_in_the_requests_language(progress, api):
    response = api("cgj").post("/api/plans/progress-reports/", report(comment="x" * (LONG_TEXT + 1)),
                               format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json() == {"comment": [f"Ensure this field has no more than {LONG_TEXT} characters."]}
    assert api("cgj").post("/api/plans/progress-reports/", report(comment="x" * LONG_TEXT),
                           format="json").status_code == 201


def test_the_report_page_refuses_a_long_comment(progress, client, people):
    client.force_login(people["cgj"])
    task = Task.objects.get(number="1")
    response = client.post(f"/plans/tasks/{task.pk}/reports/", {**report(comment="x" * (LONG_TEXT + 1))})
    assert response.status_code == 400
    assert f"确保该变量包含不超过 {LONG_TEXT} 字符" in response.content.decode()
    assert ProgressReport.objects.count() == 3


@pytest.fixture
def notice(progress, people, units):
    return notice_issue(user=people["office"], task=Task.objects.get(number="2"), to_unit=units["市园林局"],
                        text="进度滞后。", reply_due=REVIEW_DATE, on=REVIEW_DATE)


def test_notice_texts_have_a_limit_too(notice, api):
    long_text = "x" * (LONG_TEXT + 1)
    task = Task.objects.get(number="2")
    issued = api("office").post("/api/plans/notices/", {
        "task": task.pk, "to_unit": notice.to_unit_id, "text": long_text, "reply_due": "2018-10-10"}, format="json")
    replied = api("yuanlin").post(f"/api/plans/notices/{notice.pk}/reply/", {"text": long_text}, format="json")
    reviewed = api("office").post(f"/api/plans/notices/{notice.pk}/review/",
                                  {"decision": "return", "text": long_text}, format="json")
    assert [r.status_code for r in (issued, replied, reviewed)] == [400, 400, 400]
    assert [list(r.json()) for r in (issued, replied, reviewed)] == [["text"], ["text"], ["text"]]
    assert SupervisionNotice.objects.count() == 1 and not NoticeEvent.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31", "2100-01-01"])
def test_dates_outside_2000_2099_are_field_errors(progress, api, day):
    response = api("cgj").post("/api/plans/progress-reports/", report(measured_on=day), format="json")
    assert response.status_code == 400 and response.json() == {"measured_on": ["日期须在 2000-01-01 至 2099-12-31 之间。"]}
    assert api("cgj").get(f"/api/plans/plans/?as_of={day}").json() == {
        "as_of": ["日期须在 2000-01-01 至 2099-12-31 之间。"]}
    assert ProgressReport.objects.count() == 3


def test_dates_are_written_yyyy_mm_dd(progress, api):
    for day in ("20180920", "2018-W38-4", "", "2018-9-20"):
        assert api("cgj").post("/api/plans/progress-reports/", report(measured_on=day), format="json").status_code == 400
    assert api("cgj").get("/api/plans/plans/?as_of=").status_code == 400
    assert api("cgj").get("/api/plans/plans/?as_of=20180930").status_code == 400


def test_the_pages_fall_back_to_the_default_date(progress, client, people):
    client.force_login(people["leader"])
    response = client.get("/plans/?as_of=0001-01-01")
    assert response.status_code == 200
    html = response.content.decode()
    assert "评估日期无效：日期须在 2000-01-01 至 2099-12-31 之间。已按默认日期计算。" in html and "2018-09-30" in html


@pytest.mark.parametrize("name", LISTS)
def test_huge_pagination_and_id_filters_are_400s(progress, api, name):
    client = api("office")
    for query, field in ((f"limit={2**63}", "limit"), (f"offset={2**63}", "offset"), ("limit=201", "limit")):
        response = client.get(f"/api/plans/{name}/?{query}")
        assert response.status_code == 400 and list(response.json()) == [field], (name, query)


def test_an_id_filter_beyond_64_bits_is_a_400(progress, api):
    response = api("office").get(f"/api/plans/progress-reports/?task={2**64}")
    assert response.status_code == 400 and list(response.json()) == ["task"]
    assert api("office").get("/api/plans/tasks/?plan=abc").status_code == 400
    assert api("office").get(f"/api/plans/tasks/?plan={progress.pk}").json()["count"] > 0


@pytest.fixture
def item(progress):
    return ChecklistItem.objects.get(text="建立老旧小区数据库")  # lead 市园林局


@pytest.mark.parametrize("data, field", [
    ({"done_on": "2018-03-28", "note": "x"}, "done"),  # absent from form data: not read as false
    ({"done": "0", "done_on": "2018-03-28", "note": "x"}, "done"),
    ({"done": "yes", "done_on": "2018-03-28", "note": "x"}, "done"),
    ({"done": "true", "done_on": "", "note": "x"}, "done_on"),
    ({"done": "true", "done_on": "0001-01-01", "note": "x"}, "done_on"),
    ({"done": "true", "done_on": "2018-03-28", "note": "x" * (LONG_TEXT + 1)}, "note"),
])
def test_marking_a_requirement_checks_every_field(item, api, data, field):
    response = api("yuanlin").post(f"/api/plans/checklist-items/{item.pk}/mark/", data, format="multipart")
    assert response.status_code == 400 and field in response.json()
    item.refresh_from_db()
    assert item.done_on is None


def test_a_format_suffix_is_no_route(item, api):
    """``…/mark.json`` reached the action without its ``format`` argument: a 500."""
    response = api("yuanlin").post(f"/api/plans/checklist-items/{item.pk}/mark.json", {"done": "false"})
    assert response.status_code == 404
