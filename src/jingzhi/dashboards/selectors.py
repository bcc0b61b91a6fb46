"""Read side of the dashboards: the case and plan figures a leader or a unit sees, aggregated in SQL.

Every figure is counted over ``cases_visible_to(user)`` (the case loop's one scoping rule), so a
unit's dashboard holds only its own cases, and each has a drill-down (``drilldown.py``): the case
search with the filters that select exactly the cases counted.

按期处置率 here is the share of cases whose 处置反馈 in the period all came within the handle
stage's limit (``cases.selectors.handle_events``). The scored indicators and the rankings are the
``assessment`` app's (``assessment.selectors.ranking_current``): nothing here ranks.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Case as Cond
from django.db.models import Count, IntegerField, Max, Q, QuerySet, Value, When

from jingzhi.assessment.rollup import rollup_case_days, rollup_case_tally
from jingzhi.cases.models import Case, CaseEvent
from jingzhi.cases.selectors import (
    COMMAND_CENTRE_ROLES,
    cases_inspector_tasks,
    cases_overdue,
    cases_queue,
    cases_with_related,
    cases_worklist,
    handle_events,
    overdue_condition,
)
from jingzhi.cases.workflow import OPEN_STATES
from jingzhi.citizens.selectors import citizen_reports
from jingzhi.geo.models import Grid
from jingzhi.org.models import Role, Unit, UnitKind
from jingzhi.org.selectors import user_has_role, user_roles, user_unit_ids
from jingzhi.plans.notice_workflow import AWAITING_REPLY
from jingzhi.plans.selectors import (
    lagging_states,
    notice_list_visible,
    plan_current,
    plan_review_date,
    plan_states,
)
from jingzhi.plans.status import ProgressStatus

from .periods import Period, day_of, month_to_date, weeks_to_date

#: How long the city-wide month figures are shared between page views (seconds).
LIVE_CACHE_SECONDS = 60
#: How long a finished week's city-wide figures are kept (they never change; the bound only frees memory).
WEEK_CACHE_SECONDS = 8 * 24 * 3600
#: The grid map shows the densest grids of the month, at most this many (the page stays light at
#: any volume; the district map covers the rest).
GRID_MAP_LIMIT = 500


@dataclass(frozen=True)
class Handled:
    """Cases with a timed 处置反馈 in a period, and how many of them had a late one."""

    total: int = 0
    late: int = 0

    @property
    def in_time(self) -> int:
        return self.total - self.late

    @property
    def rate(self) -> Decimal | None:
        """按期处置率 in percent, one decimal; None without any case."""
        if not self.total:
            return None
        return (Decimal(100) * self.in_time / self.total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CaseFigures:
    today: dt.date
    reports_today: int
    reports_month: int
    open: int
    overdue: int
    handled: Handled

    @property
    def today_period(self) -> Period:
        return day_of(self.today)

    @property
    def month(self) -> Period:
        return month_to_date(self.today)


@dataclass
class UnitRow:
    unit: Unit
    by: str  # the case field that places a case with the unit: "district" or "department"
    reports: int = 0
    open: int = 0
    overdue: int = 0
    handled: Handled = field(default_factory=Handled)

    @property
    def scope(self) -> dict:
        """The case search filter for this unit's cases."""
        return {self.by: self.unit.pk}


def _created_in(cases: QuerySet[Case], period: Period) -> QuerySet[Case]:
    start, end = period.bounds
    return cases.filter(created_at__gte=start, created_at__lt=end)


def _scoped(cases: QuerySet[Case]) -> bool:
    """Whether ``cases`` is a subset (a unit's view), not every case (a leader's): only a subset's
    events need the ``case IN (…)`` condition, which costs a semi-join over every case otherwise."""
    return cases.query.has_filters()


def _handled_events(cases: QuerySet[Case], period: Period) -> QuerySet[CaseEvent]:
    start, end = period.bounds
    events = handle_events().filter(created_at__gte=start, created_at__lt=end)
    return events.filter(case__in=cases) if _scoped(cases) else events


LATE = Max(Cond(When(done_in_time=False, then=1), default=0))


