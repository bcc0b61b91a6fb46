"""Demo: the 2018 plan year's street-vending and small-ad cases, so the plan's live indicators
(双十, the small-ad rates: ``plan_sources``) show real values in the 2018 plan the demo reviews.

The demo's month of live cases ends today, outside the 2018 plan's period; these finished cases
fill the period instead (docs/plans.md, "Demo"). They are written with ``bulk_create`` — a few
hundred cases with their whole history in well under a second — rather than walked through the
services one by one like the live month: each gets the events the services would have recorded
(report, accept, file, dispatch, arrival or sign-for, 处置反馈, 核查, 结案 with its outcome) with
stage deadlines from the catalogue's limits and the working calendar, and its 双十 arrival steps.
They carry no photos.
"""
from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jingzhi.org.models import Role

from .clock import deadline_after
from .models import Case, CaseEvent, CaseNumberCounter, Category, OnSiteStep, Outcome, OutcomeReason, Source
from .plan_sources import SMALL_AD_HANDED_OUT, SMALL_AD_POSTED, is_double_ten
from .selectors import department_suggest
from .workflow import CaseAction, Stage, State

YEAR_START, YEAR_END = dt.date(2018, 4, 2), dt.date(2018, 12, 31)
#: Cases per category code over the plan year, and the share of small-ad cases closed unfixed.
VOLUMES = {"0501": 170, "0504": 90, SMALL_AD_POSTED: 160, SMALL_AD_HANDED_OUT: 60}
NOT_FIXED_SHARE = {SMALL_AD_POSTED: 0.06, SMALL_AD_HANDED_OUT: 0.17}
#: 双十 odds: the manager is late; persuasion fails (the officer is needed); the officer is late.
MANAGER_LATE, PERSUASION_FAILS, OFFICER_LATE = 0.05, 0.3, 0.15


@dataclass
class _History:
    case: Case
    events: list[CaseEvent]
    steps: list[OnSiteStep]


class _Writer:
    """Builds one case's rows in memory, each step some minutes after the previous one."""

    def __init__(self, *, rng: random.Random, cast, category: Category, location, at: dt.datetime, number: str):
        self.rng, self.cast, self.at = rng, cast, at
        self.case = Case(
            number=number, category=category, source=Source.INSPECTOR,
            description=f"{category.name}：{category.filing_criteria[:40]}",
            lon=location.lon, lat=location.lat, district=location.district, subdistrict=location.subdistrict,
            grid_code=location.grid_code or "", state=State.REPORTED, reporter=rng.choice(cast.inspectors),
            suggested_department=department_suggest(category=category, location=location),
            created_at=at, updated_at=at,
        )
        self.case.department = self.case.suggested_department
        self.history = _History(self.case, [], [])
        self.deadline = None

    def _limit(self, stage: str, start: dt.datetime) -> dt.datetime:
        limit = self.case.category.time_limit(urgency=self.case.urgency, stage=stage)
        return deadline_after(start, value=limit["value"], unit=limit["unit"])

    def event(self, action, actor, role, to_state, *, after=(3, 30), starts=None, ends=False, **data):
        """Record ``action`` ``after`` minutes later; ``starts`` a stage's clock, ``ends`` the running one."""
        if after:
            self.at += dt.timedelta(minutes=self.rng.uniform(*after))
        done_in_time = (self.at <= self.deadline) if ends and self.deadline else None
        if starts:
            self.deadline = self._limit(starts, self.at)
        elif ends:
            self.deadline = None
        self.history.events.append(CaseEvent(
            action=action, from_state=self.case.state, to_state=to_state, actor=actor, actor_role=role,
            created_at=self.at, data=data, stage_deadline=self.deadline, done_in_time=done_in_time,
        ))
        self.case.state = to_state
        return self.at

    def arrivals(self, handler) -> None:
        """The 双十 steps: the manager within 10 minutes, and the officer within another 10 when needed."""
        first, second = self.case.category.on_site_steps
        due = deadline_after(self.at, value=first["value"], unit=first["unit"])
        arrived = self.at + dt.timedelta(minutes=self.rng.uniform(10.5, 16) if self.rng.random() < MANAGER_LATE
                                         else self.rng.uniform(3, 9.5))
        self.at = arrived
        self.event(CaseAction.ON_SITE_ARRIVE, handler, Role.HANDLER, State.HANDLING, after=None,
                   step=1, arrived_at=arrived.isoformat())
        steps = [OnSiteStep(order=1, name=first["name"], limit_value=first["value"], limit_unit=first["unit"],
                            due_at=due, arrived_at=arrived, done_in_time=arrived <= due)]
        second_due = deadline_after(arrived, value=second["value"], unit=second["unit"])
        second_arrived = None
        if self.rng.random() < PERSUASION_FAILS:
            second_arrived = arrived + dt.timedelta(minutes=self.rng.uniform(10.5, 15) if self.rng.random()
                                                    < OFFICER_LATE else self.rng.uniform(4, 9.5))
            self.at = second_arrived
            self.event(CaseAction.ON_SITE_ARRIVE, handler, Role.HANDLER, State.HANDLING, after=None,
                       step=2, arrived_at=second_arrived.isoformat())
        steps.append(OnSiteStep(order=2, name=second["name"], limit_value=second["value"],
                                limit_unit=second["unit"], due_at=second_due, arrived_at=second_arrived,
                                done_in_time=None if second_arrived is None else second_arrived <= second_due))
        self.history.steps = steps

    def life(self, handler, *, fixed: bool) -> _History:
        cast, case = self.cast, self.case
        self.deadline = self._limit(Stage.INTAKE, self.at)
        case.state = ""  # the report is the first event: it comes from no state
        self.event(CaseAction.REPORT, case.reporter, Role.INSPECTOR, State.REPORTED, after=None,
                   source=case.source)
        self.event(CaseAction.ACCEPT, cast.intake, Role.INTAKE_OPERATOR, State.ACCEPTED)
        self.event(CaseAction.FILE, cast.chief, Role.SHIFT_CHIEF, State.FILED, starts=Stage.DISPATCH, ends=True)
        self.event(CaseAction.DISPATCH, cast.dispatcher, Role.DISPATCHER, State.DISPATCHED, after=(1, 4),
                   starts=Stage.HANDLE, ends=True, department=case.department_id,
                   department_name=case.department.name, suggested_department=case.department_id,
                   override_reason="")
        if is_double_ten(case.category.on_site_steps):
            self.arrivals(handler)
        else:
            self.event(CaseAction.RECEIVE, handler, Role.HANDLER, State.HANDLING, after=(5, 60))
        handle_after = (2, 6) if self.history.steps else (30, 600)
        self.event(CaseAction.HANDLE, handler, Role.HANDLER, State.HANDLED, after=handle_after,
                   starts=Stage.VERIFY, ends=True)
        self.event(CaseAction.VERIFY_ASSIGN, cast.intake, Role.INTAKE_OPERATOR, State.VERIFYING, after=(2, 15),
                   inspector=case.reporter_id)
        case.inspector = case.reporter
        self.event(CaseAction.VERIFY_PASS, case.reporter, Role.INSPECTOR, State.VERIFIED, after=(10, 50),
                              ends=True)
        outcome, reason = (Outcome.FIXED, "") if fixed else (Outcome.NOT_FIXED, OutcomeReason.NOT_FEASIBLE)
        closed = self.event(CaseAction.CLOSE, cast.chief, Role.SHIFT_CHIEF, State.CLOSED, after=(5, 40),
                            outcome=outcome, outcome_reason=reason)
        self.history.events[-1].comment = "" if fixed else "高处墙面暂不具备清理条件，列入集中整治"
        case.outcome, case.outcome_reason = outcome, reason
        case.closed_at = case.updated_at = closed
        case.stage, case.stage_started_at, case.stage_deadline = "", None, None
        return self.history


