"""Writes of the assessment: compute a month (月考核) or a quarter (季点评), edit the office's
commentary, publish. A published assessment is frozen (``AssessmentFrozen``); an unpublished one
may be recomputed as often as wanted (the 立案 cohort's outcomes keep arriving after the month)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from jingzhi.org.models import RoleGrant, Unit, UnitKind, User

from .counting import KINDS, POST_KINDS, REGION_KINDS
from .errors import AssessmentFrozen
from .models import Assessment, PeriodKind, Result, Status
from .periods import Period, period_parse
from .rollup import rollup_period_counters
from .scheme import scheme_in_force, scheme_load
from .scoring import Candidate, rank, unit_score
from .sources import source_scores_merge

#: Counters that are a level at the end of a period, not a flow: a quarter takes its last
#: month's value instead of the sum.
LEVEL_COUNTERS = ("overdue", "grids")
_REGION_UNIT_KIND = {"district": UnitKind.DISTRICT, "subdistrict": UnitKind.SUBDISTRICT}


def _names(kind: str, ids: set[int]) -> dict[int, str]:
    """Every unit (or post holder) of ``kind`` to list: those counted and, for districts,
    sub-districts and posts, also those with nothing in the period (listed, not ranked)."""
    if kind in POST_KINDS:
        ids = ids | set(RoleGrant.objects.filter(role=kind).values_list("user_id", flat=True))
        return {user.pk: user.display_name or user.username for user in User.objects.filter(pk__in=ids)}
    units = Unit.objects.filter(pk__in=ids)
    if kind in REGION_KINDS:
        units = units | Unit.objects.filter(kind=_REGION_UNIT_KIND[kind])
    return dict(units.values_list("pk", "name"))


def _results(assessment: Assessment, kind: str, counters: dict[int, dict], previous: dict[str, float]) -> list:
    scheme = scheme_load(assessment.scheme_version)
    counters = source_scores_merge(scheme=scheme, kind=kind, counters=counters, start=assessment.start,
                                   end=assessment.end)
    names = _names(kind, set(counters))
    volume_counter = scheme.kinds[kind].volume
    results = []
    for pk, name in names.items():
        values = counters.get(pk, {})
        score = unit_score(scheme, kind, values)
        owner = {"user_id": pk} if kind in POST_KINDS else {"unit_id": pk}
        result = Result(
            assessment=assessment, kind=kind, name=name, counters=values, composite=score.composite,
            grade=score.grade, volume=values.get(volume_counter, 0), rates=score.rates,
            terms={t.code: {"value": t.value, "score": t.score, "weight": t.weight,
                            "effective_weight": t.effective_weight} for t in score.terms},
            **owner,
        )
        result.previous_composite = previous.get(result.key)
        results.append(result)
    placed = {p.key: p for p in rank(scheme, (Candidate(key=r.key, name=r.name, volume=r.volume,
                                                        composite=r.composite) for r in results))}
    for result in results:
        result.rank, result.unranked_reason = placed[result.key].rank, placed[result.key].reason
    return results


def _assessment_open(period: Period, *, now: dt.datetime) -> Assessment:
    """The period's assessment, locked, emptied for recomputation; refused when published."""
    version = scheme_in_force(period.start).version
    assessment = Assessment.objects.select_for_update().filter(period=period.code).first()
    if assessment is None:
        return Assessment.objects.create(period=period.code, period_kind=period.kind, start=period.start,
                                         end=period.end, scheme_version=version, computed_at=now)
    if assessment.published:
        raise AssessmentFrozen()
    assessment.results.all().delete()
    assessment.scheme_version, assessment.computed_at = version, now
    assessment.save()
    return assessment


def _previous_composites(period: Period) -> dict[str, float]:
    previous = Assessment.objects.filter(period=period.previous().code).first()
    if previous is None:
        return {}
    return {result.key: result.composite for result in previous.results.all() if result.composite is not None}


def assessment_month_compute(*, period: str, now: dt.datetime | None = None) -> Assessment:
    """月考核: count, score and rank every unit and post of the month (draft until published); the
    counters are the month's sums of the daily rollup (``rollup.py``)."""
    month = period_parse(period)
    if month.kind != PeriodKind.MONTH:
        return assessment_quarter_compute(period=period, now=now)
    now = now or timezone.now()
    with transaction.atomic():
        assessment = _assessment_open(month, now=now)
        previous = _previous_composites(month)
        counters = rollup_period_counters(month.start, month.end, now=now)
        results = []
        for kind in KINDS:
            results += _results(assessment, kind, counters[kind], previous)
        Result.objects.bulk_create(results, batch_size=1000)
    return assessment


def _quarter_counters(months: list[Assessment]) -> dict[str, dict[int, dict]]:
    """The quarter's counters from its months' results (the monthly rollups): flows add up,
    levels (backlog, grids) are the last month's."""
    counters: dict[str, dict[int, dict]] = defaultdict(lambda: defaultdict(dict))
    for month in sorted(months, key=lambda m: m.start):
        for result in month.results.all():
            target = counters[result.kind][result.unit_id or result.user_id]
            for name, value in result.counters.items():
                target[name] = value if name in LEVEL_COUNTERS else target.get(name, 0) + value
    return counters


def assessment_quarter_compute(*, period: str, now: dt.datetime | None = None) -> Assessment:
    """季点评: the quarter from its three months (each computed first if it is not yet), ranked,
    with each unit's change against the previous quarter."""
    quarter = period_parse(period)
    now = now or timezone.now()
    months = []
    for month in quarter.months():
        stored = Assessment.objects.filter(period=month.code).first()
        months.append(stored if stored else assessment_month_compute(period=month.code, now=now))
    counters = _quarter_counters(months)
    with transaction.atomic():
        assessment = _assessment_open(quarter, now=now)
        previous = _previous_composites(quarter)
        results = []
        for kind in KINDS:
            results += _results(assessment, kind, counters.get(kind, {}), previous)
        Result.objects.bulk_create(results, batch_size=1000)
    return assessment


def assessment_comment(*, assessment: Assessment, commentary: str = "", praise: str = "", criticism: str = "",
                       issuing_office: str = "") -> Assessment:
    """The office's commentary, praise and criticism (the bulletin's text); refused once published."""
    assessment.commentary, assessment.praise, assessment.criticism = commentary, praise, criticism
    assessment.issuing_office = issuing_office
    assessment.save()
    return assessment


def assessment_publish(*, assessment: Assessment, user: User, now: dt.datetime | None = None) -> Assessment:
    """Freeze the assessment: from now on no page, API or job changes it."""
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if assessment.published:
            raise AssessmentFrozen()
        assessment.status, assessment.published_by = Status.PUBLISHED, user
        assessment.published_at = now or timezone.now()
        assessment.save(publishing=True)
    return assessment
