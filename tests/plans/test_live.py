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
        "reporting_unit": None, "measure": "share", "basis": "period", "period_start": "2018-04-02",
        "period_end": "2018-09-30", "counted": 8, "met": 6, "quantity": None,
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


def _register(monkeypatch, key, count, **options):
    monkeypatch.setitem(live._SOURCES, key, LiveSource(key=key, label=f"由测试记录计算：{key}", count=count, **options))


def test_a_count_source_gives_a_whole_number_on_a_cumulative_path(small_plan, monkeypatch, api_client_for, client,
                                                                   people):
    """New toilets counted from records: 500 built by 2018-09-30 against 1210 × 181 / 273 = 802.23 → 803 expected."""
    _register(monkeypatch, "test.built", lambda *, start, end: LiveCount(counted=500, met=500,
                                                                         counted_url="/records/?built"),
              unit="座", measure="count", noun="座")
    Indicator.objects.filter(code="toilets").update(source="test.built")
    row = indicators(api_client_for(people["leader"]))["toilets"]
    assert (row["latest_value"], row["expected"], row["status"]) == ("500", "803", "lagging")
    source = row["value_source"]
    assert (source["measure"], source["basis"], source["counted"], source["records_url"], source["met_url"],
            source["missed_url"]) == ("count", "period", 500, "/records/?built", None, None)
    client.force_login(people["office"])
    html = client.get(f"/plans/tasks/{Indicator.objects.get(code='toilets').task_id}/").content.decode()
    cell = html.split('data-indicator="toilets"')[1].split("</tr>")[0]
    assert '<a href="/records/?built">计入 500 座</a>' in cell and "达标" not in cell.split("value-source")[1]


def test_a_count_with_a_quantity_and_a_mean(monkeypatch):
    """Parking spaces add up the lots' spaces; dust is the mean of the samples (4 roads, 18 g/m² → 4.50)."""
    from jingzhi.plans.live import LiveValue
    _register(monkeypatch, "test.spaces", lambda *, start, end: LiveCount(
        counted=3, met=3, counted_url="/lots/", quantity=Decimal(420)), unit="个", measure="count")
    _register(monkeypatch, "test.dust", lambda *, start, end: LiveCount(
        counted=4, met=3, counted_url="/all/", met_url="/met/", missed_url="/missed/", quantity=Decimal(18)),
        unit="克/平方米", measure="mean", noun="次")
    spaces = live.live_value(key="test.spaces", start=date(2018, 4, 2), end=date(2018, 9, 30))
    dust = live.live_value(key="test.dust", start=date(2018, 4, 2), end=date(2018, 9, 30))
    assert (spaces.value, dust.value) == (Decimal(420), Decimal("4.50"))
    empty = LiveValue(source=dust.source, start=dust.start, end=dust.end, count=LiveCount(0, 0, "/all/"))
    assert empty.value is None and not spaces.has_standard and dust.has_standard


def test_a_state_on_a_date_gives_a_reach_by_date_level_its_baseline(small_plan, monkeypatch, api_client_for, people):
    """Black-odorous water bodies left: 12 on the plan's first day (2018-04-02), 5 on 2018-09-30. The path
    falls from 12 to 0 on 2018-12-31: 12 − 12 × 181 / 273 = 4.04, a falling count rounds down to 4; 5 lags."""
    left = {date(2018, 4, 2): 12, date(2018, 9, 30): 5}
    _register(monkeypatch, "test.black", lambda *, start, end: LiveCount(
        counted=left[end], met=left[end], counted_url=f"/rivers/?on={end}"),
        unit="处", measure="count", basis="on_date", noun="处")
    task = Task.objects.get(number="1")
    Indicator.objects.create(task=task, code="black", name="黑臭水体", unit="处", kind="reach_by_date",
                             direction="eliminate", target=0, deadline=date(2018, 12, 31), source="test.black",
                             position=10)
    row = indicators(api_client_for(people["leader"]))["black"]
    assert (row["latest_value"], row["expected"], row["status"]) == ("5", "4", "lagging")
    assert row["value_source"]["basis"] == "on_date" and row["value_source"]["records_url"] == "/rivers/?on=2018-09-30"


def test_the_loader_refuses_a_source_in_another_unit(small_plan, monkeypatch, tmp_path):
    from jingzhi.plans.services import plan_load

    from .conftest import SMALL_PLAN
    _register(monkeypatch, "test.share", fake_count, unit="%")
    text = SMALL_PLAN.read_text(encoding="utf-8")
    assert "{code: toilets," in text
    broken = tmp_path / "plan.yaml"
    broken.write_text(text.replace("{code: toilets,", "{code: toilets, source: test.share,"), encoding="utf-8")
    with pytest.raises(ValueError, match=r"test\.share"):
        plan_load(path=broken)