def _days(rng: random.Random, count: int) -> list[dt.datetime]:
    span = (YEAR_END - YEAR_START).days
    moments = []
    for _ in range(count):
        day = YEAR_START + dt.timedelta(days=rng.randint(0, span))
        moments.append(timezone.make_aware(dt.datetime(day.year, day.month, day.day, rng.randint(7, 19),
                                                       rng.randint(0, 59))))
    return sorted(moments)


def plan_year_cases_write(*, cast, places, seed: int = 2018) -> int:
    """Write the plan year's cases and their histories (``places``: routed demo locations)."""
    rng = random.Random(seed)
    categories = {c.code: c for c in Category.objects.filter(code__in=VOLUMES).select_related("category_class")}
    histories, counters = [], Counter()
    spots = iter(places)
    for code, volume in VOLUMES.items():
        category = categories.get(code)
        if category is None:
            continue
        for at in _days(rng, volume):
            location = next(spots, None)
            if location is None:
                break
            department = department_suggest(category=category, location=location)
            if department is None or department.pk not in cast.handlers:
                continue
            prefix = category.number_prefix + timezone.localtime(at).strftime("%Y%m%d")
            counters[prefix] += 1
            writer = _Writer(rng=rng, cast=cast, category=category, location=location, at=at,
                             number=f"{prefix}{counters[prefix]:02d}")
            fixed = rng.random() >= NOT_FIXED_SHARE.get(code, 0)
            histories.append(writer.life(cast.handlers[department.pk], fixed=fixed))
    with transaction.atomic():
        Case.objects.bulk_create([h.case for h in histories])
        for history in histories:
            for row in (*history.events, *history.steps):
                row.case = history.case
        CaseEvent.objects.bulk_create([e for h in histories for e in h.events])
        OnSiteStep.objects.bulk_create([s for h in histories for s in h.steps])
        CaseNumberCounter.objects.bulk_create(
            [CaseNumberCounter(prefix=prefix, last=last) for prefix, last in counters.items()])
    return len(histories)
