"""Every number of a 月考核 over the fixed March of conftest.py, worked by hand here: the
counters, each rate, each composite (with the weights of data/assessment/2026.1.yaml), the
grade and the ranking (a tie, a unit under the minimum volume, a post holder with nothing to
score). Then the drill-down: every counter's list of rows has exactly that many rows."""
import pytest

from jingzhi.assessment.counting import counted_rows, period_bounds
from jingzhi.assessment.models import Result
from jingzhi.assessment.services import assessment_month_compute

approx = pytest.approx


@pytest.fixture
def march(world):
    assessment = assessment_month_compute(period="2026-03")
    return {(r.kind, r.name): r for r in Result.objects.filter(assessment=assessment)}


def test_districts(march):
    jia, yi, bing, ding = (march["district", name] for name in ("甲区", "乙区", "丙区", "丁区"))
    assert jia.counters == {"reports": 8, "valid_reports": 6, "public_reports": 1, "filed": 6, "filed_on_time": 6,
                            "filed_voided": 0, "closed": 6, "fixed": 6, "closed_on_time": 6, "reworked": 0,
                            "rated": 1, "satisfied": 1, **_zero_steps(handled=6, handled_on_time=6),
                            "dispatched": 7, "dispatched_on_time": 7, "returned": 1, "closings": 6,
                            "closings_on_time": 6}
    assert jia.rates["public_report_rate"] == approx(1 / 6)
    assert jia.rates["valid_report_rate"] == approx(6 / 8)
    assert jia.rates["filing_rate"] == approx(6 / 6)
    assert jia.rates["closing_rate"] == jia.rates["solving_rate"] == jia.rates["satisfaction_rate"] == 1
    # No grids known: 立案数分值（每网格）(20 %) is dropped, the other 80 % rescaled.
    assert jia.terms["region_filed_score"]["score"] is None
    assert jia.composite == approx((10 * (1 - 1 / 6) * 100 + 30 * 100 + 10 * 100 + 20 * 100 + 10 * 100) / 80)
    assert jia.composite == approx(97.9167, abs=1e-4) and jia.grade == "A"

    # 乙区: all closed but three not fixed: 结案率 100 %, 解决率 50 %; one case ran late.
    assert (yi.counters["closed"], yi.counters["fixed"], yi.counters["closed_on_time"]) == (6, 3, 5)
    assert yi.counters["overdue"] == 1
    assert yi.rates["closing_rate"] == 1 and yi.rates["solving_rate"] == approx(0.5)
    assert yi.rates["satisfaction_rate"] is None  # nobody rated: 满意率 (10 %) dropped too
    expected = (10 * 100 + 30 * 100 + 10 * (5 / 6) * 100 + 20 * 50) / 70
    assert yi.composite == approx(expected) and bing.composite == approx(expected)
    assert expected == approx(83.3333, abs=1e-4) and yi.grade == bing.grade == "B"

    # 丁区: three filed (two late, one voided), two closed and fixed.
    assert ding.counters["filed"] == 3 and ding.counters["filed_on_time"] == 1
    assert ding.counters["filed_voided"] == 1 and ding.counters["closed_on_time"] == 0
    assert ding.composite == approx((10 * 100 + 30 * (2 / 3) * 100 + 10 * 0 + 20 * (2 / 3) * 100) / 70)
    assert ding.grade == "C"

    # Ranking: 甲 first; 乙 and 丙 tie (both 2nd, 丙 listed first by name at equal volume);
    # 丁 (3 cases < 5) is listed but not ranked although it scores… and the order follows.
    ranking = [(r.name, r.rank, r.unranked_reason) for r in Result.objects.filter(
        assessment=jia.assessment, kind="district")]
    assert ranking == [("甲区", 1, ""), ("丙区", 2, ""), ("乙区", 2, ""), ("丁区", None, "volume")]


