"""What other apps read: inspections of a template in a window, 以克论净 per road and lane class
(the latest inspection wins), and the mean score per district as the assessment's term source."""
import datetime as dt
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from jingzhi.assessment import services as assessment_services
from jingzhi.assessment.models import Result
from jingzhi.assessment.sources import score_source_get
from jingzhi.inspections.selectors import (
    district_inspection_scores,
    dust_compliance_by_lane,
    inspections_between,
)
from jingzhi.inspections.services import inspection_submit

from .conftest import TOILET_FAILING_FLOOR, at

pytestmark = pytest.mark.django_db


def _points(*grams):
    return [{"net_g": g} for g in grams]


def test_dust_compliance_per_road_and_lane_from_the_latest_inspection(people, road, categories, geography):
    submit = {"inspector": people["inspector"], "template_code": "dust_sampling", "asset": road}
    inspection_submit(**submit, values={"fast_lane": _points(9, 9, 9)}, now=at("2024-06-03 09:00"))
    latest = inspection_submit(**submit, values={"fast_lane": _points(4, 5, 6), "sidewalk": _points(15.5, 15.5)},
                               now=at("2024-06-05 09:00"))
    (row,) = dust_compliance_by_lane(start=dt.date(2024, 6, 1), end=dt.date(2024, 6, 30))
    assert row.inspection_id == latest.pk and row.road_class == "主干路" and row.district_id == geography.district_a.pk
    assert row.lanes["fast_lane"].figure == Decimal(5) and row.lanes["fast_lane"].passed is True
    assert row.lanes["sidewalk"].figure == Decimal("15.5") and row.lanes["sidewalk"].passed is False
    assert "slow_lane" not in row.lanes and row.passed is False
    assert dust_compliance_by_lane(start=dt.date(2024, 6, 4), end=dt.date(2024, 6, 4)) == []
    assert dust_compliance_by_lane(start=dt.date(2024, 6, 1), end=dt.date(2024, 6, 30),
                                   district=geography.district_b) == []


def test_the_district_score_is_the_mean_of_its_inspections_over_the_period(people, road, toilet, categories,
                                                                            geography):
    # 2024-06-03: dust 100 (all lanes within); 06-20: toilet 77.8; 07-01: outside June.
    inspection_submit(inspector=people["inspector"], template_code="dust_sampling", asset=road,
                      values={"fast_lane": _points(1, 2, 3)}, now=at("2024-06-03 09:00"))
    inspection_submit(inspector=people["inspector"], template_code="toilet_check", asset=toilet,
                      values=TOILET_FAILING_FLOOR, now=at("2024-06-20 09:00"))
    inspection_submit(inspector=people["inspector"], template_code="toilet_check", asset=toilet,
                      values=TOILET_FAILING_FLOOR, now=at("2024-07-01 09:00"))
    june = district_inspection_scores(start=dt.date(2024, 6, 1), end=dt.date(2024, 6, 30))
    assert june == {geography.district_a.pk: pytest.approx((100 + 77.8) / 2)}
    assert district_inspection_scores(start=dt.date(2024, 6, 1), end=dt.date(2024, 6, 30),
                                      template="toilet_check") == {geography.district_a.pk: pytest.approx(77.8)}
    assert [i.template_code for i in inspections_between(template="toilet_check", start=dt.date(2024, 6, 1),
                                                          end=dt.date(2024, 7, 1))] == ["toilet_check"] * 2
    # The assessment's source takes a Period's [start, end): June is 06-01 to 07-01 exclusive.
    source = score_source_get("inspections.district_score")
    assert source.scores(kind="district", start=dt.date(2024, 6, 1), end=dt.date(2024, 7, 1)) == june
    assert source.scores(kind="department", start=dt.date(2024, 6, 1), end=dt.date(2024, 7, 1)) == {}


def test_from_version_2026_2_a_district_scores_its_inspections(people, toilet, categories, geography, client):
    """月考核 of December 2026 is assessed with version 2026.2 (in force from 2026-12-01), whose district
    terms weight 检查考核得分 10 %; November keeps 2026.1, which does not. District A has no case, so
    of its terms only 立案数分值 (0 per grid → 100, weight 20) and the inspection (77.8, weight 10)
    have a value: (20 × 100 + 10 × 77.8) / 30 = 92.6."""
    for day in ("2026-11-20 09:00", "2026-12-02 09:00"):
        inspection_submit(inspector=people["inspector"], template_code="toilet_check", asset=toilet,
                          values=TOILET_FAILING_FLOOR, now=at(day))
    december = assessment_services.assessment_month_compute(period="2026-12", now=at("2026-12-04 09:00"))
    assert december.scheme_version == "2026.2"
    result = Result.objects.get(assessment=december, kind="district", unit=geography.district_a)
    assert result.terms["inspection_score"]["score"] == pytest.approx(77.8)
    assert result.terms["inspection_score"]["weight"] == 10
    assert float(result.composite) == pytest.approx((20 * 100 + 10 * 77.8) / 30, abs=0.01)
    other = Result.objects.get(assessment=december, kind="district", unit=geography.district_b)
    assert other.terms["inspection_score"]["score"] is None  # no inspection there: the term is dropped

    # The term explains itself: the result page links to the inspections it is the mean of.
    client.force_login(people["office"])
    page = BeautifulSoup(client.get(reverse("assessment:result", args=[result.pk])).content, "html.parser")
    link = page.select_one("tr[data-term='inspection_score'] a")["href"]
    listed = BeautifulSoup(client.get(link).content, "html.parser")
    assert len(listed.select("tr[data-inspection]")) == 1  # December's; November's is outside the month
    assert listed.select_one("[data-figure='mean']").text == "77.80"
    elsewhere = client.get(link.replace(f"district={geography.district_a.pk}", f"district={geography.district_b.pk}"))
    assert b"data-inspection=" not in elsewhere.content
    client.force_login(people["handler_b"])  # district B's staff do not see district A's inspections
    assert b"data-inspection=" not in client.get(link).content
    assert "请选择方案指标或区" in client.get(reverse("inspections:records"), {"start": "2026-12-01",
                                                                      "end": "2026-12-31"}).content.decode()

    november = assessment_services.assessment_month_compute(period="2026-11", now=at("2026-12-04 09:00"))
    assert november.scheme_version == "2026.1"
    result = Result.objects.get(assessment=november, kind="district", unit=geography.district_a)
    assert "inspection_score" not in result.terms and float(result.composite) == 100  # 立案数分值 alone
