"""Status computation, with every number worked by hand.

Plan start 2018-04-02, deadline 2018-12-31: 273 days; review 2018-09-30 is day 181
(Apr 28 + May 31 + Jun 30 + Jul 31 + Aug 31 + Sep 30).
"""
from datetime import date
from decimal import Decimal as D

import pytest

from jingzhi.plans.status import (
    Checkpoint,
    IndicatorKind,
    ProgressStatus,
    Target,
    assess,
    checklist_status,
    combined_status,
    share_percent,
)

START, DEADLINE, REVIEW = date(2018, 4, 2), date(2018, 12, 31), date(2018, 9, 30)


CUMULATIVE, MAINTAINED, REACH = IndicatorKind.CUMULATIVE, IndicatorKind.MAINTAINED, IndicatorKind.REACH_BY_DATE


def target(direction, value, baseline=None, deadline=DEADLINE, milestones=(), kind=CUMULATIVE, baseline_on=None,
           whole=False):
    return Target(direction=direction, target=D(value), start=START, deadline=deadline, kind=kind,
                  baseline=None if baseline is None else D(baseline), baseline_on=baseline_on,
                  milestones=tuple(milestones), whole=whole)


TOILETS = target("at_least", 1210)


def test_at_least_expected_value_is_linear_from_zero():
    # 1210 × 181 / 273 = 802.234…
    assert assess(TOILETS, value=D(850), on=REVIEW).expected == D("802.23")
    assert assess(TOILETS, value=None, on=date(2018, 3, 1)).expected == D(0)
    assert assess(TOILETS, value=None, on=DEADLINE).expected == D(1210)


@pytest.mark.parametrize(("value", "on", "status"), [
    (D(850), REVIEW, ProgressStatus.ON_TRACK),       # 850 ≥ 802.23
    (D(780), REVIEW, ProgressStatus.LAGGING),        # 780 < 802.23
    (D(1210), REVIEW, ProgressStatus.DONE),
    (D(1300), REVIEW, ProgressStatus.DONE),
    (None, REVIEW, ProgressStatus.NOT_STARTED),
    (None, DEADLINE, ProgressStatus.NOT_STARTED),    # the deadline day itself is still in time
    (None, date(2019, 1, 1), ProgressStatus.OVERDUE),
    (D(1100), date(2019, 1, 1), ProgressStatus.OVERDUE),
])
def test_at_least_status(value, on, status):
    assert assess(TOILETS, value=value, on=on).status == status


def test_at_least_completion():
    assert assess(TOILETS, value=D(850), on=REVIEW).completion == D("70.25")  # 850 / 1210 = 0.70248
    assert assess(TOILETS, value=D(1300), on=REVIEW).completion == D(100)
    assert assess(TOILETS, value=None, on=REVIEW).completion == D(0)


def test_at_least_with_a_baseline():
    intact = target("at_least", 97, baseline=90, kind=REACH)
    result = assess(intact, value=D(95), on=REVIEW)
    # 90 + 7 × 181 / 273 = 94.641; completion (95 − 90) / 7 = 71.43 %
    assert (result.expected, result.status, result.completion) == (D("94.64"), ProgressStatus.ON_TRACK, D("71.43"))


def test_at_most_falls_from_the_baseline():
    dust = target("at_most", 5, baseline=8, kind=REACH)
    # 8 − 3 × 181 / 273 = 6.011
    assert assess(dust, value=D(6), on=REVIEW).expected == D("6.01")
    assert assess(dust, value=D(6), on=REVIEW).status == ProgressStatus.ON_TRACK
    assert assess(dust, value=D("6.5"), on=REVIEW).status == ProgressStatus.LAGGING
    assert assess(dust, value=D(5), on=REVIEW).status == ProgressStatus.DONE
    assert assess(dust, value=D(6), on=REVIEW).completion == D("66.67")  # (8 − 6) / 3


