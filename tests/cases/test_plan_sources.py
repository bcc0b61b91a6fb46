"""The cases measure three plan indicators (``cases.plan_sources``, registered with ``plans.live``):
双十 and the two small-ad rates, each counted here by hand, and each value's records one click away
in the case search (page and API) — exactly the cases counted, met and missed."""
import datetime as dt
import re
from decimal import Decimal

import pytest

from jingzhi.cases.acting import case_act
from jingzhi.cases.workflow import CaseAction, State
from jingzhi.plans.live import live_source_keys, live_value

from .conftest import at

pytestmark = pytest.mark.django_db

DOUBLE_TEN = [
    {"name": "管理人员到场劝导", "value": 10, "unit": "natural_minutes"},
    {"name": "执法人员到场下达责令整改通知书", "value": 10, "unit": "natural_minutes"},
]
START, END = dt.date(2018, 4, 2), dt.date(2018, 9, 30)


@pytest.fixture
def vending(make_category):
    return make_category("0501", "无照经营游商", on_site_steps=DOUBLE_TEN,
                         dispatch=(5, "natural_minutes"), handle=(20, "natural_minutes"))


def arrive(case, handler, when, step):
    return case_act(case=case, action=CaseAction.ON_SITE_ARRIVE, actor=handler, now=at(when), step=step,
                    arrived_at=at(when))


def handle(case, handler, when, photo):
    return case_act(case=case, action=CaseAction.HANDLE, actor=handler, now=at(when),
                    photos=[("after", photo())])


@pytest.fixture
def double_ten_cases(staff, vending, make_category, make_case, clock, photo):
    """Dispatched at 10:00 (first arrival due 10:10; the second 10 minutes after the first arrival).

    A  arrives 10:08, handled 10:15 (the officer, due 10:18, was not needed)  → met
    B  arrives 10:08, officer 10:17 (due 10:18)                               → met
    C  arrives 10:12 (due 10:10)                                              → missed
    D  arrives 10:05, officer 10:19 (due 10:15)                               → missed
    E  arrives 10:05, no officer, still worked at 10:40 (officer due 10:15)   → missed
    G  nobody arrived, due 10:10                                              → missed
    F  dispatched 10:45, nobody yet, due 10:55: undecided at 10:50            → not counted
    H  reported 2018-03-01, before the plan                                   → not counted
    I  barbecue (one 1-hour step, not the 双十 pair), arrived late            → not counted
    Counted 6, met 2: 2 / 6 = 33.33 %.
    """
    handler = staff.handler_a
    day = "2018-06-11"
    cases = {name: make_case(State.DISPATCHED, category=vending, now=at(f"{day} 10:00"), description=f"游商{name}")
             for name in "ABCDEG"}
    handle(arrive(cases["A"], handler, f"{day} 10:08", 1), handler, f"{day} 10:15", photo)
    arrive(arrive(cases["B"], handler, f"{day} 10:08", 1), handler, f"{day} 10:17", 2)
    arrive(cases["C"], handler, f"{day} 10:12", 1)
    arrive(arrive(cases["D"], handler, f"{day} 10:05", 1), handler, f"{day} 10:19", 2)
    arrive(cases["E"], handler, f"{day} 10:05", 1)
    cases["F"] = make_case(State.DISPATCHED, category=vending, now=at(f"{day} 10:45"), description="游商F")
    cases["H"] = make_case(State.DISPATCHED, category=vending, now=at("2018-03-01 10:00"), description="游商H")
    barbecue = make_category("0509", "露天烧烤", on_site_steps=[{"name": "执法人员到场制止", "value": 1,
                                                               "unit": "natural_hours"}])
    cases["I"] = make_case(State.DISPATCHED, category=barbecue, now=at(f"{day} 10:00"), description="烧烤I")
    arrive(cases["I"], handler, f"{day} 11:30", 1)
    clock.set(f"{day} 10:50")
    return cases


def numbers(html):
    return set(re.findall(r"E\d{14,}", html))


def test_the_sources_are_registered():
    assert {"cases.double_ten", "cases.small_ad_cleaning", "cases.small_ad_solving"} <= set(live_source_keys())


def test_double_ten_counted_by_hand(double_ten_cases):
    live = live_value(key="cases.double_ten", start=START, end=END)
    assert (live.count.counted, live.count.met, live.value) == (6, 2, Decimal("33.33"))
    assert "10 分钟" in str(live.source.label)


