"""Read-side rules of `plans`: who sees and may touch which task, and how far along it is.

Scoping: plan office, leaders and platform admins read everything; a unit reporter
sees the tasks where their unit (or a unit below it) is lead or responsible, and
the parent task (9, 14) of such a sub-task.

Progress: a report states the indicator's value as of its date (a cumulative total, or the
level measured then). The latest report dated on or before the review date counts; reports
dated later are ignored, so a past date can be reviewed as it was. A reach-by-date level
without a baseline takes its first report as the baseline. A live indicator (``source``) is
computed from the platform's records of the plan's period instead (``live.py``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from jingzhi.org.models import Role
from jingzhi.org.selectors import user_has_role, user_reads_everything, user_unit_ids

from .live import LiveBasis, LiveValue, live_source_get, live_value
from .measures import measure_of
from .models import (
    ChecklistItem,
    Indicator,
    NoticeEvent,
    Plan,
    ProgressReport,
    ReportEvidence,
    Responsibility,
    SupervisionNotice,
    Task,
    TaskUnit,
)
from .notice_workflow import ACTOR_ROLES, NoticeAction, NoticeActor, action_roles, steps_from
from .status import (
    Assessment,
    Checkpoint,
    IndicatorKind,
    ProgressStatus,
    Target,
    assess,
    checklist_status,
    combined_status,
    status_needs_notice,
)

#: The roles that file progress and confirm requirements (which tasks: ``user_may_report`` and
#: ``user_may_mark_checklist``). The 督办 roles are in the notice table (``notice_workflow``).
REPORTER_ROLES = (Role.UNIT_REPORTER,)


# ── Which plan and which date ──────────────────────────────────────────────────

def plan_current() -> Plan | None:
    return Plan.objects.order_by("-year", "-issued_on").first()


def plan_review_date(*, plan: Plan, requested: date | None = None) -> date:
    """The "as of" date: the request's ?as_of, else the plan's review date, else today."""
    return requested or plan.as_of or timezone.localdate()


# ── Scoping ────────────────────────────────────────────────────────────────────

def _reporter_unit_ids(user) -> frozenset[int]:
    if not user_has_role(user=user, roles=REPORTER_ROLES):
        return frozenset()
    return user_unit_ids(user=user)


def task_list_visible(*, user, plan: Plan | None = None) -> QuerySet[Task]:
    tasks = Task.objects.all() if plan is None else plan.tasks.all()
    if user_reads_everything(user=user):
        return tasks
    unit_ids = _reporter_unit_ids(user)
    own = Q(task_units__unit_id__in=unit_ids)
    below = Q(subtasks__task_units__unit_id__in=unit_ids)
    return tasks.filter(pk__in=Task.objects.filter(own | below).values("pk"))


def task_is_visible(*, user, task: Task) -> bool:
    return task_list_visible(user=user).filter(pk=task.pk).exists()


def _task_has_unit(*, user, task: Task, responsibilities: tuple[str, ...]) -> bool:
    unit_ids = _reporter_unit_ids(user)
    return task.task_units.filter(unit_id__in=unit_ids, role__in=responsibilities).exists()


def user_may_report(*, user, task: Task) -> bool:
    """Unit reporters file progress for tasks where their unit is lead or responsible."""
    return _task_has_unit(user=user, task=task, responsibilities=tuple(Responsibility))


def user_may_mark_checklist(*, user, task: Task) -> bool:
    """A task's qualitative requirements are confirmed by its lead unit."""
    return _task_has_unit(user=user, task=task, responsibilities=(Responsibility.LEAD,))


def user_holds_notice_role(*, user, action: str) -> bool:
    """The user holds a role that may ever take this 督办 action (the table's actor for it)."""
    return user_has_role(user=user, roles=action_roles(action))


def notice_actor_is(*, user, notice: SupervisionNotice, actor: str) -> bool:
    """The user is this notice's ``actor``: holds the actor's roles, and as the addressee also
    reports for the unit the notice is addressed to (or a unit above it)."""
    if not user_has_role(user=user, roles=ACTOR_ROLES[actor]):
        return False
    return actor != NoticeActor.ADDRESSEE or notice.to_unit_id in _reporter_unit_ids(user)