def _zero_steps(**given):
    names = ("handled", "handled_on_time", "confirmed", "confirmed_on_time", "public_confirmed", "confirm_assigned",
             "confirm_assigned_on_time", "verify_assigned", "verify_assigned_on_time", "verified",
             "verified_on_time", "intake_decisions")
    counters = dict.fromkeys(names, 0) | given
    # 甲区's steps: the public case's 核实 by I1 (dispatched by O1), three 核查 on time, 21 … worked out:
    counters.update(confirmed=1, confirmed_on_time=1, public_confirmed=1, confirm_assigned=1,
                    confirm_assigned_on_time=1, verify_assigned=3, verify_assigned_on_time=3, verified=3,
                    verified_on_time=3, intake_decisions=8)
    return counters


def test_departments(march):
    huanwei, shizheng, yuanlin = (march["department", n] for n in ("环卫处", "市政处", "园林处"))
    assert (huanwei.counters["filed"], huanwei.counters["handled_on_time"]) == (8, 8)
    # 立案数分值 8 ≤ 50 → 100; 结案率, 按期处置率, 1 − 返工率 all 100 %.
    assert huanwei.composite == approx(100) and huanwei.grade == "A"
    assert (shizheng.counters["handled"], shizheng.counters["handled_on_time"], shizheng.counters["reworked"]) == (
        6, 5, 1)
    assert shizheng.composite == approx(0.1 * 100 + 0.3 * 100 + 0.3 * (5 / 6) * 100 + 0.3 * (1 - 1 / 6) * 100)
    assert shizheng.composite == approx(90) and yuanlin.composite == approx(90)
    assert [(r.name, r.rank) for r in Result.objects.filter(assessment=huanwei.assessment, kind="department")] == [
        ("环卫处", 1), ("园林处", 2), ("市政处", 2)]


def test_posts(march):
    i1, i2 = march["inspector", "监督员一"], march["inspector", "监督员二"]
    assert (i1.counters["reports"], i1.counters["valid_reports"], i1.counters["public_confirmed"]) == (22, 20, 1)
    assert (i1.counters["verified"], i1.counters["verified_on_time"]) == (4, 3)
    assert i1.composite == approx(0.4 * 2000 / 22 + 0.2 * 100 * (1 - 1 / 23) + 0.2 * 100 + 0.2 * 75)
    assert i1.composite == approx(90.4941, abs=1e-4) and i1.grade == "A" and i1.rank == 1
    # Nothing done in the month: listed without a score, not ranked.
    assert i2.counters == {} and i2.composite is None and i2.rank is None and i2.unranked_reason == "no_score"

    chief = march["shift_chief", "值班长一"]
    assert {k: chief.counters[k] for k in ("filed", "filed_on_time", "filed_voided", "closings",
                                           "closings_on_time")} == {"filed": 21, "filed_on_time": 19,
                                                                    "filed_voided": 1, "closings": 20,
                                                                    "closings_on_time": 16}
    assert chief.composite == approx(0.25 * 1900 / 21 + 0.4 * 2000 / 21 + 0.35 * 80)
    assert chief.grade == "B"

    dispatcher = march["dispatcher", "派遣员一"]
    assert (dispatcher.counters["dispatched"], dispatcher.counters["dispatched_on_time"],
            dispatcher.counters["returned"]) == (21, 21, 1)
    # 派遣数分值: 21 < 101 → 0.
    assert dispatcher.composite == approx(0.2 * 0 + 0.4 * 100 + 0.4 * 100 * 20 / 21) and dispatcher.grade == "B"

    intake = march["intake_operator", "受理员一"]
    assert (intake.counters["intake_decisions"], intake.counters["confirm_assigned_on_time"],
            intake.counters["verify_assigned_on_time"]) == (23, 1, 4)
    assert intake.composite == approx(75) and intake.grade == "B" and intake.rank == 1


def test_drill_down_lists_add_up(march, world):
    since, until = period_bounds(*(lambda a: (a.start, a.end))(next(iter(march.values())).assessment))
    checked = 0
    for (kind, _name), result in march.items():
        owner = result.unit_id or result.user_id
        for counter, value in result.counters.items():
            if counter == "grids":
                continue
            rows = counted_rows(kind, owner, counter, since, until, now=result.assessment.computed_at)
            assert rows.count() == value, (kind, result.name, counter)
            checked += 1
    assert checked > 100
