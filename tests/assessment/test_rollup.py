"""The daily rollup (``rollup.py``) follows the case loop: after a run of transitions through the
services — every family's actions, a 退回 and re-dispatch, a late 处置 with 核查不通过 and 返工, a
merge, a void, a refusal, a 自处理, 回访 and 重办, an escalation, outcomes arriving the month after
立案 and events dated back into an earlier month — the months summed from the rollup equal the
direct count from the events (``counting.period_counters``) for every kind of unit and post; a rebuild
writes the same rows; a published month keeps its numbers while the rollup moves on; and the
drill-down's pages, found through the rollup, are the counted rows; and the dashboards' 处置反馈
cases add up by month and by week."""
import datetime as dt

import pytest

from jingzhi.assessment.counting import counted_rows, period_bounds, period_counters
from jingzhi.assessment.models import DailyCount, DailyPostCount, Result
from jingzhi.assessment.rollup import COLUMNS, rollup_case_tally, rollup_period_counters, rollup_rebuild
from jingzhi.assessment.selectors import drilldown_rows
from jingzhi.assessment.services import assessment_month_compute, assessment_publish
from jingzhi.cases.acting import case_act
from jingzhi.cases.escalation import cases_escalate_overdue
from jingzhi.cases.reporting import case_report
from jingzhi.cases.selectors import handle_events
from jingzhi.cases.workflow import CaseAction as A
from jingzhi.cases.workflow import State
from tests.cases.conftest import at, jpeg_with_gps

MARCH, APRIL = (dt.date(2026, 3, 1), dt.date(2026, 4, 1)), (dt.date(2026, 4, 1), dt.date(2026, 5, 1))
NOW = at("2026-04-30 12:00")


def _direct(month):
    return period_counters(*period_bounds(*month), now=NOW)


def _rolled(month):
    return rollup_period_counters(*month, now=NOW)


def _rows():
    return {model.__name__: {tuple(row[k] for k in model.KEY): tuple(row[c] for c in COLUMNS)
                             for row in model.objects.values() if any(row[c] for c in COLUMNS)}
            for model in (DailyCount, DailyPostCount)}


@pytest.fixture
def history(staff, make_case, geography, category):
    """March's cases and what happens to them, partly in April, partly recorded late."""
    def act(case, action, actor, when, **params):
        return case_act(case=case, action=action, actor=actor, now=at(when), comment="测试", **params)

    handler_b = staff.handler_b
    # Closed the same day (citizen's report: public), rated in April, then 不满意 → 重办, still open.
    rated = make_case(State.CLOSED, now=at("2026-03-02 09:00"))
    # Handled late (2 working days), 核查不通过 → 返工, handled again and closed in April.
    late = make_case(State.HANDLING, where="b", now=at("2026-03-03 09:00"))
    act(late, A.HANDLE, handler_b, "2026-03-20 10:00", photos=[("after", jpeg_with_gps())])
    act(late, A.VERIFY_ASSIGN, staff.intake, "2026-03-20 11:00", inspector=staff.inspector)
    act(late, A.VERIFY_FAIL, staff.inspector, "2026-03-20 11:30")
    act(late, A.REWORK, staff.dispatcher, "2026-03-23 09:00")
    act(late, A.HANDLE, handler_b, "2026-04-02 10:00", photos=[("after", jpeg_with_gps())])
    act(late, A.VERIFY_ASSIGN, staff.intake, "2026-04-02 11:00", inspector=staff.inspector)
    act(late, A.VERIFY_PASS, staff.inspector, "2026-04-02 11:30")
    act(late, A.CLOSE, staff.chief, "2026-04-03 09:00")
    # Dispatched, 退回 as wrongly sent, re-dispatched the next day.
    returned = make_case(State.DISPATCHED, now=at("2026-03-05 09:00"))
    act(returned, A.RETURN, staff.handler_a, "2026-03-05 10:00")
    act(returned, A.DISPATCH, staff.dispatcher, "2026-03-06 09:00", department=geography.district_a)
    # A public report checked on site first (核实), then refused; another merged into ``returned``.
    refused = make_case(now=at("2026-03-07 09:00"))
    act(refused, A.CONFIRM_ASSIGN, staff.intake, "2026-03-07 09:10", inspector=staff.inspector)
    act(refused, A.CONFIRM, staff.inspector, "2026-03-07 09:40", problem_exists=True)
    act(refused, A.REJECT, staff.intake, "2026-03-07 10:00", reason="invalid")
    duplicate = make_case(now=at("2026-03-08 09:00"))
    act(duplicate, A.MERGE, staff.intake, "2026-03-08 09:30", duplicate_of=returned)
    # Voided after 立案; an inspector's 自处理 approved by the chief.
    voided = make_case(State.FILED, reporter=staff.inspector, now=at("2026-03-09 09:00"))
    act(voided, A.VOID, staff.chief, "2026-03-09 10:00")
    own = case_report(reporter=staff.inspector, source="inspector", category=category, description="自处理",
                      lon=geography.inside_b[0], lat=geography.inside_b[1], self_handled=True,
                      before_photos=[jpeg_with_gps()], after_photos=[jpeg_with_gps()], now=at("2026-03-10 09:00"))
    act(own, A.SELF_APPROVE, staff.chief, "2026-03-10 10:00")
    # April: the rating and the reopening of March's case, an escalation of what is overdue.
    act(rated, A.EVALUATE, staff.citizen, "2026-04-05 09:00", satisfaction="dissatisfied")
    act(rated, A.REOPEN, staff.chief, "2026-04-06 09:00")
    cases_escalate_overdue(now=at("2026-04-20 09:00"))
    # Recorded late, dated back into March: ``returned`` signed for and handled on March 25.
    act(returned, A.RECEIVE, staff.handler_a, "2026-03-25 09:00")
    act(returned, A.HANDLE, staff.handler_a, "2026-03-25 15:00", photos=[("after", jpeg_with_gps())])
    return {"rated": rated, "late": late, "returned": returned}


