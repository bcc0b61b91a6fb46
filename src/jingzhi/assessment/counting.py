"""Indicator counting: the period's counters of every unit, as SQL aggregates.

Each *family* is one query: a base set of rows (the case events of some actions in the period,
or the open cases), grouped by the assessed unit (``GROUP BY``) with one ``COUNT … FILTER`` per
counter. The same counter definitions give the drill-down: the rows one unit's counter counted
(``counted_rows``), so a list always adds up to the number it explains.

What is counted where (docs/assessment.md):
- 上报 family (上报, 自处理上报 events): reports, valid ones (not 不予受理), public reports;
- 立案 family (立案 events, the period's 立案 cohort): filed, on time, voided later, closed,
  fixed (honest outcome), closed with no late stage, reworked, rated, satisfied;
- 环节 family (the other steps, each on time when its stage ended by the deadline, or, for a step
  inside a stage such as 派发核实, when it was taken before the stage's deadline);
- 派遣 family (派遣 events, and whether the case was later 退回), 结案 family (结案 events,
  and whether any stage of the case ran late);
- 积压 family (open cases whose stage deadline passed by the end of the period).
A unit is a district, sub-district or department (by the case's place and department) or a
person holding a post (by who acted in that role).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from jingzhi.cases.models import PUBLIC_SOURCES, Case, CaseEvent, Outcome, OutcomeReason, Satisfaction
from jingzhi.cases.workflow import OPEN_STATES, CaseAction, State
from jingzhi.geo.models import Grid
from jingzhi.org.models import Role

from .counters import FAMILY_COUNTERS, events_counter

#: The kinds of assessed units and the field that names the unit on a case event.
REGION_KINDS = ("district", "subdistrict")
UNIT_KINDS = (*REGION_KINDS, "department")
POST_KINDS = (Role.INSPECTOR, Role.INTAKE_OPERATOR, Role.SHIFT_CHIEF, Role.DISPATCHER)
KINDS = (*UNIT_KINDS, *POST_KINDS)
_EVENT_GROUP = {"district": "case__district", "subdistrict": "case__subdistrict", "department": "case__department"}

#: A step done in time: its stage ended by the deadline, or (a step inside a stage) it was taken
#: before the running stage's deadline.
ON_TIME = Q(done_in_time=True) | Q(done_in_time__isnull=True, stage_deadline__isnull=False,
                                   created_at__lte=F("stage_deadline"))
_LATE_STAGE = Exists(CaseEvent.objects.filter(case=OuterRef("case"), done_in_time=False))
_RETURNED_LATER = Exists(CaseEvent.objects.filter(case=OuterRef("case"), action=CaseAction.RETURN,
                                                  created_at__gt=OuterRef("created_at")))
_NOT_REJECTED = ~Q(case__state=State.REJECTED)


@dataclass(frozen=True)
class Family:
    code: str
    actions: tuple[str, ...]
    counters: dict[str, Q]
    annotations: tuple[tuple[str, object], ...] = ()
    extra: Q | None = None  # a further condition on the family's events

    @property
    def events_counter(self) -> str:
        return events_counter(self.code)

    @property
    def membership(self) -> Q:
        """The condition that makes an event one of the family's rows."""
        return Q(action__in=self.actions) & (self.extra if self.extra is not None else Q())