def test_a_maintained_cap_holds_from_the_start():
    sidewalk = target("at_most", 15, kind=MAINTAINED)
    assert assess(sidewalk, value=D(12), on=REVIEW).status == ProgressStatus.ON_TRACK  # held, not "done" mid-year
    result = assess(sidewalk, value=D(18), on=REVIEW)
    assert (result.expected, result.status, result.completion) == (D(15), ProgressStatus.LAGGING, D(0))
    assert assess(sidewalk, value=D(12), on=date(2019, 1, 1)).status == ProgressStatus.DONE


def test_eliminate():
    water = target("eliminate", 0, baseline=12, kind=REACH)
    # 12 − 12 × 181 / 273 = 4.044
    assert assess(water, value=D(5), on=REVIEW).expected == D("4.04")
    assert assess(water, value=D(5), on=REVIEW).status == ProgressStatus.LAGGING
    assert assess(water, value=D(4), on=REVIEW).status == ProgressStatus.ON_TRACK
    assert assess(water, value=D(0), on=REVIEW).status == ProgressStatus.DONE
    assert assess(water, value=D(5), on=REVIEW).completion == D("58.33")  # (12 − 5) / 12
    assert assess(water, value=D(1), on=date(2019, 1, 1)).status == ProgressStatus.OVERDUE


def test_exactly():
    station = target("exactly", 1)
    assert assess(station, value=D(0), on=REVIEW).expected == D("0.66")  # 181 / 273
    assert assess(station, value=D(1), on=REVIEW).status == ProgressStatus.DONE
    assert assess(station, value=D(0), on=REVIEW).status == ProgressStatus.LAGGING
    assert assess(station, value=D(2), on=REVIEW).status == ProgressStatus.LAGGING  # overshoot is not "exactly"


OLD_AREAS = target("at_least", 100, deadline=date(2020, 12, 31), milestones=[
    Checkpoint(date(2018, 12, 31), D(20)), Checkpoint(date(2019, 12, 31), D(60)),
    Checkpoint(date(2020, 12, 31), D(100)),
])


@pytest.mark.parametrize(("on", "expected"), [
    (date(2018, 4, 2), D(0)),
    (REVIEW, D("13.26")),              # 20 × 181 / 273 = 13.260
    (date(2018, 12, 31), D(20)),
    (date(2019, 7, 1), D("39.95")),    # 20 + 40 × 182 / 365 = 39.945
    (date(2019, 12, 31), D(60)),
    (date(2020, 7, 1), D(80)),         # leap year: 60 + 40 × 183 / 366 = 80.00
    (date(2021, 3, 1), D(100)),
])
def test_milestones_make_a_piecewise_linear_path(on, expected):
    assert assess(OLD_AREAS, value=None, on=on).expected == expected


def test_milestone_status():
    assert assess(OLD_AREAS, value=D(9), on=REVIEW).status == ProgressStatus.LAGGING     # 9 < 13.26
    assert assess(OLD_AREAS, value=D(15), on=REVIEW).status == ProgressStatus.ON_TRACK   # 15 ≥ 13.26
    # 20 % reached at the end of 2018 is on track, not done: the target is 100 % by 2020.
    assert assess(OLD_AREAS, value=D(20), on=date(2018, 12, 31)).status == ProgressStatus.ON_TRACK
    assert assess(OLD_AREAS, value=D(20), on=date(2018, 12, 31)).completion == D(20)
    assert assess(OLD_AREAS, value=D(90), on=date(2021, 1, 1)).status == ProgressStatus.OVERDUE


def test_checklist_status():
    assert checklist_status(deadline=DEADLINE, done_on=date(2018, 6, 1), on=REVIEW) == ProgressStatus.DONE
    # Done later than the review date: not yet done when reviewed.
    assert checklist_status(deadline=DEADLINE, done_on=date(2018, 11, 1), on=REVIEW) == ProgressStatus.NOT_STARTED
    assert checklist_status(deadline=date(2018, 6, 30), done_on=None, on=REVIEW) == ProgressStatus.OVERDUE