def test_rollup_equals_the_direct_count_after_transitions_and_a_rebuild(history, geography):
    for month in (MARCH, APRIL):
        assert _rolled(month) == _direct(month)
    march = _rolled(MARCH)
    a, b = march["district"][geography.district_a.pk], march["district"][geography.district_b.pk]
    # Worked by hand: district A filed rated, returned, voided (3; voided later), closed none of them
    # now (rated was reopened: a rework, its rating cleared); its reports: rated, returned, refused,
    # duplicate, voided (5), 3 valid.
    assert (a["filed"], a["filed_voided"], a["closed"], a["reworked"], a["rated"]) == (3, 1, 0, 1, 0)
    assert (a["reports"], a["valid_reports"], a["dispatched"], a["returned"], a["handled"]) == (5, 3, 3, 1, 2)
    # District B: late (closed in April, after a late 处置 and a 返工) and the approved 自处理.
    assert (b["filed"], b["closed"], b["closed_on_time"], b["reworked"], b["closings"]) == (1, 1, 0, 1, 1)
    assert (b["handled"], b["handled_on_time"], b["verified"]) == (1, 0, 1)
    chief = march["shift_chief"]
    assert sum(row.get("filed", 0) for row in chief.values()) == 4

    incremental = _rows()
    rollup_rebuild(start=MARCH[0], end=APRIL[1])
    assert _rows() == incremental
    for month in (MARCH, APRIL):
        assert _rolled(month) == _direct(month)


def _cases_handled(start, end):
    """The dashboards' definition straight from the events: per (district, department) of the case,
    the cases with a timed 处置反馈 in [start, end) and those with a late one among them."""
    since, until = period_bounds(start, end)
    per_case = {}
    for event in handle_events().filter(created_at__gte=since, created_at__lt=until).select_related("case"):
        key = (event.case.district_id, event.case.department_id, event.case_id)
        per_case[key] = per_case.get(key, False) or not event.done_in_time
    tally = {}
    for (district, department, _case), late in per_case.items():
        row = tally.setdefault((district, department), [0, 0])
        row[0], row[1] = row[0] + 1, row[1] + late
    return tally


def test_the_dashboards_handled_cases_add_up_by_month_and_week(history):
    weeks = [(dt.date(2026, 3, 16), dt.date(2026, 3, 23)), (dt.date(2026, 3, 23), dt.date(2026, 3, 30)),
             (dt.date(2026, 3, 30), dt.date(2026, 4, 6))]
    for (start, end), span in [(MARCH, "month"), (APRIL, "month"), *((week, "week") for week in weeks),
                               ((dt.date(2026, 3, 1), dt.date(2026, 3, 21)), "month")]:
        rolled = {pair: [row["handled"], row["late"]] for pair, row in
                  rollup_case_tally(start=start, end=end, span=span).items() if row["handled"]}
        assert rolled == _cases_handled(start, end), (start, end)
    # ``late`` was handled late on March 20 and again on April 2: a case in March (late) and in April.
    assert sum(row[0] for row in _cases_handled(*MARCH).values()) == 3


def test_a_published_month_keeps_its_numbers_while_cases_move(history, staff):
    month = assessment_month_compute(period="2026-03", now=NOW)
    assessment_publish(assessment=month, user=staff.chief, now=NOW)
    frozen = {(r.kind, r.name): r.counters for r in Result.objects.filter(assessment=month)}
    case_act(case=history["rated"], action=A.RETURN, actor=staff.handler_a, comment="不归我", now=NOW)
    assert _rolled(MARCH) == _direct(MARCH)  # the rollup moved on …
    assert {(r.kind, r.name): r.counters for r in Result.objects.filter(assessment=month)} == frozen  # … not March


def test_drilldown_pages_are_the_counted_rows_in_order(world):
    """Pages of two rows, whatever days they span, are exactly the counted rows of every counter of
    every score of the hand-worked month, in order, and the total is the counter."""
    march = assessment_month_compute(period="2026-03")
    since, until = period_bounds(*MARCH)
    checked = 0
    for result in Result.objects.filter(assessment=march):
        for counter, value in result.counters.items():
            if counter in ("overdue", "grids"):
                continue
            rows = drilldown_rows(result=result, counter=counter)
            expected = [row.pk for row in counted_rows(result.kind, result.unit_id or result.user_id, counter,
                                                       since, until)]
            assert rows.count() == len(expected) == value, (result.name, counter)
            assert [row.pk for offset in range(0, value + 2, 2) for row in rows[offset:offset + 2]] == expected
            checked += bool(value)
    assert checked > 50
