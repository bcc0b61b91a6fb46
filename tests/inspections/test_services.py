"""Submitting inspections: scores, every failed item a case in its category on the asset (once),
repeat failures urgent, the round's progress, and the refusals with nothing written."""
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jingzhi.cases.models import Case, Source, Urgency
from jingzhi.cases.workflow import State
from jingzhi.inspections.errors import InspectionForbidden, RoundConflict, RoundNotVisible
from jingzhi.inspections.lifecycle import RoundState
from jingzhi.inspections.models import Inspection, InspectionResult
from jingzhi.inspections.services import inspection_cases_report, inspection_submit, round_cancel, round_plan

from .conftest import TOILET_FAILING_FLOOR, at

pytestmark = pytest.mark.django_db


def _dust(road_samples):
    return {lane: [{"net_g": g, "frame_m2": a} for g, a in points] for lane, points in road_samples.items()}


#: fast lane mean (4.2 + 5.6 + 4.9) / 3 = 4.9 ≤ 5; slow lane (6.0 + 4.5 / 0.5) / 2 = 7.5 > 5.
DUST = _dust({"fast_lane": [(4.2, 1), (5.6, 1), (4.9, 1)], "slow_lane": [(6.0, 1), (4.5, 0.5)]})


def test_a_failed_toilet_item_becomes_a_case_in_its_category_on_the_toilet(people, toilet, toilet_round, categories):
    inspection = inspection_submit(inspector=people["inspector"], template_code="toilet_check",
                                   values=TOILET_FAILING_FLOOR, asset=toilet, inspection_round=toilet_round)
    # 90 applicable points (the third restroom is not applicable), the floor's 20 lost: 70 / 90.
    assert inspection.score == Decimal("77.8") and inspection.passed is False
    assert inspection.template_version == 1 and inspection.district_id is not None
    failed = inspection.results.get(item_code="floor_clean")
    case = failed.case
    assert case.category == categories["C0301"] and case.asset == toilet and case.source == Source.INSPECTION_FAILURE
    assert case.urgency == Urgency.NORMAL and case.state == State.REPORTED and case.reporter == people["inspector"]
    assert (case.lon, case.lat) == pytest.approx((float(toilet.lon), float(toilet.lat)))
    assert "地面、便器无粪便、尿垢、积水" in case.description and "金水路公厕" in case.description
    assert Case.objects.count() == 1 and InspectionResult.objects.filter(case__isnull=False).count() == 1
    assert inspection.results.get(item_code="third_restroom").passed is None
    toilet_round.refresh_from_db()
    assert toilet_round.state == RoundState.DONE  # its one stop is inspected


def test_a_dust_failure_names_the_figure_and_the_limit(people, road, categories):
    inspection = inspection_submit(inspector=people["inspector"], template_code="dust_sampling", values=DUST,
                                   asset=road)
    assert [r.item_code for r in inspection.results.filter(passed=False)] == ["slow_lane"]
    case = inspection.results.get(item_code="slow_lane").case
    assert case.category == categories["E0104"] and case.asset == road
    assert "测得 7.5g/m²，限值 5g/m²" in case.description
    assert inspection.results.get(item_code="fast_lane").figure == Decimal("4.9")


def test_a_repeat_failure_within_the_window_is_urgent_and_after_it_is_not(people, road, categories):
    first = inspection_submit(inspector=people["inspector"], template_code="dust_sampling", values=DUST, asset=road,
                              now=at("2024-06-03 09:00"))
    again = inspection_submit(inspector=people["inspector"], template_code="dust_sampling", values=DUST, asset=road,
                              now=at("2024-06-10 08:59"))  # 6 days 23 h 59 min later: within 7 days
    later = inspection_submit(inspector=people["inspector"], template_code="dust_sampling", values=DUST, asset=road,
                              now=at("2024-06-17 09:00"))  # 7 days 1 min after the last failure
    urgency = [i.results.get(item_code="slow_lane").case.urgency for i in (first, again, later)]
    assert urgency == [Urgency.NORMAL, Urgency.URGENT, Urgency.NORMAL]


def test_reporting_the_failures_again_reports_nothing_twice(people, road, categories):
    inspection = inspection_submit(inspector=people["inspector"], template_code="dust_sampling", values=DUST,
                                   asset=road)
    assert inspection_cases_report(inspection=inspection) == []
    assert Case.objects.count() == 1


def _snapshot():
    return Inspection.objects.count(), InspectionResult.objects.count(), Case.objects.count()


def test_refusals_write_nothing(people, toilet, road, toilet_round, categories):
    before = _snapshot()
    with pytest.raises(InspectionForbidden):  # a handler is no inspector
        inspection_submit(inspector=people["handler_b"], template_code="toilet_check", values=TOILET_FAILING_FLOOR,
                          asset=toilet)
    with pytest.raises(RoundNotVisible):  # another inspector's round
        inspection_submit(inspector=people["other_inspector"], template_code="toilet_check",
                          values=TOILET_FAILING_FLOOR, asset=toilet, inspection_round=toilet_round)
    with pytest.raises(ValidationError) as error:  # a road is no toilet
        inspection_submit(inspector=people["inspector"], template_code="toilet_check", values=TOILET_FAILING_FLOOR,
                          asset=road)
    assert "asset" in error.value.message_dict
    with pytest.raises(ValidationError) as error:  # a required item left out
        inspection_submit(inspector=people["inspector"], template_code="toilet_check",
                          values={**TOILET_FAILING_FLOOR, "flies": None}, asset=toilet, inspection_round=toilet_round)
    assert "flies" in error.value.message_dict
    with pytest.raises(ValidationError) as error:  # ad hoc without a place
        inspection_submit(inspector=people["inspector"], template_code="double_ten", values={"manager_minutes": 12})
    assert "lon" in error.value.message_dict
    with pytest.raises(InspectionForbidden):  # an inspector does not plan rounds
        round_plan(planner=people["inspector"], name="x", template_code="toilet_check", date=dt.date(2024, 6, 3),
                   inspector=people["inspector"], assets=[toilet])
    with pytest.raises(ValidationError):  # a road on a toilet round
        round_plan(planner=people["office"], name="x", template_code="toilet_check", date=dt.date(2024, 6, 3),
                   inspector=people["inspector"], assets=[road])
    assert _snapshot() == before


def test_a_stop_is_inspected_once_and_a_cancelled_round_takes_none(people, toilet, toilet_round, categories):
    inspection_submit(inspector=people["inspector"], template_code="toilet_check", values=TOILET_FAILING_FLOOR,
                      asset=toilet, inspection_round=toilet_round)
    with pytest.raises(RoundConflict):
        inspection_submit(inspector=people["inspector"], template_code="toilet_check", values=TOILET_FAILING_FLOOR,
                          asset=toilet, inspection_round=toilet_round)
    with pytest.raises(RoundConflict):  # done: nothing left to cancel
        round_cancel(inspection_round=toilet_round, user=people["office"])
    fresh = round_plan(planner=people["office"], name="复查", template_code="toilet_check", date=dt.date(2024, 6, 4),
                       inspector=people["inspector"], assets=[toilet])
    with pytest.raises(InspectionForbidden):
        round_cancel(inspection_round=fresh, user=people["inspector"])
    assert round_cancel(inspection_round=fresh, user=people["office"]).state == RoundState.CANCELLED
    with pytest.raises(RoundConflict):
        inspection_submit(inspector=people["inspector"], template_code="toilet_check", values=TOILET_FAILING_FLOOR,
                          asset=toilet, inspection_round=fresh)
