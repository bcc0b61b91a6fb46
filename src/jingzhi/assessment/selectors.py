"""Reads of the assessment: rankings, a unit's scores over time, what a user may see, and the
drill-down from a stored score to the rows it counted. The dashboards call these."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from jingzhi.org.models import Unit, UnitKind, User
from jingzhi.org.selectors import user_reads_everything, user_unit_ids

from .counting import BACKLOG_COUNTERS, counted_rows, period_bounds
from .models import Assessment, PeriodKind, Result, Status
from .rollup import rollup_days
from .scheme import scheme_load


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


@dataclass(frozen=True)
class CurrentRanking:
    """The month snapshot every ranking table outside the assessment pages shows (the dashboards)."""

    assessment: Assessment | None
    tables: dict[str, list[Result]]  # kind → the stored ranking
    openable: frozenset[int]  # the results whose score (and drill-down) the user may open
    min_volume: int = 0

    def ranked(self, kind: str) -> int:
        return sum(1 for result in self.tables.get(kind, []) if result.rank is not None)

    def result_of(self, unit: Unit) -> Result | None:
        """The unit's row in the table of its kind (``unit_kind``), if it was assessed."""
        return next((r for r in self.tables.get(unit_kind(unit), []) if r.unit_id == unit.pk), None)


def ranking_current(*, user: User, kinds: tuple[str, ...]) -> CurrentRanking:
    """The one rule for "the current ranking": the latest published 月考核, or for those who see
    drafts (``assessments_visible``: the office, leaders, admins) the latest computed one, and its
    stored ranking of each of ``kinds`` (ranked within the kind by ``scoring.rank``)."""
    assessment = assessments_visible(user=user).filter(period_kind=PeriodKind.MONTH).order_by("-start").first()
    if assessment is None:
        return CurrentRanking(None, {kind: [] for kind in kinds}, frozenset())
    return CurrentRanking(
        assessment, {kind: ranking(period=assessment.period, kind=kind) for kind in kinds},
        frozenset(results_visible(user=user, assessment=assessment).values_list("pk", flat=True)),
        scheme_load(assessment.scheme_version).min_volume)


def unit_kind(unit: Unit) -> str:
    """The kind a unit is assessed and ranked as: a district, a sub-district, or a department."""
    return {UnitKind.DISTRICT: "district", UnitKind.SUBDISTRICT: "subdistrict"}.get(unit.kind, "department")


def ranking(*, period: str, kind: str) -> list[Result]:
    """The stored ranking of ``kind`` for ``period`` (``2026-03`` or ``2026-Q1``): ranked
    results in rank order (ties by volume, then name), then the listed-but-unranked ones.
    Empty when the period has not been assessed. Not scoped: callers scope (``results_visible``)."""
    return list(Result.objects.filter(assessment__period=period, kind=kind).select_related("assessment"))


def unit_trend(*, user: User, unit: Unit, limit: int = 12) -> list[Result]:
    """The unit's 月考核 results the user may see (a unit: published ones), the latest ``limit``,
    oldest first: the unit dashboard's trend of its composite and rank."""
    results = results_visible_anywhere(user=user).filter(unit=unit, kind=unit_kind(unit),
                                                         assessment__period_kind=PeriodKind.MONTH)
    return list(reversed(results.order_by("-assessment__start")[:limit]))


def best_and_worst(*, assessment: Assessment, kind: str, n: int = 3) -> tuple[list[Result], list[Result]]:
    """季点评's best ``n`` ranked units of a kind, and its worst ``n`` (worst first) among the others:
    with fewer than 2 × ``n`` ranked, a unit is never both."""
    ranked = [r for r in Result.objects.filter(assessment=assessment, kind=kind) if r.rank is not None]
    return ranked[:n], list(reversed(ranked[n:][-n:]))


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


def drilldown_rows(*, result: Result, counter: str) -> QuerySet | DrilldownRows:
    """The rows ``counter`` of ``result`` counted (case events, or open cases for the backlog),
    re-run with the assessment's period; for a quarter, over its whole period. What a paginator
    reads (``count()`` and slices, oldest first)."""
    assessment = result.assessment
    since, until = period_bounds(assessment.start, assessment.end)
    rows = counted_rows(result.kind, result.unit_id or result.user_id, counter, since, until,
                        now=assessment.computed_at)
    if counter in BACKLOG_COUNTERS:
        return rows
    return DrilldownRows(rows, rollup_days(kind=result.kind, unit_id=result.unit_id or result.user_id,
                                           counter=counter, start=assessment.start, end=assessment.end))


class DrilldownRows:
    """A counter's events as a paginator reads them, guided by the daily rollup.

    Counting a large unit's month of events, or scanning it in time order for a rare counter of a
    small one, took up to seconds (docs/benchmarks.md). The rollup says how many rows the counter
    has on each day (the same definitions, kept as cases move), so the total is their sum and a
    page reads only the days that hold its rows: the first page of a district's 立案 reads its first
    day, a sub-district's 3 退回 read those 3 days. The rows and their order are those of
    ``counting.counted_rows`` (tested: pages add up to the counter)."""

    def __init__(self, rows: QuerySet, days: list[tuple[dt.date, int]]):
        self.rows, self.days = rows, days

    def count(self) -> int:
        return sum(n for _day, n in self.days)

    __len__ = count

    def __getitem__(self, window: slice) -> list:
        if not isinstance(window, slice) or window.step not in (None, 1):
            raise TypeError("DrilldownRows takes slices")
        start, stop, _step = window.indices(self.count())
        seen = skipped = 0
        ranges: list[tuple[dt.datetime, dt.datetime]] = []  # the days holding rows start…stop, merged
        for day, n in self.days:
            if seen >= stop:
                break
            if seen + n > start:
                skipped = seen if not ranges else skipped
                since, until = period_bounds(day, day + dt.timedelta(days=1))
                if ranges and ranges[-1][1] == since:
                    ranges[-1] = (ranges[-1][0], until)
                else:
                    ranges.append((since, until))
            seen += n
        if not ranges:
            return []
        within = Q()
        for since, until in ranges:
            within |= Q(created_at__gte=since, created_at__lt=until)
        return list(self.rows.filter(within)[start - skipped:stop - skipped])
