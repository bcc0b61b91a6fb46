"""Plan indicators computed from the registries' history, counted by hand at past dates, with the registry
page behind each value listing exactly the records counted, and the source shown on the plan page and API."""
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from jingzhi.assets.plan_sources import REGISTRY_MEASURES, measure_count
from jingzhi.assets.services import asset_change, asset_create
from jingzhi.org.models import Role, UnitKind
from jingzhi.plans.live import live_value
from jingzhi.plans.models import Plan
from jingzhi.plans.services import plan_load

from .conftest import point

pytestmark = pytest.mark.django_db

START, REVIEW, YEAR_END = date(2018, 4, 2), date(2018, 9, 30), date(2018, 12, 31)
SMALL_PLAN = Path(__file__).parents[1] / "plans" / "small_plan.yaml"


def toilet(code, klass, *, built_on=None, third=False, always=False, where=(113.605, 34.755)):
    return asset_create(kind="toilet", code=code, name=f"公厕{code}", geometry=point(where), built_on=built_on,
                        attributes={"toilet_class": klass, "third_restroom": third, "open_24h": always})


@pytest.fixture
def toilets(geography):
    """Seven toilets and their history; the comments say what each counts for on 2018-09-30."""
    t1 = toilet("T1", "三类")  # stock, upgraded in the period with a third restroom: upgraded, gained one
    asset_change(asset=t1, change="upgraded", on=date(2018, 5, 10),
                 attributes={"toilet_class": "二类", "third_restroom": True})
    toilet("T2", "一类", third=True)  # stock with a third restroom already: gained nothing
    toilet("T3", "一类", built_on=date(2018, 6, 1), third=True, always=True)  # built: gained both
    toilet("T4", "二类", built_on=date(2018, 10, 15), third=True)  # built after the review date
    t5 = toilet("T5", "二类")
    asset_change(asset=t5, change="removed", on=date(2018, 7, 1))  # gone by the review date
    t6 = toilet("T6", "二类", built_on=date(2018, 3, 1))  # built before the plan; upgraded after the review
    asset_change(asset=t6, change="upgraded", on=date(2018, 11, 1), attributes={"toilet_class": "一类"})
    t7 = toilet("T7", "二类", built_on=START, always=True)  # built on the first day; 24 h given up in August
    asset_change(asset=t7, change="attributes_changed", on=date(2018, 8, 1), attributes={"open_24h": False})


def count(key, end):
    return measure_count(REGISTRY_MEASURES[key], start=START, end=end)


def test_toilet_figures_at_the_review_date_and_the_years_end_match_a_hand_count(toilets):
    # On 2018-09-30: built T3, T7; upgraded T1; third restroom gained by T1, T3; 24 h gained by T3 (T7 lost it).
    # Existing then: T1 二类, T2 一类, T3 一类, T6 二类, T7 二类 (T4 not built, T5 removed): 一类 2/5, 二类 3/5.
    assert [count(key, REVIEW).counted for key in ("toilets_built", "toilets_upgraded",
                                                   "toilets_third_restroom_added", "toilets_open_24h_added")] == [
        2, 1, 2, 1]
    share = count("toilets_class1_share", REVIEW)
    assert (share.counted, share.met) == (5, 2)
    assert live_value(key="assets.toilets_class1_share", start=START, end=REVIEW).value == Decimal("40.00")
    assert live_value(key="assets.toilets_class2_share", start=START, end=REVIEW).value == Decimal("60.00")
    # On 2018-12-31: T4 built too, T6 upgraded to 一类: existing T1 T2 T3 T4 T6 T7, 一类 T2 T3 T6 = 3/6.
    assert (count("toilets_built", YEAR_END).counted, count("toilets_upgraded", YEAR_END).counted) == (3, 2)
    assert count("toilets_third_restroom_added", YEAR_END).counted == 3
    assert live_value(key="assets.toilets_class1_share", start=START, end=YEAR_END).value == Decimal("50.00")


def listed_codes(client, url):
    html = client.get(url).content.decode()
    total = int(re.search(r"共 (\d+) 条", html).group(1))
    codes = re.findall(r'<td><a href="/assets/\w+/\d+/">([^<]+)</a></td>', html)
    assert total == len(codes)
    return sorted(codes)