@pytest.mark.parametrize(("parts", "combined"), [
    ([ProgressStatus.DONE, ProgressStatus.DONE], ProgressStatus.DONE),
    ([ProgressStatus.DONE, ProgressStatus.LAGGING, ProgressStatus.ON_TRACK], ProgressStatus.LAGGING),
    ([ProgressStatus.ON_TRACK, ProgressStatus.OVERDUE, ProgressStatus.LAGGING], ProgressStatus.OVERDUE),
    ([ProgressStatus.NOT_STARTED, ProgressStatus.NOT_STARTED], ProgressStatus.NOT_STARTED),
    ([ProgressStatus.DONE, ProgressStatus.NOT_STARTED], ProgressStatus.ON_TRACK),
    ([], ProgressStatus.NOT_STARTED),
])
def test_combined_status(parts, combined):
    assert combined_status(parts) == combined


def test_a_task_needs_a_notice_when_it_is_lagging_or_overdue():
    from jingzhi.plans.status import status_needs_notice

    assert {s for s in ProgressStatus if status_needs_notice(s)} == {ProgressStatus.LAGGING, ProgressStatus.OVERDUE}


# ── Indicator kinds ────────────────────────────────────────────────────────────

INTACT = target("at_least", 97, kind=MAINTAINED)  # 道路设施完好率不低于 97%


@pytest.mark.parametrize("on", [START, date(2018, 5, 1), REVIEW, DEADLINE, date(2019, 3, 1)])
def test_a_maintained_level_is_expected_in_full_from_the_plan_start(on):
    # Not the 97 × 181 / 273 = 64.31 % of a path from 0: the level holds from day one.
    assert assess(INTACT, value=D("96.5"), on=on).expected == D(97)


@pytest.mark.parametrize(("value", "on", "status", "completion"), [
    (D("97.2"), REVIEW, ProgressStatus.ON_TRACK, D(100)),   # held, but the year is not over
    (D(97), REVIEW, ProgressStatus.ON_TRACK, D(100)),
    (D("96.5"), REVIEW, ProgressStatus.LAGGING, D(0)),      # below the level: behind, whatever the date
    (D("96.5"), date(2018, 4, 3), ProgressStatus.LAGGING, D(0)),
    (None, REVIEW, ProgressStatus.NOT_STARTED, D(0)),
    (D("97.2"), DEADLINE, ProgressStatus.ON_TRACK, D(100)),  # the deadline day is still in the year
    (D("97.2"), date(2019, 1, 1), ProgressStatus.DONE, D(100)),
    (D("96.5"), date(2019, 1, 1), ProgressStatus.OVERDUE, D(0)),
])
def test_a_maintained_level_status(value, on, status, completion):
    result = assess(INTACT, value=value, on=on)
    assert (result.status, result.completion) == (status, completion)


def test_a_maintained_falling_level():
    dust = target("at_most", 5, kind=MAINTAINED)  # 主、次干道快车道积尘不超过5克/平方米
    assert [assess(dust, value=D(v), on=REVIEW).status for v in ("4.6", "5", "5.2")] == [
        ProgressStatus.ON_TRACK, ProgressStatus.ON_TRACK, ProgressStatus.LAGGING]
    assert assess(dust, value=D("5.2"), on=REVIEW).expected == D(5)


def test_a_cumulative_count_expects_whole_things():
    toilets = target("at_least", 1210, baseline=0, whole=True)
    # 1210 × 181 / 273 = 802.23: at least 803 whole toilets are on the path, 802 is behind.
    assert assess(toilets, value=D(803), on=REVIEW).expected == D(803)
    assert assess(toilets, value=D(803), on=REVIEW).status == ProgressStatus.ON_TRACK
    assert assess(toilets, value=D(802), on=REVIEW).status == ProgressStatus.LAGGING
    # One day in: 1210 / 273 = 4.43 → 5; before the start the baseline.
    assert assess(toilets, value=None, on=date(2018, 4, 3)).expected == D(5)
    assert assess(toilets, value=None, on=date(2018, 4, 1)).expected == D(0)