FAMILIES = (
    Family("reports", (CaseAction.REPORT, CaseAction.SELF_HANDLE), {
        "reports": Q(),
        "valid_reports": _NOT_REJECTED,
        "public_reports": Q(case__source__in=PUBLIC_SOURCES) & _NOT_REJECTED,
    }),
    Family("filing", (CaseAction.FILE,), {
        "filed": Q(),
        "filed_on_time": ON_TIME,
        "filed_voided": Q(case__outcome_reason=OutcomeReason.VOIDED),
        "closed": Q(case__state=State.CLOSED),
        "fixed": Q(case__state=State.CLOSED, case__outcome=Outcome.FIXED),
        "closed_on_time": Q(case__state=State.CLOSED, late=False),
        "reworked": Q(case__rework_count__gt=0),
        "rated": Q(case__satisfaction__in=Satisfaction.values),
        "satisfied": Q(case__satisfaction__in=(Satisfaction.SATISFIED, Satisfaction.FAIRLY_SATISFIED)),
    }, annotations=(("late", _LATE_STAGE),)),
    Family("steps", (CaseAction.HANDLE, CaseAction.CONFIRM, CaseAction.CONFIRM_ASSIGN, CaseAction.VERIFY_ASSIGN,
                     CaseAction.VERIFY_PASS, CaseAction.VERIFY_FAIL, CaseAction.ACCEPT, CaseAction.REJECT,
                     CaseAction.MERGE), {
        "handled": Q(action=CaseAction.HANDLE),
        "handled_on_time": Q(action=CaseAction.HANDLE) & ON_TIME,
        "confirmed": Q(action=CaseAction.CONFIRM),
        "confirmed_on_time": Q(action=CaseAction.CONFIRM) & ON_TIME,
        "public_confirmed": Q(action=CaseAction.CONFIRM, case__source__in=PUBLIC_SOURCES,
                              data__problem_exists=True),
        "confirm_assigned": Q(action=CaseAction.CONFIRM_ASSIGN),
        "confirm_assigned_on_time": Q(action=CaseAction.CONFIRM_ASSIGN) & ON_TIME,
        "verify_assigned": Q(action=CaseAction.VERIFY_ASSIGN),
        "verify_assigned_on_time": Q(action=CaseAction.VERIFY_ASSIGN) & ON_TIME,
        "verified": Q(action__in=(CaseAction.VERIFY_PASS, CaseAction.VERIFY_FAIL)),
        "verified_on_time": Q(action__in=(CaseAction.VERIFY_PASS, CaseAction.VERIFY_FAIL)) & ON_TIME,
        "intake_decisions": Q(action__in=(CaseAction.ACCEPT, CaseAction.REJECT, CaseAction.MERGE)),
    # A merge also writes an event on the original case (its state unchanged): count the duplicate's only.
    }, extra=~Q(action=CaseAction.MERGE) | Q(to_state=State.REJECTED)),
    Family("dispatches", (CaseAction.DISPATCH,), {
        "dispatched": Q(),
        "dispatched_on_time": ON_TIME,
        "returned": Q(returned_later=True),
    }, annotations=(("returned_later", _RETURNED_LATER),)),
    Family("closings", (CaseAction.CLOSE, CaseAction.SELF_APPROVE), {
        "closings": Q(),
        "closings_on_time": Q(late=False),
    }, annotations=(("late", _LATE_STAGE),)),
)
#: Counters of open cases, not events (units only; a post holds no backlog).
BACKLOG_COUNTERS = {"overdue": Q()}
COUNTER_FAMILY = {name: family for family in FAMILIES for name in family.counters}
if {family.code: tuple(family.counters) for family in FAMILIES} != FAMILY_COUNTERS:
    raise ImproperlyConfigured("counting.FAMILIES and counters.FAMILY_COUNTERS name different counters")


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local midnights of the period's first day and of the day after it."""
    def midnight(day):
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return midnight(start), midnight(end)


def _group_field(kind: str) -> str:
    return _EVENT_GROUP.get(kind, "actor")


def family_rows(family: Family, kind: str | None, since: dt.datetime, until: dt.datetime) -> QuerySet:
    """The events ``family`` counts for ``kind`` (None: every kind) in [since, until)."""
    rows = CaseEvent.objects.filter(action__in=family.actions, created_at__gte=since, created_at__lt=until)
    if family.extra is not None:
        rows = rows.filter(family.extra)
    if kind in POST_KINDS:
        rows = rows.filter(actor_role=kind)
    for name, expression in family.annotations:
        rows = rows.annotate(**{name: expression})
    return rows


