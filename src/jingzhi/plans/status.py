"""Where an indicator should be on a date, and whether it is there: pure functions.

No database here, so the rules can be checked with numbers worked by hand
(tests/plans/test_status.py) and reused by pages, the API and the export alike.

Expected value (应达值): a glide path, **linear between checkpoints**. The checkpoints
are (plan start, baseline), every milestone (due, cumulative target) and (deadline,
target). Before the start the expected value is the baseline; from the deadline on
it is the target. Linear rather than stepwise, so a unit that has done nothing the
day before a milestone already shows as lagging instead of jumping from "on track"
to "lagging" overnight.

Baseline: growth indicators (at least / exactly) start from 0 unless a baseline is
given. Falling indicators (at most / eliminate) fall from the baseline to the
target; without a known baseline there is no path and the cap applies as it is.

Status (`ProgressStatus`):
- done: the latest value meets the final target (≥, ≤, = or 0 for eliminate);
- overdue: the deadline has passed (the day after it) and the target is not met;
- not_started: no report yet and the deadline has not passed;
- on_track: the latest value is at least as good as the expected value;
- lagging: otherwise.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
RISING = frozenset({"at_least", "exactly"})
FALLING = frozenset({"at_most", "eliminate"})


class ProgressStatus(models.TextChoices):
    DONE = "done", _("已完成")
    ON_TRACK = "on_track", _("正常推进")
    LAGGING = "lagging", _("滞后")
    OVERDUE = "overdue", _("逾期")
    NOT_STARTED = "not_started", _("未开始")


def status_needs_notice(status: ProgressStatus) -> bool:
    """Lagging or overdue: behind the plan. The one rule for which tasks the 滞后任务 page lists and
    a 督办 notice may be issued on (and which of their indicators and requirements it shows)."""
    return status in (ProgressStatus.LAGGING, ProgressStatus.OVERDUE)


@dataclass(frozen=True)
class Checkpoint:
    due: date
    target: Decimal


@dataclass(frozen=True)
class Target:
    """Everything the plan says about one indicator."""

    direction: str
    target: Decimal
    start: date
    deadline: date
    baseline: Decimal | None = None
    milestones: tuple[Checkpoint, ...] = field(default_factory=tuple)

    @property
    def origin(self) -> Decimal | None:
        """The value the path starts from (None: a falling indicator without baseline)."""
        if self.baseline is None and self.direction in RISING:
            return Decimal(0)
        return self.baseline


@dataclass(frozen=True)
class Assessment:
    status: ProgressStatus
    expected: Decimal
    completion: Decimal  # 0–100


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def target_met(target: Target, value: Decimal) -> bool:
    if target.direction == "at_least":
        return value >= target.target
    if target.direction == "exactly":
        return value == target.target
    return value <= target.target  # at_most, eliminate (target 0)


def _path_needed(target: Target) -> bool:
    """False when there is nothing to move: no baseline, or the baseline already meets the target."""
    origin = target.origin
    return origin is not None and not target_met(target, origin)


def checkpoints(target: Target) -> list[Checkpoint]:
    """The glide path's corners, from the start to the deadline."""
    inner = sorted(
        (m for m in target.milestones if target.start < m.due < target.deadline), key=lambda m: m.due,
    )
    return [Checkpoint(target.start, target.origin), *inner, Checkpoint(target.deadline, target.target)]


def expected_value(target: Target, on: date) -> Decimal:
    if not _path_needed(target):
        return _round(target.target)
    corners = checkpoints(target)
    if on <= corners[0].due:
        return _round(corners[0].target)
    for left, right in itertools.pairwise(corners):
        if on < right.due:
            share = Decimal((on - left.due).days) / Decimal((right.due - left.due).days)
            return _round(left.target + (right.target - left.target) * share)
    return _round(target.target)


def completion_percent(target: Target, value: Decimal | None) -> Decimal:
    """How far along the way from the origin to the target the value is, 0–100."""
    if value is None:
        return Decimal(0)
    if not _path_needed(target):
        return HUNDRED if target_met(target, value) else Decimal(0)
    origin = target.origin
    share = (value - origin) / (target.target - origin) * HUNDRED
    return _round(min(HUNDRED, max(Decimal(0), share)))


def _on_path(target: Target, value: Decimal, expected: Decimal) -> bool:
    if target.direction == "at_least":
        return value >= expected
    if target.direction == "exactly":
        return expected <= value <= target.target
    return value <= expected


def assess(target: Target, *, value: Decimal | None, on: date) -> Assessment:
    """The status of an indicator whose latest value by ``on`` is ``value`` (None: no report)."""
    expected = expected_value(target, on)
    completion = completion_percent(target, value)
    if value is not None and target_met(target, value):
        status = ProgressStatus.DONE
    elif on > target.deadline:
        status = ProgressStatus.OVERDUE
    elif value is None:
        status = ProgressStatus.NOT_STARTED
    elif _on_path(target, value, expected):
        status = ProgressStatus.ON_TRACK
    else:
        status = ProgressStatus.LAGGING
    return Assessment(status=status, expected=expected, completion=completion)


def checklist_status(*, deadline: date, done_on: date | None, on: date) -> ProgressStatus:
    if done_on is not None and done_on <= on:
        return ProgressStatus.DONE
    return ProgressStatus.OVERDUE if on > deadline else ProgressStatus.NOT_STARTED


def combined_status(statuses: Iterable[ProgressStatus]) -> ProgressStatus:
    """A task's status from its parts: the worst problem wins, all done is done."""
    statuses = list(statuses)
    if statuses and all(s == ProgressStatus.DONE for s in statuses):
        return ProgressStatus.DONE
    for worst in (ProgressStatus.OVERDUE, ProgressStatus.LAGGING):
        if worst in statuses:
            return worst
    if all(s == ProgressStatus.NOT_STARTED for s in statuses):
        return ProgressStatus.NOT_STARTED
    return ProgressStatus.ON_TRACK