def test_each_value_links_the_registry_page_listing_exactly_the_records_counted(toilets, client, office):
    client.force_login(office)
    expected = {"toilets_built": ["T3", "T7"], "toilets_upgraded": ["T1"],
                "toilets_third_restroom_added": ["T1", "T3"], "toilets_open_24h_added": ["T3"],
                "toilets_class1_share": ["T1", "T2", "T3", "T6", "T7"]}
    for key, codes in expected.items():
        assert listed_codes(client, count(key, REVIEW).counted_url) == codes, key
    assert listed_codes(client, count("toilets_class1_share", REVIEW).met_url) == ["T2", "T3"]
    assert listed_codes(client, count("toilets_class2_share", REVIEW).met_url) == ["T1", "T6", "T7"]


@pytest.mark.parametrize(("key", "end", "met", "missed"), [
    # On 2018-09-30: T1 (三类 until its upgrade to 二类 on 2018-05-10), T6 (二类 then, 一类 only from
    # 2018-11-01) and T7 are not 一类; T4 is not built yet and T5 removed, so neither is listed.
    ("toilets_class1_share", REVIEW, ["T2", "T3"], ["T1", "T6", "T7"]),
    ("toilets_class2_share", REVIEW, ["T1", "T6", "T7"], ["T2", "T3"]),
    # On 2018-12-31: T6 is 一类 now and T4 (二类) built.
    ("toilets_class1_share", YEAR_END, ["T2", "T3", "T6"], ["T1", "T4", "T7"]),
    ("toilets_class2_share", YEAR_END, ["T1", "T4", "T7"], ["T2", "T3", "T6"]),
])
def test_a_shares_missed_list_holds_exactly_the_counted_that_did_not_meet_it(toilets, client, office, key, end, met,
                                                                             missed):
    client.force_login(office)
    share = count(key, end)
    counted = listed_codes(client, share.counted_url)
    assert listed_codes(client, share.met_url) == met and listed_codes(client, share.missed_url) == missed
    assert sorted(met + missed) == counted and (share.counted, share.met) == (len(counted), len(met))


def test_every_share_links_its_missed_records_and_a_count_does_not(geography):
    for key, measure in REGISTRY_MEASURES.items():
        result = count(key, REVIEW)
        if measure.met:
            assert "?as_of=2018-09-30&not." in result.missed_url, key
        else:
            assert (result.met_url, result.missed_url) == ("", ""), key


def test_rivers_parking_street_lights_and_old_compounds(geography, client, office):
    for code, black, eliminated in (("R1", True, date(2018, 6, 1)), ("R2", True, date(2018, 11, 1)),
                                    ("R3", False, None)):
        river = asset_create(kind="river", code=code, name=code, attributes={"black_odorous": black},
                             geometry={"type": "LineString", "coordinates": [[113.60, 34.75], [113.61, 34.75]]})
        if eliminated:
            asset_change(asset=river, change="attributes_changed", on=eliminated,
                         attributes={"black_odorous": False, "eliminated_on": eliminated})
    square = {"type": "Polygon", "coordinates": [[[113.60, 34.75], [113.601, 34.75], [113.601, 34.751],
                                                  [113.60, 34.75]]]}
    for code, public, spaces, built in (("P1", True, 120, date(2018, 5, 1)), ("P2", False, 50, date(2018, 5, 2)),
                                        ("P3", True, 200, date(2018, 10, 1)), ("P4", True, 80, date(2017, 5, 1))):
        asset_create(kind="parking_lot", code=code, name=code, geometry=square, built_on=built,
                     attributes={"public": public, "spaces": spaces})
    for code, road, upgraded in (("L1", "A", date(2018, 6, 1)), ("L2", "A", date(2018, 6, 1)),
                                 ("L3", "B", date(2018, 7, 1)), ("L4", "C", None), ("L5", "D", date(2018, 10, 9))):
        light = asset_create(kind="street_light", code=code, name=code, geometry=point((113.605, 34.755)),
                             attributes={"road_code": road, "led": False})
        if upgraded:
            asset_change(asset=light, change="upgraded", on=upgraded, attributes={"led": True})
    for code, done in (("C1", date(2018, 8, 1)), ("C2", date(2018, 11, 1)), ("C3", None), ("C4", None)):
        compound = asset_create(kind="old_compound", code=code, name=code, geometry=square,
                                attributes={"renovation_status": "planned"})
        if done:
            asset_change(asset=compound, change="upgraded", on=done, attributes={"renovation_status": "done"})

    # Black-odorous: R1 and R2 on the plan's first day, R2 alone on 2018-09-30, none at the year's end.
    assert [count("black_odorous_water_bodies", day).counted for day in (START, REVIEW, YEAR_END)] == [2, 1, 0]
    # New public spaces by 2018-09-30: P1's 120 (P2 is private, P3 later, P4 before the plan).
    parking = live_value(key="assets.public_parking_spaces_built", start=START, end=REVIEW)
    assert (parking.value, parking.count.counted) == (Decimal(120), 1)
    # Roads with upgraded lights by 2018-09-30: A (two lights) and B; D's came later.
    lights = live_value(key="assets.street_light_roads_upgraded", start=START, end=REVIEW)
    assert (lights.value, lights.count.counted) == (Decimal(2), 3)
    # Old compounds renovated: 1 of 4 on 2018-09-30, 2 of 4 at the year's end.
    assert live_value(key="assets.old_compounds_renovated_share", start=START, end=REVIEW).value == Decimal("25.00")
    assert live_value(key="assets.old_compounds_renovated_share", start=START, end=YEAR_END).value == Decimal(
        "50.00")
    client.force_login(office)
    assert listed_codes(client, count("black_odorous_water_bodies", REVIEW).counted_url) == ["R2"]
    assert listed_codes(client, parking.count.counted_url) == ["P1"]
    assert listed_codes(client, lights.count.counted_url) == ["L1", "L2", "L3"]
    renovated = count("old_compounds_renovated_share", REVIEW)
    assert listed_codes(client, renovated.met_url) == ["C1"]
    assert listed_codes(client, renovated.missed_url) == ["C2", "C3", "C4"]  # C2 was done only in November