def notice_actions_for(*, user, notice: SupervisionNotice) -> list[str]:
    """"May this user act on this notice now": the table's steps from the notice's status whose actor
    the user is. For a notice the user sees; the page's forms, the API's ``actions`` and the services
    (``services.notice_check_allowed`` and the status check) give the same answer."""
    return [step.action for step in steps_from(notice.status)
            if notice_actor_is(user=user, notice=notice, actor=step.actor)]


def indicator_list_visible(*, user) -> QuerySet[Indicator]:
    return Indicator.objects.filter(task__in=task_list_visible(user=user)).select_related("task")


def checklist_list_visible(*, user) -> QuerySet[ChecklistItem]:
    return (ChecklistItem.objects.filter(task__in=task_list_visible(user=user))
            .select_related("task", "done_by"))


def report_list_visible(*, user) -> QuerySet[ProgressReport]:
    return (ProgressReport.objects.filter(indicator__task__in=task_list_visible(user=user))
            .select_related("indicator", "unit", "reported_by").prefetch_related("evidence"))


def notice_list_visible(*, user) -> QuerySet[SupervisionNotice]:
    notices = (SupervisionNotice.objects.select_related("task", "to_unit", "issued_by", "replied_by")
               .prefetch_related("events__by"))
    if user_reads_everything(user=user):
        return notices
    return notices.filter(task__in=task_list_visible(user=user))


def my_task_units(*, user, plan: Plan) -> QuerySet[TaskUnit]:
    """The user's unit's parts in the plan's tasks (lead first)."""
    return (TaskUnit.objects.filter(task__plan=plan, unit_id__in=_reporter_unit_ids(user))
            .select_related("task", "unit").order_by("role", "task__position"))


# ── Progress ───────────────────────────────────────────────────────────────────

class _NeedsNotice:
    """For the pages: whether this part of a task is behind the plan (``status.status_needs_notice``)."""

    @property
    def needs_notice(self) -> bool:
        return status_needs_notice(self.status)


@dataclass
class IndicatorState(_NeedsNotice):
    """An indicator on the review date. Its value comes from the latest typed report, or, for a
    live indicator (``live``), is computed from the platform's records of the plan's period."""

    indicator: Indicator
    target: Target
    reports: list[ProgressReport]  # dated on or before the review date, oldest first
    assessment: Assessment
    live: LiveValue | None = None

    @property
    def latest(self) -> ProgressReport | None:
        return self.reports[-1] if self.reports else None

    @property
    def value(self) -> Decimal | None:
        if self.live is not None:
            return self.live.value
        return self.latest.value if self.latest else None

    @property
    def measured_on(self) -> date | None:
        if self.live is not None:
            return self.live.end
        return self.latest.measured_on if self.latest else None

    @property
    def status(self) -> ProgressStatus:
        return self.assessment.status


@dataclass
class ChecklistState(_NeedsNotice):
    item: ChecklistItem
    status: ProgressStatus


@dataclass
class TaskState(_NeedsNotice):
    task: Task
    status: ProgressStatus
    completion: Decimal
    indicators: list[IndicatorState] = field(default_factory=list)
    checklist: list[ChecklistState] = field(default_factory=list)
    subtasks: list[TaskState] = field(default_factory=list)

    @property
    def lead_units(self) -> list:
        return [tu.unit for tu in self.task.task_units.all() if tu.role == Responsibility.LEAD]

    @property
    def checklist_done(self) -> int:
        return sum(1 for c in self.checklist if c.status == ProgressStatus.DONE)

    def leaves(self) -> list[TaskState]:
        """This task, or its sub-tasks when it has any (they carry the work)."""
        return self.subtasks or [self]


def indicator_target(indicator: Indicator, reports: list[ProgressReport], *,
                     live_origin: LiveValue | None = None) -> Target:
    """The indicator's plan as data for ``status``; a reach-by-date level without a baseline
    starts from its first report (value and date), or for a live one from its value on the plan's
    first day (``live_origin``)."""
    baseline, baseline_on = indicator.baseline, None
    if baseline is None and indicator.kind == IndicatorKind.REACH_BY_DATE:
        if live_origin is not None:
            baseline, baseline_on = live_origin.value, live_origin.end
        elif reports:
            baseline, baseline_on = reports[0].value, reports[0].measured_on
    return Target(
        direction=indicator.direction, target=indicator.target, start=indicator.task.plan.issued_on,
        deadline=indicator.deadline, kind=indicator.kind, baseline=baseline, baseline_on=baseline_on,
        milestones=tuple(Checkpoint(m.due, m.target) for m in indicator.milestones.all()),
        whole=measure_of(indicator.unit).whole,
    )


