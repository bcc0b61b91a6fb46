"""Term sources: scores measured outside the case loop that a scheme version may weight.

A scheme file names them under ``source_scores`` (``inspection_score: {name: 检查考核得分, source:
inspections.district_score}``) and weights them in a kind's terms like any indicator, so whether and
how much an inspection score counts is data of a scheme version, not code. ``assessment`` imports no
app above it: the app that owns the records registers a ``ScoreSource`` here from its
``AppConfig.ready`` (``inspections.apps``), as ``plans.live`` takes live indicator sources.

A source gives each unit of a kind a score 0–100 over a period; a unit it does not score has no
value, and the term is dropped for it (the remaining weights rescaled, as for a rate with no
denominator).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from .scheme import Scheme


@dataclass(frozen=True)
class ScoreSource:
    key: str
    label: str
    #: scores(kind=, start=date, end=date) → {unit id: score 0–100} over [start, end) (a ``Period``'s dates).
    scores: Callable[..., dict[int, float]]
    #: records_url(unit_id=, start=date, end=date) → the page listing the records a unit's score is the
    #: mean of, over [start, end), so the term explains itself like a counter; "" when there is none.
    records_url: Callable[..., str] | None = None


_SOURCES: dict[str, ScoreSource] = {}


def score_source_register(source: ScoreSource) -> None:
    """Called by the app that owns the records (once, from its ``AppConfig.ready``)."""
    _SOURCES[source.key] = source


def score_source_get(key: str) -> ScoreSource | None:
    return _SOURCES.get(key)


def source_records_url(*, scheme: Scheme, code: str, unit_id: int, start: dt.date, end: dt.date) -> str:
    """Where the records behind a unit's source score are listed ("" if the source lists none)."""
    source = _SOURCES.get(scheme.source_scores[code].source)
    if source is None or source.records_url is None:
        return ""
    return source.records_url(unit_id=unit_id, start=start, end=end)


def source_scores_merge(*, scheme: Scheme, kind: str, counters: dict[int, dict], start: dt.date,
                        end: dt.date) -> dict[int, dict]:
    """A copy of ``counters`` with each source score the kind's terms use, under the term's code, computed
    over the whole period (a quarter's score is the quarter's, never a sum of months). A term whose
    source is not installed gives no value."""
    codes = {term.score for term in scheme.kinds[kind].terms} & set(scheme.source_scores)
    if not codes:
        return counters
    counters = {unit_id: {name: value for name, value in values.items() if name not in scheme.source_scores}
                for unit_id, values in counters.items()}
    for code in codes:
        source = _SOURCES.get(scheme.source_scores[code].source)
        if source is None:
            continue
        for unit_id, score in source.scores(kind=kind, start=start, end=end).items():
            counters.setdefault(unit_id, {})[code] = float(score)
    return counters