@pytest.fixture
def plan_with_registry_sources(toilets, make_unit, tmp_path):
    for name in ("市城管局", "市园林局", "市公安局"):
        make_unit(name, kind=UnitKind.CITY_BUREAU)
    make_unit("金水区", kind=UnitKind.DISTRICT)
    text = SMALL_PLAN.read_text(encoding="utf-8")
    text = text.replace("{code: toilets,", "{code: toilets, source: assets.toilets_built,")
    text = text.replace("{code: class1-share,", "{code: class1-share, source: assets.toilets_class1_share,")
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    plan_load(path=path)
    return Plan.objects.update(as_of=REVIEW)


def test_the_plan_api_and_page_show_where_each_registry_value_comes_from(plan_with_registry_sources, make_user,
                                                                         api_client_for, client):
    leader = make_user(Role.LEADER, username="leader")
    rows = {row["code"]: row for row in api_client_for(leader).get("/api/plans/indicators/").json()["results"]}
    built = rows["toilets"]
    assert (built["latest_value"], built["value_source"]["key"], built["value_source"]["measure"]) == (
        "2", "assets.toilets_built", "count")
    assert built["value_source"]["records_url"] == "/assets/toilet/?change=built&start=2018-04-02&end=2018-09-30"
    share = rows["class1-share"]["value_source"]
    assert (rows["class1-share"]["latest_value"], share["basis"], share["counted"], share["met"]) == (
        "40.00", "on_date", 5, 2)
    assert share["met_url"] == "/assets/toilet/?as_of=2018-09-30&a.toilet_class=%E4%B8%80%E7%B1%BB"
    assert share["missed_url"] == "/assets/toilet/?as_of=2018-09-30&not.toilet_class=%E4%B8%80%E7%B1%BB"
    client.force_login(leader)
    task = client.get("/plans/").content.decode()
    link = re.search(r'href="(/plans/tasks/\d+/)"', task).group(1)
    html = client.get(link).content.decode()
    cell = html.split('data-indicator="toilets"')[1].split("</tr>")[0]
    assert "由公厕台账计算：期间内新建的公厕" in cell
    assert '<a href="/assets/toilet/?change=built&amp;start=2018-04-02&amp;end=2018-09-30">计入 2 座</a>' in cell
    cell = html.split('data-indicator="class1-share"')[1].split("</tr>")[0]
    assert "2018-09-30 当日的状态" in cell and "2 座达标" in cell
    missed = '<a href="/assets/toilet/?as_of=2018-09-30&amp;not.toilet_class=%E4%B8%80%E7%B1%BB">未达标记录</a>'
    assert missed in cell
    assert listed_codes(client, share["missed_url"]) == ["T1", "T6", "T7"]  # what the leader opens
