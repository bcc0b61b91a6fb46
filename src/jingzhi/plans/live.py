"""Live indicators: values the platform computes from its own records instead of a typed report.

Where the platform itself records what an indicator measures (the 双十 arrivals of street-vending
cases, the small-ad cases), the value is computed, never typed, and the records behind it are one
click away. ``plans`` imports no app above it: an app that records such things registers a
``LiveSource`` here from its ``AppConfig.ready()`` (the case loop: ``cases.plan_sources``), and an
indicator names its source by ``Indicator.source``. Later registries and inspections plug in
the same way.

A source counts the records of a window (reported from ``start`` to ``end``, both inclusive) and
the share of them that meets the standard; ``status.share_percent`` turns the counts into the value.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .status import share_percent


@dataclass(frozen=True)
class LiveCount:
    """What a source counted in a window, and where each set of records is listed."""

    counted: int
    met: int
    counted_url: str
    met_url: str
    missed_url: str


@dataclass(frozen=True)
class LiveSource:
    key: str
    label: str  # what is counted and what meets the standard, shown beside every value
    unit: str  # the unit of measure of the value ("%")
    count: Callable[..., LiveCount]  # count(start=date, end=date) → LiveCount


@dataclass(frozen=True)
class LiveValue:
    source: LiveSource
    start: date
    end: date
    count: LiveCount

    @property
    def value(self) -> Decimal | None:
        """The share met, in %; None when the window holds no record to count."""
        return share_percent(met=self.count.met, counted=self.count.counted)


_SOURCES: dict[str, LiveSource] = {}


def live_source_register(source: LiveSource) -> None:
    """Called by the app that owns the records (once, from its ``AppConfig.ready``)."""
    _SOURCES[source.key] = source


def live_source_get(key: str) -> LiveSource | None:
    return _SOURCES.get(key)


def live_source_keys() -> list[str]:
    return sorted(_SOURCES)


def live_value(*, key: str, start: date, end: date) -> LiveValue | None:
    """The source's value over the records reported from ``start`` to ``end`` (None: no such source)."""
    source = _SOURCES.get(key)
    if source is None:
        return None
    return LiveValue(source=source, start=start, end=end, count=source.count(start=start, end=end))
