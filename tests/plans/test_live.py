"""Live indicators on the plans side: the value comes from a registered source, never from a report,
and page and API say where every value comes from (the case measures themselves are counted by hand
in tests/cases/test_plan_sources.py)."""
from datetime import date
from decimal import Decimal

import pytest

from jingzhi.plans import live
from jingzhi.plans.live import LiveCount, LiveSource
from jingzhi.plans.models import Indicator, ProgressReport, Task

from .conftest import report

CALLS = []


def fake_count(*, start, end):
    CALLS.append((start, end))
    return LiveCount(counted=8, met=6, counted_url="/records/?all", met_url="/records/?met",
                     missed_url="/records/?missed")


@pytest.fixture
def live_indicator(small_plan, monkeypatch):
    """A maintained level of ≥ 80 % on task 1, computed by a test source: 6 of 8 = 75 % (lagging)."""
    monkeypatch.setitem(live._SOURCES, "test.fake", LiveSource(
        key="test.fake", label="由测试记录计算：达标记录占比", unit="%", count=fake_count))
    CALLS.clear()
    return Indicator.objects.create(
        task=Task.objects.get(number="1"), code="live", name="实时达标率", unit="%", kind="maintained",
        direction="at_least", target=Decimal(80), deadline=date(2018, 12, 31), source="test.fake", position=9)


def indicators(client, query=""):
    response = client.get(f"/api/plans/indicators/{query}")
    assert response.status_code == 200
    return {row["code"]: row for row in response.json()["results"]}


def test_the_api_gives_the_live_value_and_its_source(live_indicator, api_client_for, people):
    row = indicators(api_client_for(people["leader"]))["live"]
    assert (row["latest_value"], row["latest_measured_on"], row["expected"], row["status"], row["kind"]) == (
        "75.00", "2018-09-30", "80.00", "lagging", "maintained")
    assert row["value_source"] == {
        "kind": "live", "label": "由测试记录计算：达标记录占比", "key": "test.fake", "report": None,
        "reporting_unit": None, "period_start": "2018-04-02", "period_end": "2018-09-30", "counted": 8, "met": 6,
        "records_url": "/records/?all", "met_url": "/records/?met", "missed_url": "/records/?missed"}
    # The records of the plan's period up to the review date, never past the deadline.
    assert (date(2018, 4, 2), date(2018, 9, 30)) in CALLS
    CALLS.clear()
    indicators(api_client_for(people["leader"]), "?as_of=2019-01-05")
    assert set(CALLS) == {(date(2018, 4, 2), date(2018, 12, 31))}


def test_a_typed_value_says_who_reported_it(progress, api_client_for, people):
    rows = indicators(api_client_for(people["leader"]))
    assert rows["toilets"]["value_source"]["kind"] == "report"
    assert rows["toilets"]["value_source"]["reporting_unit"] == "市城管局"
    assert rows["toilets"]["value_source"]["report"] == ProgressReport.objects.get(indicator__code="toilets").pk
    assert rows["dust"]["value_source"] is None and rows["dust"]["latest_value"] is None
    assert (rows["dust"]["kind"], rows["dust"]["lower_is_better"]) == ("maintained", True)
    assert rows["class1-share"]["baseline"] == "20.00"


def test_the_page_shows_the_value_with_its_records_one_click_away(live_indicator, client, people):
    client.force_login(people["office"])
    html = client.get(f"/plans/tasks/{live_indicator.task_id}/").content.decode()
    row = html.split('data-indicator="live"')[1].split("</tr>")[0]
    assert "75 %" in row and "由测试记录计算：达标记录占比" in row and "保持水平" in row
    assert '<a href="/records/?met">6 件达标</a>' in row and '<a href="/records/?all">计入 8 件</a>' in row
    assert 'href="/records/?missed"' in row


def test_a_live_indicator_takes_no_report(live_indicator, api_client_for, client, people):
    response = api_client_for(people["cgj"]).post("/api/plans/progress-reports/", {
        "indicator": live_indicator.pk, "value": "90", "unit": "%", "measured_on": "2018-09-20"}, format="json")
    assert response.status_code == 400 and "indicator" in response.json()
    assert not ProgressReport.objects.exists()
    client.force_login(people["cgj"])
    html = client.get(f"/plans/tasks/{live_indicator.task_id}/").content.decode()
    form = html.split('id="report-form"')[1].split("</form>")[0]
    assert "新建公厕" in form and "实时达标率" not in form
    with pytest.raises(Exception, match="不接受填报"):
        report(people["cgj"], "live", "90", "2018-09-20")
