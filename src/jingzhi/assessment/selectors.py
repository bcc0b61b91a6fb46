"""Reads of the assessment: rankings, a unit's scores over time, what a user may see, and the
drill-down from a stored score to the rows it counted. The dashboards call these."""
from __future__ import annotations

from django.db.models import Q, QuerySet

from jingzhi.org.models import Unit, UnitKind, User
from jingzhi.org.selectors import user_reads_everything, user_unit_ids

from .counting import counted_rows, period_bounds
from .models import Assessment, PeriodKind, Result, Status


def assessments_visible(*, user: User) -> QuerySet[Assessment]:
    """The office, leaders and admins see every assessment, drafts included; everyone else
    (units, post holders) only published ones."""
    assessments = Assessment.objects.all()
    if not user_reads_everything(user=user):
        assessments = assessments.filter(status=Status.PUBLISHED)
    return assessments


def results_visible_anywhere(*, user: User) -> QuerySet[Result]:
    """Every result for those who read everything; otherwise, in published assessments, the
    user's own unit (and the units below it) and the user's own post (a unit sees its own drill-down)."""
    results = Result.objects.select_related("assessment")
    if user_reads_everything(user=user):
        return results
    return results.filter(assessment__status=Status.PUBLISHED).filter(
        Q(unit_id__in=user_unit_ids(user=user)) | Q(user=user))


def results_visible(*, user: User, assessment: Assessment) -> QuerySet[Result]:
    return results_visible_anywhere(user=user).filter(assessment=assessment)


def ranking_current(*, user: User, kinds: tuple[str, ...]) -> tuple[Assessment | None, dict[str, list[Result]]]:
    """The month snapshot every ranking table outside the assessment pages reads (the dashboards):
    the latest published 月考核, or for those who see drafts (``assessments_visible``) the latest
    computed one. Returns it and its ranking of each of ``kinds`` (the one ranking rule, stored)."""
    assessment = (assessments_visible(user=user).filter(period_kind=PeriodKind.MONTH)
                  .order_by("-start").first())
    if assessment is None:
        return None, {kind: [] for kind in kinds}
    return assessment, {kind: ranking(period=assessment.period, kind=kind) for kind in kinds}


def ranking(*, period: str, kind: str) -> list[Result]:
    """The stored ranking of ``kind`` for ``period`` (``2026-03`` or ``2026-Q1``): ranked
    results in rank order (ties by volume, then name), then the listed-but-unranked ones.
    Empty when the period has not been assessed. Not scoped: callers scope (``results_visible``)."""
    return list(Result.objects.filter(assessment__period=period, kind=kind).select_related("assessment"))


def unit_scores(*, unit: Unit | None = None, user: User | None = None, kind: str | None = None,
                period_kind: str = PeriodKind.MONTH, limit: int = 12) -> list[Result]:
    """A unit's (or a post holder's) results in the latest ``limit`` periods, oldest first (the trend)."""
    results = Result.objects.filter(assessment__period_kind=period_kind).select_related("assessment")
    results = results.filter(unit=unit) if unit is not None else results.filter(user=user)
    if kind:
        results = results.filter(kind=kind)
    return list(reversed(results.order_by("-assessment__start")[:limit]))


def latest_assessment(*, period_kind: str = PeriodKind.MONTH, published_only: bool = False) -> Assessment | None:
    assessments = Assessment.objects.filter(period_kind=period_kind)
    if published_only:
        assessments = assessments.filter(status=Status.PUBLISHED)
    return assessments.order_by("-start").first()


def best_and_worst(*, assessment: Assessment, kind: str, n: int = 3) -> tuple[list[Result], list[Result]]:
    """季点评's best and worst ``n`` ranked units of a kind."""
    ranked = [r for r in Result.objects.filter(assessment=assessment, kind=kind) if r.rank is not None]
    return ranked[:n], list(reversed(ranked[-n:])) if len(ranked) > n else []


def daily_sheet_districts(*, user: User) -> QuerySet[Unit]:
    """The districts whose 日督查 sheet ``user`` reads: every one for those who read everything,
    otherwise the district the user's unit is in (the sheet's recipients, ``supervision``)."""
    districts = Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("code", "name")
    if user_reads_everything(user=user):
        return districts
    above, unit = set(), user.unit
    while unit is not None and unit.pk not in above:
        above.add(unit.pk)
        unit = unit.parent
    return districts.filter(pk__in=above)


def drilldown_row(row) -> dict:
    """A drill-down row as the API and the page show it (an event with its case, or an open case)."""
    case = getattr(row, "case", row)
    event = row if case is not row else None
    return {"case": case.pk, "case_number": case.number, "action": event.action if event else "",
            "at": event.created_at if event else case.stage_deadline,
            "done_in_time": event.done_in_time if event else False, "state": case.state, "outcome": case.outcome}


def drilldown_rows(*, result: Result, counter: str) -> QuerySet:
    """The rows ``counter`` of ``result`` counted (case events, or open cases for the backlog),
    re-run with the assessment's period; for a quarter, over its whole period."""
    assessment = result.assessment
    since, until = period_bounds(assessment.start, assessment.end)
    return counted_rows(result.kind, result.unit_id or result.user_id, counter, since, until,
                        now=assessment.computed_at)

