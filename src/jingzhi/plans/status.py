"""Where an indicator should be on a date, and whether it is there: pure functions.

No database here, so the rules can be checked with numbers worked by hand
(tests/plans/test_status.py) and reused by pages, the API and the export alike.

An indicator has a kind (``IndicatorKind``), which decides its expected value (应达值):

- **cumulative** (累计完成): work that adds up over the plan, "新建公厕1210座". The expected
  value is a glide path, linear between checkpoints: (plan start, baseline), every milestone
  (due, cumulative target) and (deadline, target). Linear rather than stepwise, so a unit that
  has done nothing the day before a milestone already shows as lagging instead of jumping from
  "on track" to "lagging" overnight. The baseline is 0 unless the data gives one.
- **maintained** (保持水平): a level to hold from the plan's start, "道路设施完好率不低于97%". The
  expected value is the target on every day; each measurement is checked against it. It is done
  only when the deadline has passed with the level held (a level is never "done" mid-year).
- **reach-by-date** (限期达到): a level to reach by the deadline from where it stood, "2018年底前
  生活垃圾分类覆盖率达到30%以上". The path runs from the baseline (on ``baseline_on``, else the
  plan start) to the target on the deadline. Without a known baseline the first measurement is
  the baseline (the caller passes its value and date); before it there is no path (None).

Falling indicators (``at_most``, ``eliminate``: lower is better) run the same paths downwards.
Counts (``whole``: 座, 处 …) have whole expected values, rounded towards the target: a rising
1210 × 181 / 273 = 802.23 toilets is 803 (802 would be behind), a falling 5.73 black-odorous
water bodies is 5. For whole values the status is the same as against the unrounded path.

Status (`ProgressStatus`):
- done: the latest value meets the final target (≥, ≤, = or 0 for eliminate); for a maintained
  level, from the day after the deadline;
- overdue: the deadline has passed (the day after it) and the target is not met;
- not_started: no value yet and the deadline has not passed;
- on_track: the latest value is at least as good as the expected value;
- lagging: otherwise.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
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


class IndicatorKind(models.TextChoices):
    CUMULATIVE = "cumulative", _("累计完成")
    MAINTAINED = "maintained", _("保持水平")
    REACH_BY_DATE = "reach_by_date", _("限期达到")


@dataclass(frozen=True)
class Checkpoint:
    due: date
    target: Decimal


@dataclass(frozen=True)
class Target:
    """Everything the plan says about one indicator.

    ``baseline`` is the value on ``baseline_on`` (None: the plan start). A reach-by-date level
    without a known baseline takes its first measurement (value and date) as the baseline.
    """

    direction: str
    target: Decimal
    start: date
    deadline: date
    kind: str = IndicatorKind.CUMULATIVE
    baseline: Decimal | None = None
    baseline_on: date | None = None
    milestones: tuple[Checkpoint, ...] = field(default_factory=tuple)
    whole: bool = False

    @property
    def lower_is_better(self) -> bool:
        return self.direction in FALLING

    @property
    def origin(self) -> Decimal | None:
        """The value the path starts from (None: no path, or none known yet)."""
        if self.kind == IndicatorKind.MAINTAINED:
            return None
        if self.baseline is None and self.kind == IndicatorKind.CUMULATIVE:
            return Decimal(0)
        return self.baseline

    @property
    def path_start(self) -> date:
        return self.baseline_on or self.start


@dataclass(frozen=True)
class Assessment:
    status: ProgressStatus
    expected: Decimal | None  # None: a reach-by-date level whose baseline is not known yet
    completion: Decimal  # 0–100


def _round(value: Decimal, *, whole: bool = False, falling: bool = False) -> Decimal:
    if whole:
        return value.to_integral_value(rounding=ROUND_FLOOR if falling else ROUND_CEILING)
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def target_met(target: Target, value: Decimal) -> bool:
    if target.direction == "at_least":
        return value >= target.target
    if target.direction == "exactly":
        return value == target.target
    return value <= target.target  # at_most, eliminate (target 0)


def _path_needed(target: Target) -> bool:
    """False when there is nothing to move: a maintained level, or a baseline that already meets the target."""
    origin = target.origin
    return origin is not None and not target_met(target, origin)


def checkpoints(target: Target) -> list[Checkpoint]:
    """The glide path's corners, from the path's start to the deadline (empty: no path)."""
    if target.origin is None:
        return []
    begin = target.path_start
    inner = sorted((m for m in target.milestones if begin < m.due < target.deadline), key=lambda m: m.due)
    return [Checkpoint(begin, target.origin), *inner, Checkpoint(target.deadline, target.target)]


def _path_value(target: Target, on: date) -> Decimal:
    corners = checkpoints(target)
    if on <= corners[0].due:
        return corners[0].target
    for left, right in itertools.pairwise(corners):
        if on < right.due:
            share = Decimal((on - left.due).days) / Decimal((right.due - left.due).days)
            return left.target + (right.target - left.target) * share
    return target.target


def expected_value(target: Target, on: date) -> Decimal | None:
    """The value the indicator should have on ``on`` (None: a reach-by-date level without baseline yet)."""
    if target.kind == IndicatorKind.REACH_BY_DATE and target.origin is None:
        return None
    value = _path_value(target, on) if _path_needed(target) else target.target
    return _round(value, whole=target.whole, falling=target.lower_is_better)


def completion_percent(target: Target, value: Decimal | None) -> Decimal:
    """How far along the way from the origin to the target the value is, 0–100
    (a level without a path: 100 when met, else 0)."""
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
    """The status of an indicator whose latest value by ``on`` is ``value`` (None: none yet)."""
    expected = expected_value(target, on)
    completion = completion_percent(target, value)
    met = value is not None and target_met(target, value)
    ended = on > target.deadline
    if met and (ended or target.kind != IndicatorKind.MAINTAINED):
        status = ProgressStatus.DONE
    elif ended:
        status = ProgressStatus.OVERDUE
    elif value is None:
        status = ProgressStatus.NOT_STARTED
    elif expected is None or _on_path(target, value, expected):
        status = ProgressStatus.ON_TRACK
    else:
        status = ProgressStatus.LAGGING
    return Assessment(status=status, expected=expected, completion=completion)


def share_percent(*, met: int, counted: int) -> Decimal | None:
    """``met`` of ``counted`` as a percentage with two decimals (None: nothing counted)."""
    if counted == 0:
        return None
    return _round(Decimal(met) * HUNDRED / Decimal(counted))


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
