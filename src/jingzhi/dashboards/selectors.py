"""Read side of the dashboards: the case and plan figures a leader or a unit sees, aggregated in SQL.

Every figure is counted over ``cases_visible_to(user)`` (the case loop's one scoping rule), so a
unit's dashboard holds only its own cases, and each has a drill-down (``drilldown.py``): the case
search with the filters that select exactly the cases counted.

按期处置率 here is the share of cases whose 处置反馈 in the period all came within the handle
stage's limit (``cases.selectors.handle_events``). The ``assessment`` app owns the scored
indicators and the rankings; until its selectors are installed the ranking tables order units by
this rate (see docs/dashboards.md).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet

from jingzhi.cases.models import Case
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
from jingzhi.geo.models import Area, AreaLevel, Grid
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

#: A unit with fewer timed 处置反馈 cases in the month is listed but not ranked: one lucky case
#: must not top the table.
RANKING_MIN_CASES = 5
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
    rank: int | None = None

    @property
    def scope(self) -> dict:
        """The case search filter for this unit's cases."""
        return {self.by: self.unit.pk}


def _created_in(cases: QuerySet[Case], period: Period) -> QuerySet[Case]:
    start, end = period.bounds
    return cases.filter(created_at__gte=start, created_at__lt=end)


def _handled_events(cases: QuerySet[Case], period: Period):
    start, end = period.bounds
    return handle_events().filter(created_at__gte=start, created_at__lt=end, case__in=cases)


HANDLED_COUNTS = {"total": Count("case", distinct=True),
                  "late": Count("case", distinct=True, filter=Q(done_in_time=False))}


def case_figures(*, cases: QuerySet[Case], today: dt.date, now: dt.datetime) -> CaseFigures:
    """The headline numbers: reports today and this month, open, overdue, 按期处置率 this month."""
    month = month_to_date(today)
    start_today, _end = day_of(today).bounds
    reports = _created_in(cases, month).aggregate(
        month=Count("id"), today=Count("id", filter=Q(created_at__gte=start_today)))
    open_cases = cases.filter(state__in=OPEN_STATES)
    handled = _handled_events(cases, month).aggregate(**HANDLED_COUNTS)
    return CaseFigures(
        today=today, reports_today=reports["today"], reports_month=reports["month"], open=open_cases.count(),
        overdue=cases.filter(overdue_condition(now=now)).count(), handled=Handled(**handled),
    )


def _by(rows, key: str) -> dict:
    return {row.pop(key): row for row in rows}


def unit_rows(*, cases: QuerySet[Case], by: str, units: QuerySet[Unit], today: dt.date,
              now: dt.datetime) -> list[UnitRow]:
    """The month's figures per unit (``by``: the case's ``district`` or ``department``), ranked by
    按期处置率 (more cases first on a tie, then name); units under ``RANKING_MIN_CASES`` unranked."""
    month = month_to_date(today)
    column = f"{by}_id"
    reports = _by(_created_in(cases, month).values(column).annotate(n=Count("id")).order_by(), column)
    open_counts = _by(cases.filter(state__in=OPEN_STATES).values(column).annotate(
        open=Count("id"), overdue=Count("id", filter=overdue_condition(now=now))).order_by(), column)
    handled = _by(_handled_events(cases, month).values(f"case__{column}").annotate(**HANDLED_COUNTS).order_by(),
                  f"case__{column}")
    rows = []
    for unit in units:
        row = UnitRow(unit, by, reports=reports.get(unit.pk, {}).get("n", 0),
                      open=open_counts.get(unit.pk, {}).get("open", 0),
                      overdue=open_counts.get(unit.pk, {}).get("overdue", 0),
                      handled=Handled(**handled.get(unit.pk, {})))
        if row.reports or row.open or row.handled.total or by == "district":
            rows.append(row)
    return ranked(rows)


def ranked(rows: list[UnitRow]) -> list[UnitRow]:
    """Rank by rate, then volume; equal rate and volume share a rank (1, 1, 3); small ones last, unranked."""
    rankable = sorted((r for r in rows if r.handled.total >= RANKING_MIN_CASES),
                      key=lambda r: (-r.handled.rate, -r.handled.total, r.unit.name))
    previous = None
    for position, row in enumerate(rankable, start=1):
        key = (row.handled.rate, row.handled.total)
        row.rank = previous.rank if previous and key == (previous.handled.rate, previous.handled.total) else position
        previous = row
    rest = sorted((r for r in rows if r.handled.total < RANKING_MIN_CASES), key=lambda r: (-r.reports, r.unit.name))
    return rankable + rest


def district_units() -> QuerySet[Unit]:
    return Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("code", "name")


def department_units() -> QuerySet[Unit]:
    return Unit.objects.exclude(kind=UnitKind.COMMUNITY).order_by("kind", "code", "name")


def weekly_trend(*, cases: QuerySet[Case], today: dt.date) -> list[dict]:
    """Reports and timed 处置反馈 (late among them) per week for the last weeks, oldest first: two
    queries, each one pass over the weeks' rows with a conditional count per week."""
    weeks = weeks_to_date(today)
    span = Period(weeks[0].start, weeks[-1].end)
    in_week = [Q(created_at__gte=week.bounds[0], created_at__lt=week.bounds[1]) for week in weeks]
    reports = _created_in(cases, span).aggregate(**{f"r{n}": Count("id", filter=q) for n, q in enumerate(in_week)})
    handled = _handled_events(cases, span).aggregate(**{
        f"{name}{n}": Count("case", distinct=True, filter=q & extra)
        for n, q in enumerate(in_week) for name, extra in (("t", Q()), ("l", Q(done_in_time=False)))})
    return [{"week": week, "reports": reports[f"r{n}"], "handled": Handled(handled[f"t{n}"], handled[f"l{n}"])}
            for n, week in enumerate(weeks)]


def grid_density(*, cases: QuerySet[Case], period: Period, limit: int = GRID_MAP_LIMIT) -> list[dict]:
    """The densest grids of the period: code, case count and geometry (GeoJSON, WGS84)."""
    counts = list(_created_in(cases, period).exclude(grid_code="").values("grid_code")
                  .annotate(n=Count("id")).order_by("-n", "grid_code")[:limit])
    geometry = dict(Grid.objects.filter(code__in=[row["grid_code"] for row in counts])
                    .values_list("code", "geometry"))
    return [{"code": row["grid_code"], "count": row["n"], "geometry": json.loads(geometry[row["grid_code"]])}
            for row in counts if row["grid_code"] in geometry]


def district_shapes() -> dict[int, dict]:
    """District boundaries (GeoJSON) by their unit's id."""
    return {unit_id: json.loads(geometry) for unit_id, geometry in Area.objects.filter(
        level=AreaLevel.DISTRICT, unit__isnull=False).values_list("unit_id", "geometry")}


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


@dataclass
class Standing:
    """A unit's row in the table of its kind (districts, or departments) and how many are ranked."""

    by: str
    row: UnitRow | None
    ranked: int

    @property
    def rows(self) -> list[UnitRow]:
        return [self.row] if self.row else []


def unit_standing(*, unit: Unit, today: dt.date, now: dt.datetime) -> Standing:
    """The rank is among all units of the same kind, so the table counts every case; the caller
    shows only the unit's own row."""
    by, units = ("district", district_units()) if unit.kind == UnitKind.DISTRICT else ("department",
                                                                                         department_units())
    table = unit_rows(cases=Case.objects.all(), by=by, units=units, today=today, now=now)
    return Standing(by, next((row for row in table if row.unit.pk == unit.pk), None),
                    sum(1 for row in table if row.rank))


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
