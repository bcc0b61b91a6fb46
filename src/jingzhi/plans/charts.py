"""A small trend chart of an indicator, drawn on the server as inline SVG geometry.

The page needs one sparkline per indicator: reported values, the expected path and
the target line. Computing the coordinates here keeps the template a plain SVG and
the browser free of chart libraries.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .selectors import IndicatorState
from .status import checkpoints

WIDTH, HEIGHT, PAD = 240, 64, 6


@dataclass(frozen=True)
class Trend:
    width: int
    height: int
    reported: str        # polyline points of the reports
    dots: list[tuple[float, float, str]]
    expected: str        # polyline points of the expected path (empty when there is none)
    target_y: float
    today_x: float | None


def _scale(low, high, size, value) -> float:
    if high == low:
        return size / 2
    return round(PAD + (float(value) - float(low)) / (float(high) - float(low)) * (size - 2 * PAD), 1)


def trend_chart(state: IndicatorState, *, on: date) -> Trend:
    target = state.target
    corners = checkpoints(target)
    start, end = target.start, max([target.deadline, *(r.measured_on for r in state.reports)])
    values = [r.value for r in state.reports] + [c.target for c in corners] + [target.target, Decimal(0)]
    low, high = min(values), max(values)

    def x(day: date) -> float:
        return _scale(start.toordinal(), end.toordinal(), WIDTH, day.toordinal())

    def y(value) -> float:
        return round(HEIGHT - _scale(low, high, HEIGHT, value), 1)

    dots = [(x(r.measured_on), y(r.value), f"{r.measured_on:%Y-%m-%d}：{r.value.normalize():f}") for r in state.reports]
    return Trend(
        width=WIDTH, height=HEIGHT,
        reported=" ".join(f"{dx},{dy}" for dx, dy, _ in dots),
        dots=dots,
        expected=" ".join(f"{x(c.due)},{y(c.target)}" for c in corners),
        target_y=y(target.target),
        today_x=x(on) if start <= on <= end else None,
    )
