"""Live indicators: values the platform computes from its own records instead of a typed report.

Where the platform itself records what an indicator measures (the 双十 arrivals of street-vending
cases, the small-ad cases, the registries of toilets and bins, the inspections), the value is
computed, never typed, and the records behind it are one click away. ``plans`` imports no app above
it: an app that owns such records registers a ``LiveSource`` here from its ``AppConfig.ready()``
(the case loop: ``cases.plan_sources``; the registries: ``assets.plan_sources``; the inspections:
``inspections.plan_sources``), and an indicator names its source by ``Indicator.source``.

A source counts records for a window (``start`` to ``end``, both inclusive) and says what its value
is (``LiveMeasure``):

- **share**: the share of the counted records that meets the standard, in % (双十, 一类公厕占比);
- **count**: how many records were counted, or what they add up to (``LiveCount.quantity``: the
  spaces of the new parking lots): 新建公厕 1210 座, 新建公共停车泊位 5 万个;
- **mean**: what the counted records measure on average (``quantity / counted``): 以克论净 积尘 g/m².

and what the window means (``LiveBasis``): the records of the **period** (cases reported, toilets
built, roads inspected from ``start`` to ``end``), or the state **on the date** ``end`` (the
toilets that exist then and their class then; ``start`` is ignored). A state on a date also gives a
reach-by-date indicator its baseline: the value on the plan's first day (``selectors``).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .status import share_percent


class LiveMeasure(models.TextChoices):
    SHARE = "share", _("达标占比")
    COUNT = "count", _("数量")
    MEAN = "mean", _("平均值")


class LiveBasis(models.TextChoices):
    PERIOD = "period", _("期间内的记录")
    ON_DATE = "on_date", _("截至日期的状态")


@dataclass(frozen=True)
class LiveCount:
    """What a source counted for a window, and where each set of records is listed.

    ``met`` and its lists only mean something for a share or a mean (a count has no standard to
    meet: ``met`` equals ``counted`` and the met/missed lists are blank)."""

    counted: int
    met: int
    counted_url: str
    met_url: str = ""
    missed_url: str = ""
    quantity: Decimal | None = None  # what the records add up to, when the value is not their number


@dataclass(frozen=True)
class LiveSource:
    key: str
    label: str  # what is counted and what meets the standard, shown beside every value
    unit: str  # the unit of measure of the value: "%" for a share, the indicator's unit otherwise
    count: Callable[..., LiveCount]  # count(start=date, end=date) → LiveCount
    measure: str = LiveMeasure.SHARE
    basis: str = LiveBasis.PERIOD
    #: How one record is counted on the page (a measure word, pgettext "量词"): 件 cases, 座 toilets, 次 inspections.
    noun: str = pgettext_lazy("量词", "件")


@dataclass(frozen=True)
class LiveValue:
    source: LiveSource
    start: date
    end: date
    count: LiveCount

    @property
    def value(self) -> Decimal | None:
        """The source's value (None: a share or mean of nothing)."""
        count = self.count
        if self.source.measure == LiveMeasure.COUNT:
            return Decimal(count.counted) if count.quantity is None else count.quantity
        if self.source.measure == LiveMeasure.MEAN:
            if count.counted == 0:
                return None
            return (count.quantity / count.counted).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return share_percent(met=count.met, counted=count.counted)

    @property
    def on_date(self) -> bool:
        return self.source.basis == LiveBasis.ON_DATE

    @property
    def has_standard(self) -> bool:
        """Whether the counted records split into met and missed (a share or a mean)."""
        return self.source.measure != LiveMeasure.COUNT


_SOURCES: dict[str, LiveSource] = {}


def live_source_register(source: LiveSource) -> None:
    """Called by the app that owns the records (once, from its ``AppConfig.ready``)."""
    _SOURCES[source.key] = source


def live_source_get(key: str) -> LiveSource | None:
    return _SOURCES.get(key)


def live_source_keys() -> list[str]:
    return sorted(_SOURCES)


def live_value(*, key: str, start: date, end: date) -> LiveValue | None:
    """The source's value for the window ``start``–``end`` (None: no such source)."""
    source = _SOURCES.get(key)
    if source is None:
        return None
    return LiveValue(source=source, start=start, end=end, count=source.count(start=start, end=end))
