"""Status computation, with every number worked by hand.

Plan start 2018-04-02, deadline 2018-12-31: 273 days; review 2018-09-30 is day 181
(Apr 28 + May 31 + Jun 30 + Jul 31 + Aug 31 + Sep 30).
"""
from datetime import date
from decimal import Decimal as D

import pytest

from jingzhi.plans.status import Checkpoint, ProgressStatus, Target, assess, checklist_status, combined_status

START, DEADLINE, REVIEW = date(2018, 4, 2), date(2018, 12, 31), date(2018, 9, 30)


def target(direction, value, baseline=None, deadline=DEADLINE, milestones=()):
    return Target(direction=direction, target=D(value), start=START, deadline=deadline,
                  baseline=None if baseline is None else D(baseline), milestones=tuple(milestones))


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
    intact = target("at_least", 97, baseline=90)
    result = assess(intact, value=D(95), on=REVIEW)
    # 90 + 7 × 181 / 273 = 94.641; completion (95 − 90) / 7 = 71.43 %
    assert (result.expected, result.status, result.completion) == (D("94.64"), ProgressStatus.ON_TRACK, D("71.43"))


def test_at_most_falls_from_the_baseline():
    dust = target("at_most", 5, baseline=8)
    # 8 − 3 × 181 / 273 = 6.011
    assert assess(dust, value=D(6), on=REVIEW).expected == D("6.01")
    assert assess(dust, value=D(6), on=REVIEW).status == ProgressStatus.ON_TRACK
    assert assess(dust, value=D("6.5"), on=REVIEW).status == ProgressStatus.LAGGING
    assert assess(dust, value=D(5), on=REVIEW).status == ProgressStatus.DONE
    assert assess(dust, value=D(6), on=REVIEW).completion == D("66.67")  # (8 − 6) / 3


def test_at_most_without_baseline_is_a_cap():
    sidewalk = target("at_most", 15)
    assert assess(sidewalk, value=D(12), on=REVIEW).status == ProgressStatus.DONE
    result = assess(sidewalk, value=D(18), on=REVIEW)
    assert (result.expected, result.status, result.completion) == (D(15), ProgressStatus.LAGGING, D(0))


def test_eliminate():
    water = target("eliminate", 0, baseline=12)
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
