"""The scoring core of an inspection: recorded values → each item passed or failed → score → passed.

Pure: takes a ``checklists.Template``, the recorded values and the asset's attributes; reads no
table, so every result can be worked by hand in a test (tests/inspections/test_scoring.py).

Rules (docs/inspections.md):
- a ``check`` passes when recorded true (合格);
- a ``measure`` passes when the number holds against its limit (≤ for at_most, ≥ for at_least);
- a ``ratio`` is numerator ÷ denominator (intact ÷ all, lit ÷ should be lit), against its limit;
- a ``samples`` item: each point is net grams ÷ frame area (g/m²); the item's figure is the
  template's aggregate of its points (mean, or median), against its limit. For 以克论净 each lane
  class is one item, so the road passes when every lane class it has is within its limit;
- an optional item left empty is not applicable: it counts neither way;
- score = 100 × points of passed items ÷ points of applicable items, to one decimal (half up);
  the inspection passes when the score reaches the template's ``pass_score``.
Limits are compared with the unrounded figure: 5.004 g/m² fails a limit of 5.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .checklists import Item, Template

#: Bounds of what an inspector may record (a typo must not make a plausible number).
MAX_VALUE = Decimal(1_000_000)
MAX_SAMPLES = 50
TENTH = Decimal("0.1")


class ItemValueError(ValueError):
    """A recorded value the item cannot take; ``field`` is the item code (or ``results``)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


@dataclass(frozen=True)
class ItemOutcome:
    code: str
    passed: bool | None  # None: not applicable (an optional item left empty)
    figure: Decimal | None = None  # the measured number, ratio or aggregate compared with the limit
    bound: Decimal | None = None  # the limit that applied
    points: tuple[Decimal, ...] = ()  # samples: each point's g/m²


@dataclass(frozen=True)
class Evaluation:
    items: tuple[ItemOutcome, ...]
    score: Decimal
    passed: bool

    @property
    def failed(self) -> tuple[ItemOutcome, ...]:
        return tuple(item for item in self.items if item.passed is False)


def _number(value, field: str, *, positive: bool = False) -> Decimal:
    if isinstance(value, bool):
        raise ItemValueError(field, _("请填写数字。"))
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as error:
        raise ItemValueError(field, _("请填写数字。")) from error
    if not number.is_finite() or number < 0 or number > MAX_VALUE or (positive and number == 0):
        raise ItemValueError(field, _("数值须大于 0 且不超过 %(most)s。") % {"most": MAX_VALUE} if positive
                             else _("数值须在 0 到 %(most)s 之间。") % {"most": MAX_VALUE})
    return number


def figure_text(number: Decimal) -> str:
    """A figure as people write it, to two decimals without trailing zeros: 7.5, 0.97, 5."""
    return format(number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize(), "f")


def aggregate(values: list[Decimal], how: str) -> Decimal:
    """The mean or the median of the points (the median of an even count: mean of the middle two)."""
    if how == "median":
        ordered, middle = sorted(values), len(values) // 2
        return ordered[middle] if len(values) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return sum(values, Decimal(0)) / len(values)


def _sample_points(item: Item, value) -> tuple[Decimal, ...]:
    if not isinstance(value, list) or len(value) > MAX_SAMPLES:
        raise ItemValueError(item.code, _("采样点须是列表，最多 %(most)s 个。") % {"most": MAX_SAMPLES})
    points = []
    for sample in value:
        if not isinstance(sample, Mapping) or "net_g" not in sample:
            raise ItemValueError(item.code, _("每个采样点须填写净重（克）。"))
        grams = _number(sample["net_g"], item.code)
        area = _number(sample.get("frame_m2", 1), item.code, positive=True)
        points.append(grams / area)
    return tuple(points)


def _is_empty(item: Item, value) -> bool:
    return value is None or value == "" or (item.kind == "samples" and value == [])


def item_evaluate(template: Template, item: Item, value, *, attributes: Mapping | None = None) -> ItemOutcome:
    """One item's outcome from its recorded value; ``ItemValueError`` when the value cannot be."""
    if _is_empty(item, value):
        if item.optional:
            return ItemOutcome(code=item.code, passed=None)
        raise ItemValueError(item.code, _("“%(label)s”为必填项。") % {"label": item.label})
    if item.kind == "check":
        if not isinstance(value, bool):
            raise ItemValueError(item.code, _("请选择合格或不合格。"))
        return ItemOutcome(code=item.code, passed=value)
    points: tuple[Decimal, ...] = ()
    if item.kind == "measure":
        figure = _number(value, item.code)
    elif item.kind == "ratio":
        if not isinstance(value, Mapping):
            raise ItemValueError(item.code, _("请填写分子和分母。"))
        numerator = _number(value.get("numerator"), item.code)
        denominator = _number(value.get("denominator"), item.code, positive=True)
        if numerator > denominator:
            raise ItemValueError(item.code, _("分子不能大于分母。"))
        figure = numerator / denominator
    else:
        points = _sample_points(item, value)
        if not points:
            raise ItemValueError(item.code, _("“%(label)s”为必填项。") % {"label": item.label})
        figure = aggregate(list(points), template.aggregate)
    bound = item.limit.bound(dict(attributes or {}))
    return ItemOutcome(code=item.code, passed=item.limit.holds(figure, bound), figure=figure, bound=bound,
                       points=points)


def inspection_evaluate(template: Template, values: Mapping, *, attributes: Mapping | None = None) -> Evaluation:
    """Every item's outcome, the score and whether the inspection passed.

    ``values``: item code → recorded value (items not given are empty). Unknown codes are refused.
    """
    unknown = sorted(set(values) - {item.code for item in template.items})
    if unknown:
        raise ItemValueError("results", _("模板中没有这些检查项：%(codes)s") % {"codes": "、".join(unknown)})
    outcomes = tuple(item_evaluate(template, item, values.get(item.code), attributes=attributes)
                     for item in template.items)
    sampled = sum(len(outcome.points) for outcome in outcomes)
    if template.min_samples and sampled < template.min_samples:
        raise ItemValueError("results", _("至少需要 %(least)s 个采样点，本次只有 %(count)s 个。") % {
            "least": template.min_samples, "count": sampled})
    weights = {item.code: item.points for item in template.items}
    applicable = sum(weights[outcome.code] for outcome in outcomes if outcome.passed is not None)
    if not applicable:
        raise ItemValueError("results", _("至少需要填写一个检查项。"))
    earned = sum(weights[outcome.code] for outcome in outcomes if outcome.passed)
    score = (Decimal(100) * earned / applicable).quantize(TENTH, rounding=ROUND_HALF_UP)
    return Evaluation(items=outcomes, score=score, passed=score >= template.pass_score)