def _per_case(events: QuerySet[CaseEvent], *columns: str) -> tuple[str, list]:
    """SQL of one row per case (and ``columns``) with ``late`` 1 if any of its events was late: the
    distinct-case count of ``Handled`` as one grouping pass, not a sorted ``COUNT(DISTINCT …)``."""
    return events.order_by().values("case_id", *columns).annotate(late=LATE).query.sql_with_params()


def _rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass
class Tally:
    """This month's case figures per (district, department) pair: every table and total of the
    leader dashboard is a sum over these rows, so each is counted once, in four grouped queries."""

    today: dt.date
    reports_today: int
    counted_at: dt.datetime | None = None
    rows: dict = field(default_factory=dict)  # (district_id, department_id) → UnitRow-like counters

    def total(self) -> CaseFigures:
        sums = self._sum(lambda key: None).get(None, {})
        return CaseFigures(today=self.today, reports_today=self.reports_today, reports_month=sums.get("reports", 0),
                           open=sums.get("open", 0), overdue=sums.get("overdue", 0),
                           handled=Handled(sums.get("handled", 0), sums.get("late", 0)))

    def _sum(self, key) -> dict:
        sums: dict = {}
        for pair, counts in self.rows.items():
            target = sums.setdefault(key(pair), {})
            for name, value in counts.items():
                target[name] = target.get(name, 0) + value
        return sums

    def by(self, by: str) -> dict:
        index = 0 if by == "district" else 1
        return self._sum(lambda pair: pair[index])


def _city_cached(name: str, *, cases: QuerySet[Case], today: dt.date, compute):
    """A city-wide figure (``cases`` unscoped: a leader's view) is shared by every leader for
    ``LIVE_CACHE_SECONDS``: at a large city's volume a month is ~100,000 cases, too many to count on
    every page view (docs/benchmarks.md). A unit's view is always counted afresh."""
    if _scoped(cases):
        return compute()
    key = f"dashboards:{name}:{today.isoformat()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, LIVE_CACHE_SECONDS)
    return value


def month_tally(*, cases: QuerySet[Case], today: dt.date, now: dt.datetime) -> Tally:
    return _city_cached("tally", cases=cases, today=today, compute=lambda: _month_tally(cases, today, now))


def _month_tally(cases: QuerySet[Case], today: dt.date, now: dt.datetime) -> Tally:
    month = month_to_date(today)
    tally = Tally(today, _created_in(cases, day_of(today)).count(), counted_at=now)

    def add(pair, **counts):
        row = tally.rows.setdefault(pair, {})
        for name, value in counts.items():
            row[name] = row.get(name, 0) + (value or 0)

    if not _scoped(cases):  # every case: the month's reports and 处置反馈 cases from the assessment's rollup
        for pair, counts in rollup_case_tally(start=month.start, end=today + dt.timedelta(days=1),
                                              span="month").items():
            add(pair, **counts)
    else:
        _month_counted(cases, month, add)
    # Overdue cases are open ones (a finished case has no running clock): the open-state index finds them.
    for row in cases.filter(state__in=OPEN_STATES).values("district_id", "department_id").annotate(
            open=Count("id"), overdue=Count("id", filter=overdue_condition(now=now))).order_by():
        add((row["district_id"], row["department_id"]), open=row["open"], overdue=row["overdue"])
    return tally


def _month_counted(cases: QuerySet[Case], month: Period, add) -> None:
    """A unit's month counted from its cases and events (a subset the rollup does not key)."""
    for row in _created_in(cases, month).values("district_id", "department_id").annotate(n=Count("id")).order_by():
        add((row["district_id"], row["department_id"]), reports=row["n"])
    sql, params = _per_case(_handled_events(cases, month))
    for district, department, handled, late in _rows(
            f"SELECT c.district_id, c.department_id, COUNT(*), SUM(h.late) FROM ({sql}) h "
            f"JOIN {Case._meta.db_table} c ON c.id = h.case_id GROUP BY c.district_id, c.department_id", params):
        add((district, department), handled=handled, late=late)


def case_figures(*, cases: QuerySet[Case], today: dt.date, now: dt.datetime) -> CaseFigures:
    """The headline numbers: reports today and this month, open, overdue, 按期处置率 this month."""
    return month_tally(cases=cases, today=today, now=now).total()