def test_double_ten_records_are_one_click_away(double_ten_cases, client, api_client_for, staff):
    live = live_value(key="cases.double_ten", start=START, end=END)
    assert live.count.counted_url == "/cases/search/?measure=double_ten&date_from=2018-04-02&date_to=2018-09-30"
    client.force_login(staff.chief)
    number = {name: case.number for name, case in double_ten_cases.items()}
    expect = {"": "ABCDEG", "met": "AB", "missed": "CDEG"}
    for url, outcome in ((live.count.counted_url, ""), (live.count.met_url, "met"), (live.count.missed_url, "missed")):
        assert numbers(client.get(url).content.decode()) == {number[n] for n in expect[outcome]}, outcome
        api = api_client_for(staff.chief).get(url.replace("/cases/search/", "/api/cases/cases/")).json()
        assert {row["number"] for row in api["results"]} == {number[n] for n in expect[outcome]}, outcome


def test_an_outcome_needs_a_measure(staff, api_client_for):
    response = api_client_for(staff.chief).get("/api/cases/cases/?measure_outcome=met")
    assert response.status_code == 400 and "measure_outcome" in response.json()
    assert api_client_for(staff.chief).get("/api/cases/cases/?measure=nothing").status_code == 400


@pytest.fixture
def small_ads(staff, make_category, make_case):
    """0201 (posted): 3 closed fixed, 1 closed not fixed, 1 being handled, 1 refused, 1 not yet filed
    → 3 of 5 = 60 %. 0204 (handed out): 1 closed fixed, 1 dispatched → 1 of 2 = 50 %."""
    posted = make_category("0201", "非法小广告")
    handed_out = make_category("0204", "街头散发广告")
    when = at("2018-07-02 09:00")
    cases = [make_case(State.CLOSED, category=posted, now=when) for _ in range(3)]
    cases.append(make_case(State.HANDLING, category=posted, now=when))
    cases.append(case_act(case=make_case(State.VERIFIED, category=posted, now=when), action=CaseAction.CLOSE,
                          actor=staff.chief, now=when, outcome="not_fixed", outcome_reason="not_feasible",
                          comment="墙面高处暂无法清理"))
    refused = make_case(State.REPORTED, category=posted, now=when)
    cases.append(case_act(case=refused, action=CaseAction.REJECT, actor=staff.intake, now=when, reason="invalid",
                          comment="无效上报"))
    cases.append(make_case(State.REPORTED, category=posted, now=when))
    cases += [make_case(State.CLOSED, category=handed_out, now=when),
              make_case(State.DISPATCHED, category=handed_out, now=when)]
    return cases


def test_small_ad_rates_counted_by_hand(small_ads, client, staff):
    cleaning = live_value(key="cases.small_ad_cleaning", start=START, end=END)
    solving = live_value(key="cases.small_ad_solving", start=START, end=END)
    assert (cleaning.count.counted, cleaning.count.met, cleaning.value) == (5, 3, Decimal("60.00"))
    assert (solving.count.counted, solving.count.met, solving.value) == (2, 1, Decimal("50.00"))
    client.force_login(staff.chief)
    assert numbers(client.get(cleaning.count.missed_url).content.decode()) == {c.number for c in small_ads[3:5]}
    assert numbers(client.get(cleaning.count.met_url).content.decode()) == {c.number for c in small_ads[:3]}


def test_an_empty_window_has_no_value(small_ads):
    live = live_value(key="cases.small_ad_cleaning", start=dt.date(2019, 1, 1), end=dt.date(2019, 12, 31))
    assert (live.count.counted, live.value) == (0, None)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_leader_follows_a_live_value_to_its_cases(small_ads, staff, browser_login, live_server, tmp_path):
    """In chromium: the task page shows the cleaning rate computed from the cases, and one click on
    "计入 5 件" opens the case search listing exactly those five cases."""
    from jingzhi.plans.models import Action, Indicator, Plan, Task

    plan = Plan.objects.create(year=2018, title="测试方案", document_number="测试〔2018〕9号",
                               issued_on=START, as_of=END)
    task = Task.objects.create(plan=plan, action=Action.objects.create(plan=plan, code="beautify", number="四",
                                                                      name="美化", title="美化行动"),
                               number="20", title="户外广告和招牌整治规范")
    Indicator.objects.create(task=task, code="small-ad-cleaning-rate", name="小广告清理率", unit="%",
                             kind="maintained", direction="at_least", target=95, deadline=dt.date(2018, 12, 31),
                             source="cases.small_ad_cleaning")
    page = browser_login(staff.leader)
    page.goto(f"{live_server.url}/plans/tasks/{task.pk}/")
    row = page.locator("tr[data-indicator='small-ad-cleaning-rate']")
    assert "60 %" in row.locator("td.num").nth(1).inner_text()
    assert "由案件计算" in row.inner_text() and "滞后" in row.inner_text()
    page.screenshot(path=str(tmp_path / "task.png"), full_page=True)
    row.locator("text=计入 5 件").click()
    page.wait_for_url("**/cases/search/?measure=small_ad_cleaning*")
    listed = set(re.findall(r"E\d{14,}", page.locator("main").inner_text()))
    assert listed == {case.number for case in small_ads[:5]}
    page.screenshot(path=str(tmp_path / "search.png"), full_page=True)
