"""月考核 snapshots: recomputable while a draft, frozen once published (services, model guards,
the management command); a quarter adds its months up and compares with the previous quarter."""
import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from jingzhi.assessment.errors import AssessmentFrozen, PeriodInvalid
from jingzhi.assessment.models import Assessment, Result
from jingzhi.assessment.rollup import rollup_rebuild
from jingzhi.assessment.services import assessment_comment, assessment_month_compute, assessment_publish
from jingzhi.cases.models import Case


def test_draft_recomputes_published_is_frozen(world):
    march = assessment_month_compute(period="2026-03")
    assert march.scheme_version == "2026.1" and march.status == "draft"
    jia = world.districts["甲区"]
    assert Result.objects.get(assessment=march, unit=jia, kind="district").counters["closed"] == 6
    # A case of 甲区 is reopened: the draft follows.
    reopened = Case.objects.filter(district=jia, state="closed").order_by("pk").first()
    Case.objects.filter(pk=reopened.pk).update(state="handling")
    rollup_rebuild(start=dt.date(2026, 3, 1), end=dt.date(2026, 4, 1))  # a write outside the services
    call_command("assess_month", "2026-03")
    assert Result.objects.get(assessment=march, unit=jia, kind="district").counters["closed"] == 5

    assessment_publish(assessment=march, user=world.users["C1"])
    frozen = {r.pk: (r.composite, r.rank, r.counters) for r in march.results.all()}
    with pytest.raises(CommandError):
        call_command("assess_month", "2026-03")
    with pytest.raises(AssessmentFrozen):
        assessment_month_compute(period="2026-03")
    with pytest.raises(AssessmentFrozen):
        assessment_publish(assessment=march, user=world.users["C1"])
    with pytest.raises(AssessmentFrozen):
        assessment_comment(assessment=Assessment.objects.get(pk=march.pk), commentary="改")
    result = march.results.first()
    result.composite = 1
    with pytest.raises(AssessmentFrozen):
        result.save()
    with pytest.raises(AssessmentFrozen):
        march.results.update(composite=1)
    with pytest.raises(AssessmentFrozen):
        march.results.all().delete()
    with pytest.raises(AssessmentFrozen):
        Assessment.objects.get(pk=march.pk).delete()
    assert {r.pk: (r.composite, r.rank, r.counters) for r in march.results.all()} == frozen


def test_bad_periods_are_refused(db):
    for bad in ("2026-13", "2026-3", "26-03", "2026-Q5", "", "1999-01"):
        with pytest.raises(PeriodInvalid):
            assessment_month_compute(period=bad)


def test_quarter_adds_up_its_months_and_compares(world):
    quarter = assessment_month_compute(period="2026-Q1")
    assert quarter.period_kind == "quarter"
    assert set(Assessment.objects.values_list("period", flat=True)) == {"2026-01", "2026-02", "2026-03", "2026-Q1"}
    march = Assessment.objects.get(period="2026-03")
    for result in march.results.all():
        in_quarter = quarter.results.get(kind=result.kind, unit=result.unit, user=result.user)
        assert in_quarter.counters == result.counters  # January and February were empty
        assert in_quarter.composite == result.composite and in_quarter.rank == result.rank
    q2 = assessment_month_compute(period="2026-Q2")
    jia = q2.results.get(kind="district", unit=world.districts["甲区"])
    assert jia.previous_composite == pytest.approx(quarter.results.get(kind="district", unit=jia.unit).composite)