def indicator_live_value(indicator: Indicator, *, on: date) -> LiveValue | None:
    """A live indicator's value over the records of the plan's period up to ``on`` (a state on a
    date: on ``on``), never past the deadline (None: typed)."""
    if not indicator.source:
        return None
    return live_value(key=indicator.source, start=indicator.task.plan.issued_on, end=min(on, indicator.deadline))


def indicator_live_origin(indicator: Indicator) -> LiveValue | None:
    """Where a live reach-by-date level without a typed baseline started: the state of its records
    on the plan's first day (None: not such an indicator, or a source that counts a period, which
    has no state to start from)."""
    if not indicator.source or indicator.baseline is not None or indicator.kind != IndicatorKind.REACH_BY_DATE:
        return None
    source = live_source_get(indicator.source)
    if source is None or source.basis != LiveBasis.ON_DATE:
        return None
    start = indicator.task.plan.issued_on
    return live_value(key=indicator.source, start=start, end=start)


def indicator_assess(indicator: Indicator, *, on: date) -> IndicatorState:
    """Expects ``reports`` prefetched and already limited to ``on`` (see ``_task_queryset``)."""
    live = indicator_live_value(indicator, on=on)
    reports = [] if indicator.source else sorted(indicator.reports.all(), key=lambda r: (r.measured_on, r.pk))
    target = indicator_target(indicator, reports, live_origin=indicator_live_origin(indicator))
    value = live.value if live else (reports[-1].value if reports else None)
    return IndicatorState(indicator, target, reports, assess(target, value=value, on=on), live)


def _mean(values: list[Decimal]) -> Decimal:
    return (sum(values) / len(values)).quantize(Decimal("0.1")) if values else Decimal(0)


def _leaf_assess(task: Task, on: date) -> TaskState:
    indicators = [indicator_assess(i, on=on) for i in task.indicators.all()]
    checklist = [ChecklistState(item, checklist_status(deadline=item.deadline, done_on=item.done_on, on=on))
                 for item in task.checklist_items.all()]
    parts = [i.status for i in indicators] + [c.status for c in checklist]
    completions = [i.assessment.completion for i in indicators]
    completions += [Decimal(100) if c.status == ProgressStatus.DONE else Decimal(0) for c in checklist]
    return TaskState(task, combined_status(parts), _mean(completions), indicators, checklist)


def _task_queryset(on: date) -> QuerySet[Task]:
    reports = ProgressReport.objects.filter(measured_on__lte=on).select_related("unit", "reported_by")
    return Task.objects.select_related("plan", "action", "parent").prefetch_related(
        Prefetch("task_units", queryset=TaskUnit.objects.select_related("unit")),
        "indicators__milestones",
        Prefetch("indicators__reports", queryset=reports.prefetch_related("evidence")),
        Prefetch("checklist_items", queryset=ChecklistItem.objects.select_related("done_by")),
    )


def task_states(*, tasks: QuerySet[Task], on: date) -> list[TaskState]:
    """States of the given tasks in plan order; a sub-task whose parent is among them is nested in it."""
    rows = list(_task_queryset(on).filter(pk__in=tasks.values("pk")).order_by("position"))
    ids = {task.pk for task in rows}
    children: dict[int, list[TaskState]] = {}
    for task in rows:
        if task.parent_id in ids:
            children.setdefault(task.parent_id, []).append(_leaf_assess(task, on))
    states = []
    for task in rows:
        if task.parent_id in ids:
            continue
        subtasks = children.get(task.pk, [])
        if subtasks:
            state = TaskState(task, combined_status(s.status for s in subtasks),
                              _mean([s.completion for s in subtasks]), subtasks=subtasks)
        else:
            state = _leaf_assess(task, on)
        states.append(state)
    return states


