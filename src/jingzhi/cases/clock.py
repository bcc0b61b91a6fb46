"""The stage clock: which stage's time runs (``workflow.STATE_STAGE``) and until when.

A stage starts, with its deadline from the category's limit and the working calendar, when a
case enters a state of another stage, and ends (in time or not) when it leaves; a state of no
stage (挂账) stops the clock. Every deadline of the case loop is computed here.
"""
from __future__ import annotations

import datetime as dt

from .models import Case
from .selectors import working_calendar
from .workflow import stage_of


def deadline_after(start: dt.datetime, *, value: float, unit: str) -> dt.datetime:
    """``start`` plus a time limit (a ``calendar.TimeUnit`` amount) by the calendar in force."""
    return working_calendar().deadline(start, value=value, unit=unit)


def stage_move(case: Case, target: str, now: dt.datetime) -> bool | None:
    """Move the stage clock into ``target``; returns whether an ending stage was in time."""
    old_stage, new_stage = case.stage, stage_of(target)
    if old_stage == new_stage:
        return None
    done_in_time = (now <= case.stage_deadline) if old_stage and case.stage_deadline else None
    case.stage = new_stage
    case.escalated_at = None
    if new_stage:
        limit = case.category.time_limit(urgency=case.urgency, stage=new_stage)
        case.stage_started_at = now
        case.stage_deadline = deadline_after(now, value=limit["value"], unit=limit["unit"])
    else:
        case.stage_started_at = case.stage_deadline = None
    return done_in_time