def unit_rows(*, tally: Tally, by: str, units: QuerySet[Unit]) -> list[UnitRow]:
    """The month's figures per unit (``by``: the case's ``district`` or ``department``), in the
    units' order; every district, and the departments with anything this month."""
    sums = tally.by(by)
    rows = []
    for unit in units:
        counts = sums.get(unit.pk, {})
        row = UnitRow(unit, by, reports=counts.get("reports", 0), open=counts.get("open", 0),
                      overdue=counts.get("overdue", 0),
                      handled=Handled(counts.get("handled", 0), counts.get("late", 0)))
        if row.reports or row.open or row.handled.total or by == "district":
            rows.append(row)
    return rows


def district_units() -> QuerySet[Unit]:
    return Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("code", "name")


def department_units() -> QuerySet[Unit]:
    return Unit.objects.exclude(kind=UnitKind.COMMUNITY).order_by("kind", "code", "name")


def _weeks_counted(cases: QuerySet[Case], weeks: list[Period]) -> list[tuple[int, Handled]]:
    """Reports and timed 处置反馈 of each week: for every case, sums of the assessment's rollup;
    for a unit's subset, two grouped passes over the weeks' rows, the week a ``CASE WHEN`` over
    their bounds."""
    if not _scoped(cases):
        days = rollup_case_days(start=weeks[0].start, end=weeks[-1].end + dt.timedelta(days=1), span="week")
        counted = []
        for week in weeks:
            rows = [row for day, row in days.items() if week.contains(day)]
            counted.append((sum(r["reports"] for r in rows),
                            Handled(sum(r["handled"] for r in rows), sum(r["late"] for r in rows))))
        return counted
    span = Period(weeks[0].start, weeks[-1].end)
    week_of = Cond(*[When(created_at__gte=week.bounds[0], created_at__lt=week.bounds[1], then=Value(n))
                     for n, week in enumerate(weeks)], output_field=IntegerField())
    reports = dict(_created_in(cases, span).annotate(week=week_of).values("week").annotate(n=Count("id"))
                   .order_by().values_list("week", "n"))
    sql, params = _per_case(_handled_events(cases, span).annotate(week=week_of), "week")
    handled = {week: Handled(total, late) for week, total, late in _rows(
        f"SELECT h.week, COUNT(*), SUM(h.late) FROM ({sql}) h GROUP BY h.week", params)}
    return [(reports.get(n, 0), handled.get(n, Handled())) for n in range(len(weeks))]


def weekly_trend(*, cases: QuerySet[Case], today: dt.date) -> list[dict]:
    """Reports and timed 处置反馈 (late among them) per week for the last weeks, oldest first.

    A finished week's figures over every case never change (a case keeps its report time, events are
    only appended, at the time they happen), so for a leader's view they are counted once and kept
    in the cache (``WEEK_CACHE_SECONDS``), and the current week is shared like the month's figures
    (``_city_cached``). A unit's view (a
    subset whose membership can move, e.g. a re-dispatch) is counted afresh."""
    weeks = weeks_to_date(today)
    if _scoped(cases):
        counted = _weeks_counted(cases, weeks)
    else:
        keys = [f"dashboards:week:{week.start.isoformat()}" for week in weeks[:-1]]
        kept = cache.get_many(keys)
        missing = [week for week, key in zip(weeks[:-1], keys) if key not in kept]
        if missing:
            fresh = dict(zip(missing, _weeks_counted(cases, missing)))
            cache.set_many({f"dashboards:week:{week.start.isoformat()}": value for week, value in fresh.items()},
                           WEEK_CACHE_SECONDS)
            kept.update({f"dashboards:week:{week.start.isoformat()}": value for week, value in fresh.items()})
        counted = [kept[key] for key in keys] + _city_cached(
            "week", cases=cases, today=today, compute=lambda: _weeks_counted(cases, weeks[-1:]))
    return [{"week": week, "reports": reports, "handled": handled} for week, (reports, handled) in zip(weeks, counted)]