def task_state(*, user, task: Task, on: date) -> TaskState:
    """The task with those of its sub-tasks the user may see."""
    tasks = task_list_visible(user=user).filter(Q(pk=task.pk) | Q(parent=task))
    return task_states(tasks=tasks, on=on)[0]


def plan_states(*, user, plan: Plan, on: date) -> list[TaskState]:
    """The tasks the user may see, sub-tasks nested in their parents."""
    return task_states(tasks=task_list_visible(user=user, plan=plan), on=on)


def states_by_task(states: list[TaskState]) -> dict[int, TaskState]:
    """Every state, parents and the sub-tasks nested in them alike, by task id."""
    return {state.task.pk: state for parent in states for state in (parent, *parent.subtasks)}


def status_counts(states: list[TaskState]) -> list[tuple[ProgressStatus, int]]:
    """How many work-carrying tasks (leaves) are in each status."""
    counts = dict.fromkeys(ProgressStatus, 0)
    for state in states:
        for leaf in state.leaves():
            counts[leaf.status] += 1
    return list(counts.items())


def notice_may_issue(*, user, state: TaskState) -> bool:
    """May the user issue a 督办 notice on this task now: the table's issuer, on a work-carrying
    task (no sub-tasks) that is behind the plan."""
    return (not state.subtasks and state.needs_notice
            and user_holds_notice_role(user=user, action=NoticeAction.ISSUE))


def lagging_states(*, user, plan: Plan, on: date) -> list[TaskState]:
    """Work-carrying tasks that are lagging or overdue, the ones a 督办 notice is for."""
    return [leaf for state in plan_states(user=user, plan=plan, on=on) for leaf in state.leaves()
            if leaf.needs_notice]


# ── Supervision notices ────────────────────────────────────────────────────────

def notice_is_late(notice: SupervisionNotice, *, on: date) -> bool:
    """Awaiting a reply past its deadline, or replied after it: shown in red either way."""
    if not notice.awaiting_reply:
        return notice.replied_on > notice.reply_due
    return on > notice.reply_due


# ── Evidence files ─────────────────────────────────────────────────────────────

#: kind → (model, file field, lookup from the row to its task) for files stored on a row.
_EVIDENCE_FIELDS = {
    "checklist": (ChecklistItem, "evidence", "task"),
    "notice": (SupervisionNotice, "reply_evidence", "task"),
    "notice-event": (NoticeEvent, "evidence", "notice__task"),
}


def evidence_file(*, user, kind: str, pk: int):
    """(file, download name) of a report's, checklist item's or reply's evidence the user may see, else None."""
    visible = task_list_visible(user=user)
    if kind == "report":
        row = ReportEvidence.objects.filter(pk=pk, report__indicator__task__in=visible).first()
        return (row.file, row.original_name) if row else None
    if kind not in _EVIDENCE_FIELDS:
        return None
    model, file_field, task_lookup = _EVIDENCE_FIELDS[kind]
    row = model.objects.filter(pk=pk, **{f"{task_lookup}__in": visible}).exclude(**{file_field: ""}).first()
    if row is None:
        return None
    file = getattr(row, file_field)
    return file, file.name.rsplit("/", 1)[-1]


# ── A request's view of the plans ──────────────────────────────────────────────

class PlanReview:
    """The states a request shows, computed once per plan (the API serializes many objects)."""

    def __init__(self, *, user, requested: date | None = None):
        self.user, self.requested = user, requested
        self._plans: dict[int, tuple[date, dict[int, TaskState], dict[int, IndicatorState]]] = {}

    def _load(self, plan_id: int):
        if plan_id not in self._plans:
            plan = Plan.objects.get(pk=plan_id)
            on = plan_review_date(plan=plan, requested=self.requested)
            tasks = states_by_task(plan_states(user=self.user, plan=plan, on=on))
            indicators = {i.indicator.pk: i for state in tasks.values() for i in state.indicators}
            self._plans[plan_id] = (on, tasks, indicators)
        return self._plans[plan_id]

    def on(self, plan_id: int) -> date:
        return self._load(plan_id)[0]

    def task(self, task: Task) -> TaskState:
        return self._load(task.plan_id)[1][task.pk]

    def indicator(self, indicator: Indicator) -> IndicatorState:
        return self._load(indicator.task.plan_id)[2][indicator.pk]
