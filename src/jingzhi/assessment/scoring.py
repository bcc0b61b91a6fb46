"""The scoring core: counters → rates → 分值 → weighted composite → grade → ranking within a kind.

Pure: takes counter dictionaries (what ``counting`` aggregated in SQL) and a ``scheme.Scheme``,
reads no table, so every number of an assessment can be worked by hand in a test.

Rules (docs/assessment.md):
- a rate is clamped to [0, 1]; with a zero denominator it is ``None`` (nothing to measure);
- a term whose value is ``None`` is dropped and the remaining weights rescaled to 100 %;
  with no term left the unit has no composite;
- ranking: units whose volume is under ``min_volume`` or who have no composite are listed
  but not ranked; the others are ordered by their composite rounded to ``precision`` decimals,
  best first; equal rounded composites share a rank and the next rank skips (1, 2, 2, 4);
  within a tie the list shows the larger volume first, then the name.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .scheme import CountScore, Indicator, Scheme


def _sum(counters: Mapping[str, float], names: Iterable[str]) -> float:
    total = 0.0
    for name in names:
        sign, name = (-1, name[1:]) if name.startswith("-") else (1, name)
        total += sign * counters.get(name, 0)
    return total


def rate_value(indicator: Indicator, counters: Mapping[str, float]) -> float | None:
    """The rate in [0, 1], or None when its denominator is 0."""
    denominator = _sum(counters, indicator.denominator)
    if denominator <= 0:
        return None
    return min(1.0, max(0.0, _sum(counters, indicator.numerator) / denominator))


def count_score_value(spec: CountScore, counters: Mapping[str, float]) -> float | None:
    """The band score of a count (per another counter if the scheme says so), or None."""
    value = float(counters.get(spec.counter, 0))
    if spec.per:
        per = counters.get(spec.per, 0)
        if not per:
            return None
        value /= per
    return next((band.score for band in spec.bands if band.holds(value)), 0.0)


@dataclass(frozen=True)
class TermResult:
    code: str
    name: str
    weight: float  # as in the scheme, percent
    value: float | None  # the rate (0..1) or the band score
    score: float | None  # 分值 0..100
    effective_weight: float  # after rescaling for dropped terms, percent


@dataclass(frozen=True)
class UnitScore:
    composite: float | None
    grade: str
    terms: tuple[TermResult, ...]
    rates: dict[str, float | None] = field(default_factory=dict)


def term_value(scheme: Scheme, code: str, counters: Mapping[str, float]) -> tuple[float | None, float | None]:
    """(value, 分值) of one scored item: a rate and its score, or a count or source score twice
    (a source score, e.g. 检查考核得分, sits in ``counters`` under its code, clamped to 0–100)."""
    if code in scheme.source_scores:
        value = counters.get(code)
        return (None, None) if value is None else (min(100.0, max(0.0, float(value))),) * 2
    if code in scheme.indicators:
        indicator = scheme.indicators[code]
        value = rate_value(indicator, counters)
        if value is None:
            return None, None
        return value, (1 - value) * 100 if indicator.lower_is_better else value * 100
    score = count_score_value(scheme.count_scores[code], counters)
    return score, score


def grade_of(scheme: Scheme, composite: float | None) -> str:
    if composite is None:
        return ""
    return next(grade for grade, minimum in scheme.grades if composite >= minimum)


def unit_score(scheme: Scheme, kind: str, counters: Mapping[str, float]) -> UnitScore:
    """Every rate of the scheme, the kind's weighted composite and its grade."""
    raw = [(term, *term_value(scheme, term.score, counters)) for term in scheme.kinds[kind].terms]
    kept = sum(term.weight for term, _value, score in raw if score is not None)
    terms = tuple(
        TermResult(code=term.score, name=scheme.score_name(term.score), weight=term.weight, value=value,
                   score=score, effective_weight=(term.weight * 100 / kept) if score is not None else 0.0)
        for term, value, score in raw
    )
    composite = (sum(t.score * t.effective_weight for t in terms if t.score is not None) / 100) if kept else None
    rates = {code: rate_value(indicator, counters) for code, indicator in scheme.indicators.items()}
    return UnitScore(composite=composite, grade=grade_of(scheme, composite), terms=terms, rates=rates)


@dataclass(frozen=True)
class Candidate:
    key: str  # the unit's identity, e.g. "unit:12" or "user:7"
    name: str
    volume: float
    composite: float | None


@dataclass(frozen=True)
class Placed:
    key: str
    rank: int | None  # None: listed, not ranked
    reason: str  # why not ranked: "" | "volume" | "no_score"


def rank(scheme: Scheme, candidates: Iterable[Candidate]) -> list[Placed]:
    """The ranking of one kind, ranked units first (ties share a rank), then the unranked."""
    ranked, unranked = [], []
    for candidate in candidates:
        if candidate.composite is None:
            unranked.append((candidate, "no_score"))
        elif candidate.volume < scheme.min_volume:
            unranked.append((candidate, "volume"))
        else:
            ranked.append(candidate)
    ranked.sort(key=lambda c: (-round(c.composite, scheme.precision), -c.volume, c.name))
    placed, previous, current = [], None, 0
    for position, candidate in enumerate(ranked, start=1):
        rounded = round(candidate.composite, scheme.precision)
        if rounded != previous:
            current, previous = position, rounded
        placed.append(Placed(key=candidate.key, rank=current, reason=""))
    unranked.sort(key=lambda item: (-item[0].volume, item[0].name))
    placed += [Placed(key=candidate.key, rank=None, reason=reason) for candidate, reason in unranked]
    return placed