def grid_density(*, cases: QuerySet[Case], period: Period, limit: int = GRID_MAP_LIMIT) -> list[dict]:
    """The densest grids of the period: code, case count and bounding box ([west, south, east, north]).

    A 万米 cell is a ~100 m square: its box draws it on a city map, with no GeoJSON to parse and send."""
    return _city_cached(f"grids{limit}", cases=cases, today=period.end,
                        compute=lambda: _grid_density(cases, period, limit))


def _grid_density(cases: QuerySet[Case], period: Period, limit: int) -> list[dict]:
    counts = list(_created_in(cases, period).exclude(grid_code="").values("grid_code")
                  .annotate(n=Count("id")).order_by("-n", "grid_code")[:limit])
    boxes = {code: box for code, *box in Grid.objects.filter(code__in=[row["grid_code"] for row in counts])
             .values_list("code", "min_lon", "min_lat", "max_lon", "max_lat")}
    return [{"code": row["grid_code"], "count": row["n"], "box": boxes[row["grid_code"]]}
            for row in counts if row["grid_code"] in boxes]


@dataclass
class ActionProgress:
    """One 行动's work-carrying tasks by status, as the plan pages assess them on ``on``."""

    action: object
    counts: dict = field(default_factory=dict)  # ProgressStatus → number of tasks

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def plan_progress(*, user, plan, on: dt.date) -> list[ActionProgress]:
    rows: dict[int, ActionProgress] = {}
    for state in plan_states(user=user, plan=plan, on=on):
        row = rows.setdefault(state.task.action_id, ActionProgress(state.task.action, dict.fromkeys(ProgressStatus, 0)))
        for leaf in state.leaves():
            row.counts[leaf.status] += 1
    return sorted(rows.values(), key=lambda row: row.action.position)


def cases_overdue_first(*, cases: QuerySet[Case], now: dt.datetime, limit: int = 20) -> list[Case]:
    return list(cases_overdue(cases_with_related(cases), now=now)[:limit])


@dataclass
class Todo:
    """What a unit must do today: its work-list cases due by tonight (overdue ones included), the
    督办 notices awaiting its reply, and its lagging plan tasks."""

    due_cases: list = field(default_factory=list)
    due_count: int = 0
    notices: list = field(default_factory=list)
    lagging: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.due_count or self.notices or self.lagging)


def unit_todo(*, user, today: dt.date, now: dt.datetime) -> Todo:
    todo = Todo()
    if user_has_role(user=user, roles=(Role.HANDLER,)):
        due = cases_worklist(user=user).filter(stage_deadline__lt=day_of(today).bounds[1])
        todo.due_count = due.count()
        todo.due_cases = list(due[:20])
    todo.notices = list(notice_list_visible(user=user).filter(
        to_unit_id__in=user_unit_ids(user=user), status__in=AWAITING_REPLY).select_related("task")
        .order_by("reply_due", "id"))
    plan = plan_current()
    if plan is not None and user_has_role(user=user, roles=(Role.UNIT_REPORTER,)):
        todo.lagging = lagging_states(user=user, plan=plan, on=plan_review_date(plan=plan))
    return todo


@dataclass(frozen=True)
class Queue:
    """One of the user's case queues: how many cases wait for them and how many of those are late."""

    role: str
    count: int
    overdue: int


def work_queues(*, user, now: dt.datetime) -> list[Queue]:
    """The command-centre queues of the roles the user holds, and an inspector's tasks."""
    queues = []
    for role in sorted(user_roles(user=user) & COMMAND_CENTRE_ROLES):
        cases = cases_queue(user=user, role=role)
        queues.append(Queue(role, cases.count(), cases.filter(overdue_condition(now=now)).count()))
    if Role.INSPECTOR in user_roles(user=user):
        cases = cases_inspector_tasks(user=user)
        queues.append(Queue(Role.INSPECTOR, cases.count(), cases.filter(overdue_condition(now=now)).count()))
    return queues


def citizen_report_counts(*, user) -> dict:
    """A citizen's own reports (``citizens.selectors.citizen_reports``): still open, and finished."""
    return citizen_reports(user=user).order_by().aggregate(
        open=Count("id", filter=Q(state__in=OPEN_STATES)), finished=Count("id", filter=~Q(state__in=OPEN_STATES)))
