"""Plan indicators computed from the inspections — 以克论净 dust by lane class and the road facility intact
rate — counted by hand at a past date, with the inspection list behind each value listing exactly those counted."""
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from jingzhi.assets.services import asset_create
from jingzhi.cases.models import CategoryKind
from jingzhi.inspections.plan_sources import INSPECTION_MEASURES, measure_count
from jingzhi.inspections.services import inspection_submit
from jingzhi.plans.live import live_value

pytestmark = pytest.mark.django_db

START, REVIEW = dt.date(2018, 4, 2), dt.date(2018, 9, 30)


def road(geography, code, road_class, lanes):
    lon, lat = geography.inside_a
    return asset_create(kind="road", code=code, name=f"路{code}", attributes={"road_class": road_class, "lanes": lanes},
                        geometry={"type": "LineString", "coordinates": [[lon - 0.002, lat], [lon + 0.002, lat]]})


def weigh(inspector, asset, day, **lanes):
    """One weighing: each lane's three points, in grams on 1 m² frames."""
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    values = {lane: [{"net_g": grams} for grams in points] for lane, points in lanes.items()}
    return inspection_submit(inspector=inspector, template_code="dust_sampling", values=values, asset=asset, now=at)


def survey(inspector, asset, day, intact, total):
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(15)))
    return inspection_submit(inspector=inspector, template_code="road_facility", asset=asset, now=at, values={
        "intact_rate": {"numerator": intact, "denominator": total}, "no_potholes": True, "sidewalk_intact": True,
        "manholes_level": True})


@pytest.fixture
def weighed(geography, people, categories):
    """Three roads weighed; the comments give each lane's mean of its points (g/m²)."""
    inspector = people["inspector"]
    main = road(geography, "M", "主干路", ["fast", "slow", "sidewalk"])
    branch = road(geography, "B", "支路", ["fast", "sidewalk"])
    back = road(geography, "S", "背街小巷", ["fast"])
    # 主干路 M: weighed in May (fast 6: over 5), again in September (fast 4, slow 5.5: over, sidewalk 12).
    first = weigh(inspector, main, dt.date(2018, 5, 10), fast_lane=[6, 6, 6], slow_lane=[4, 4, 4],
                  sidewalk=[10, 10, 10])
    latest = weigh(inspector, main, dt.date(2018, 9, 12), fast_lane=[3, 4, 5], slow_lane=[5, 5.5, 6],
                   sidewalk=[11, 12, 13])
    # 支路 B: carriageway 8 (limit 10), sidewalk 16 (over 15).
    branch_weighing = weigh(inspector, branch, dt.date(2018, 9, 14), fast_lane=[7, 8, 9], sidewalk=[15, 16, 17])
    # 背街 S: carriageway 11 (over 10) — but after the review date: not counted on 2018-09-30.
    weigh(inspector, back, dt.date(2018, 10, 8), fast_lane=[11, 11, 11])
    return {"first": first, "latest": latest, "branch": branch_weighing, "main": main, "branch_road": branch}


def value(key, end=REVIEW):
    return live_value(key=f"inspections.{key}", start=START, end=end)


def test_dust_by_lane_class_at_the_review_date_matches_a_hand_count(weighed):
    # 主、次干道快车道: M's latest weighing only (4), within 5.
    fast = value("dust_main_fast_lane")
    assert (fast.value, fast.count.counted, fast.count.met) == (Decimal("4.00"), 1, 1)
    # 慢车道: M 5.5 (over 5). 支路背街: B 8 (within 10). 人行道: M 12 and B 16 → mean 14, one of two within 15.
    slow = value("dust_slow_lane")
    assert (slow.value, slow.count.counted, slow.count.met) == (Decimal("5.50"), 1, 0)
    assert (value("dust_branch_back_street").value, value("dust_branch_back_street").count.counted) == (
        Decimal("8.00"), 1)
    sidewalk = value("dust_sidewalk")
    assert (sidewalk.value, sidewalk.count.counted, sidewalk.count.met) == (Decimal("14.00"), 2, 1)
    # On 2018-06-30 only M's May weighing counted: fast lane 6, over.
    assert value("dust_main_fast_lane", end=dt.date(2018, 6, 30)).value == Decimal("6.00")
    # At the year's end S is in too: 支路背街 (8 + 11) / 2 = 9.5, one of two within 10.
    late = value("dust_branch_back_street", end=dt.date(2018, 12, 31))
    assert (late.value, late.count.counted, late.count.met) == (Decimal("9.50"), 2, 1)


def test_the_road_facility_intact_rate_sums_the_latest_surveys(weighed, people, make_category):
    make_category("0299", "其他道路交通设施", kind=CategoryKind.COMPONENT)  # a survey under 97 % reports a case
    inspector = people["inspector"]
    survey(inspector, weighed["main"], dt.date(2018, 6, 1), 90, 100)  # replaced by the September survey
    survey(inspector, weighed["main"], dt.date(2018, 9, 3), 195, 200)
    survey(inspector, weighed["branch_road"], dt.date(2018, 9, 4), 48, 50)
    rate = value("road_facility_intact_rate")
    # (195 + 48) / (200 + 50) = 243 / 250 = 97.20 %
    assert (rate.value, rate.count.counted, rate.count.met) == (Decimal("97.20"), 250, 243)


def test_the_inspection_list_behind_a_value_holds_exactly_those_counted(weighed, client, people):
    client.force_login(people["office"])

    def listed(url):
        html = client.get(url).content.decode()
        return sorted(int(pk) for pk in re.findall(r'data-inspection="(\d+)"', html))

    sidewalk = measure_count(INSPECTION_MEASURES["dust_sidewalk"], start=START, end=REVIEW)
    assert listed(sidewalk.counted_url) == sorted([weighed["latest"].pk, weighed["branch"].pk])
    assert listed(sidewalk.met_url) == [weighed["latest"].pk]
    assert listed(sidewalk.missed_url) == [weighed["branch"].pk]
    assert weighed["first"].pk not in listed(
        measure_count(INSPECTION_MEASURES["dust_main_fast_lane"], start=START, end=REVIEW).counted_url)
    # Bad input: a field error in the page, nothing listed.
    response = client.get("/inspections/records/", {"measure": "dust_sidewalk", "start": "2018-09-30",
                                                    "end": "2018-04-02"})
    assert response.status_code == 200 and "结束日期不能早于开始日期。" in response.content.decode()
    assert listed("/inspections/records/?measure=nothing&start=2018-04-02&end=2018-09-30") == []