def test_a_cumulative_count_from_a_baseline():
    bins = target("at_least", 5825, baseline=100, whole=True)
    # 100 + 5725 × 181 / 273 = 100 + 3795.70 = 3895.70 → 3896; completion (2962 − 100) / 5725 = 49.99 %
    result = assess(bins, value=D(2962), on=REVIEW)
    assert (result.expected, result.status, result.completion) == (D(3896), ProgressStatus.LAGGING, D("49.99"))


def test_a_quantity_is_not_rounded_to_whole_units():
    cables = target("at_least", 120)  # 公里
    assert assess(cables, value=None, on=REVIEW).expected == D("79.56")  # 120 × 181 / 273 = 79.560


def test_reach_by_date_without_a_baseline_has_no_path_until_the_first_report():
    coverage = target("at_least", 30, kind=REACH)  # 生活垃圾分类覆盖率 2018 年底前达到 30% 以上
    result = assess(coverage, value=None, on=REVIEW)
    assert (result.expected, result.status) == (None, ProgressStatus.NOT_STARTED)
    assert assess(coverage, value=None, on=date(2019, 1, 1)).status == ProgressStatus.OVERDUE


def test_reach_by_date_from_the_first_report():
    # First report 12 % on 2018-06-30: 92 days to the review, 184 to the deadline.
    coverage = target("at_least", 30, kind=REACH, baseline=12, baseline_on=date(2018, 6, 30))
    # 12 + 18 × 92 / 184 = 21.00
    assert assess(coverage, value=D(21), on=REVIEW).expected == D(21)
    assert assess(coverage, value=D(21), on=REVIEW).status == ProgressStatus.ON_TRACK
    assert assess(coverage, value=D("20.9"), on=REVIEW).status == ProgressStatus.LAGGING
    assert assess(coverage, value=D(12), on=date(2018, 6, 1)).expected == D(12)  # before the baseline's date
    assert assess(coverage, value=D(21), on=REVIEW).completion == D(50)  # (21 − 12) / 18
    assert assess(coverage, value=D(31), on=REVIEW).status == ProgressStatus.DONE


def test_a_falling_count_reached_by_date_expects_whole_things():
    # Black-odorous water bodies: 17 first reported on 2018-05-31, all gone by 2018-12-31 (214 days);
    # on the review (122 days in): 17 − 17 × 122 / 214 = 7.31 → at most 7 whole water bodies, not "7.31 处".
    water = target("eliminate", 0, kind=REACH, baseline=17, baseline_on=date(2018, 5, 31), whole=True)
    assert assess(water, value=D(7), on=REVIEW).expected == D(7)
    assert assess(water, value=D(7), on=REVIEW).status == ProgressStatus.ON_TRACK
    assert assess(water, value=D(8), on=REVIEW).status == ProgressStatus.LAGGING
    assert assess(water, value=D(0), on=REVIEW).status == ProgressStatus.DONE
    assert Target(direction="eliminate", target=D(0), start=START, deadline=DEADLINE).lower_is_better
    assert not INTACT.lower_is_better


def test_a_baseline_that_already_meets_the_target_needs_no_path():
    occupancy = target("at_least", 60, kind=REACH, baseline=64)
    result = assess(occupancy, value=D(64), on=REVIEW)
    assert (result.expected, result.status, result.completion) == (D(60), ProgressStatus.DONE, D(100))


@pytest.mark.parametrize(("met", "counted", "share"), [
    (17, 20, D("85.00")), (2, 3, D("66.67")), (3, 3, D(100)), (0, 4, D(0)), (0, 0, None),
])
def test_share_percent(met, counted, share):
    assert share_percent(met=met, counted=counted) == share