def backlog_rows(kind: str, until: dt.datetime) -> QuerySet:
    """Open cases whose running stage deadline passed before ``until`` (超期未办结)."""
    return Case.objects.filter(state__in=OPEN_STATES, stage_deadline__lt=until)


def period_counters(since: dt.datetime, until: dt.datetime, *,
                    now: dt.datetime | None = None) -> dict[str, dict[int, dict[str, int]]]:
    """{kind: {unit or user id: {counter: value}}} of every unit with anything counted.

    The definition, counted from the events: two aggregate queries per family, one grouped by
    (district, sub-district, department) of the case, added up per kind here, one grouped by
    (post, actor); a unit lists a family's counters when it had events of that family. Then the
    levels (``levels_add``). The 月考核 reads the same numbers from the daily rollup
    (``rollup.rollup_period_counters``), which is tested equal to this.
    """
    counters: dict[str, dict[int, dict[str, int]]] = {kind: defaultdict(lambda: defaultdict(int)) for kind in KINDS}
    unit_fields = [_EVENT_GROUP[kind] for kind in UNIT_KINDS]
    for family in FAMILIES:
        aggregates = {name: Count("id", filter=condition) for name, condition in family.counters.items()}
        rows = family_rows(family, None, since, until)
        for row in rows.values(*unit_fields).annotate(**aggregates).order_by():
            keys = [row.pop(field) for field in unit_fields]
            for kind, key in zip(UNIT_KINDS, keys, strict=True):
                if key is not None:
                    target = counters[kind][key]
                    for name, value in row.items():
                        target[name] += value
        for row in rows.filter(actor_role__in=POST_KINDS).values("actor_role", "actor").annotate(
                **aggregates).order_by():
            counters[row.pop("actor_role")][row.pop("actor")].update(row)
    return levels_add(counters, until, now=now)


def levels_add(counters: dict[str, dict[int, dict[str, int]]], until: dt.datetime, *,
               now: dt.datetime | None = None) -> dict[str, dict[int, dict[str, int]]]:
    """Add the levels to the event counters of every kind: the backlog of the units (open cases
    overdue at the end of the period or now, whichever is earlier) and the regions' grids."""
    counters = {kind: defaultdict(dict, counters.get(kind, {})) for kind in KINDS}
    cutoff = min(until, now or timezone.now())
    for kind in UNIT_KINDS:
        for row in (backlog_rows(kind, cutoff).filter(**{f"{kind}__isnull": False}).values(kind)
                    .annotate(overdue=Count("id")).order_by()):
            counters[kind][row[kind]]["overdue"] = row["overdue"]
    for kind in REGION_KINDS:
        for row in (Grid.objects.filter(**{f"{kind}__unit__isnull": False}).values(f"{kind}__unit")
                    .annotate(grids=Count("id")).order_by()):
            if row[f"{kind}__unit"] in counters[kind]:
                counters[kind][row[f"{kind}__unit"]]["grids"] = row["grids"]
    return {kind: {key: dict(values) for key, values in units.items()} for kind, units in counters.items()}


def counted_rows(kind: str, unit_id: int, counter: str, since: dt.datetime, until: dt.datetime, *,
                 now: dt.datetime | None = None) -> QuerySet:
    """The rows one unit's ``counter`` counted: case events (or open cases for ``overdue``)."""
    if counter in BACKLOG_COUNTERS:
        cutoff = min(until, now or timezone.now())
        return backlog_rows(kind, cutoff).filter(**{kind: unit_id}).order_by("stage_deadline", "id")
    family = COUNTER_FAMILY[counter]
    return (family_rows(family, kind, since, until).filter(**{_group_field(kind): unit_id})
            .filter(family.counters[counter]).select_related("case").order_by("created_at", "id"))
