"""The assessment scheme (评价方案) as data: ``data/assessment/<version>.yaml``.

Definitions, weights, grade bands and the ranking rule are read from the file, never coded, so a
changed scheme is a new version and results computed with an older one keep saying which. A
period is assessed with the version in force on its first day (``scheme_in_force``), so adopting
new rules is adding a file with a later ``effective_from``, and a month recomputed later is still
assessed by its own month's rules. A new version may name the one it ``extends`` and state only
what it changes. Pure: reads files, touches no table.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings

SCHEME_DIR = Path(settings.DATA_DIR) / "assessment"
#: The mappings of a scheme file an extending version merges code by code (the rest it replaces whole).
MERGED_SECTIONS = ("indicators", "count_scores", "source_scores", "kinds")


class SchemeError(ValueError):
    """The scheme file contradicts itself (unknown counter, weights not summing to 100 …)."""


@dataclass(frozen=True)
class Indicator:
    """A rate: sum of numerator counters over sum of denominator counters ("-name" subtracts)."""

    code: str
    name: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    lower_is_better: bool = False


@dataclass(frozen=True)
class Band:
    op: str  # at_least | at_most | below
    bound: float
    score: float

    def holds(self, value: float) -> bool:
        return {"at_least": value >= self.bound, "at_most": value <= self.bound,
                "below": value < self.bound}[self.op]


@dataclass(frozen=True)
class CountScore:
    """分值 of a count by bands (e.g. 受理数分值), optionally per another counter (per grid)."""

    code: str
    name: str
    counter: str
    bands: tuple[Band, ...]
    per: str = ""


@dataclass(frozen=True)
class SourceScore:
    """A score 0–100 another app measures (``sources.ScoreSource``), e.g. 检查考核得分 per district."""

    code: str
    name: str
    source: str  # the registered source's key


@dataclass(frozen=True)
class Term:
    score: str  # an Indicator, CountScore or SourceScore code
    weight: float


@dataclass(frozen=True)
class Kind:
    """What is assessed together and ranked together (districts with districts …)."""

    code: str
    name: str
    volume: str
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Scheme:
    version: str
    title: str
    effective_from: dt.date
    grades: tuple[tuple[str, float], ...]
    min_volume: int
    precision: int
    indicators: dict[str, Indicator]
    count_scores: dict[str, CountScore]
    kinds: dict[str, Kind]
    source_scores: dict[str, SourceScore] = field(default_factory=dict)

    def score_name(self, code: str) -> str:
        item = self.indicators.get(code) or self.count_scores.get(code) or self.source_scores[code]
        return item.name


def _terms(values) -> tuple[str, ...]:
    return tuple(str(value) for value in values)


def scheme_parse(raw: dict) -> Scheme:
    """A ``Scheme`` from the YAML mapping; ``SchemeError`` when it does not hold together."""
    indicators = {
        code: Indicator(code=code, name=spec["name"], numerator=_terms(spec["numerator"]),
                        denominator=_terms(spec["denominator"]), lower_is_better=bool(spec.get("lower_is_better")))
        for code, spec in raw["indicators"].items()
    }
    count_scores = {}
    for code, spec in raw["count_scores"].items():
        bands = []
        for band in spec["bands"]:
            (op,) = [key for key in band if key != "score"]
            bands.append(Band(op=op, bound=float(band[op]), score=float(band["score"])))
        count_scores[code] = CountScore(code=code, name=spec["name"], counter=spec["counter"],
                                        bands=tuple(bands), per=spec.get("per", ""))
    source_scores = {code: SourceScore(code=code, name=spec["name"], source=spec["source"])
                     for code, spec in (raw.get("source_scores") or {}).items()}
    known = {*indicators, *count_scores, *source_scores}
    kinds = {}
    for code, spec in raw["kinds"].items():
        terms = tuple(Term(score=term["score"], weight=float(term["weight"])) for term in spec["terms"])
        unknown = [term.score for term in terms if term.score not in known]
        if unknown:
            raise SchemeError(f"{code}: unknown scores {unknown}")
        if abs(sum(term.weight for term in terms) - 100) > 1e-9:
            raise SchemeError(f"{code}: weights sum to {sum(term.weight for term in terms)}, not 100")
        kinds[code] = Kind(code=code, name=spec["name"], volume=spec["volume"], terms=terms)
    grades = tuple((item["grade"], float(item["min"])) for item in raw["grades"])
    if [minimum for _grade, minimum in grades] != sorted((minimum for _grade, minimum in grades), reverse=True):
        raise SchemeError("grades must go from the highest minimum down")
    effective_from = raw["effective_from"]
    if not isinstance(effective_from, dt.date):
        raise SchemeError(f"effective_from {effective_from!r} is not a date (YYYY-MM-DD)")
    return Scheme(version=str(raw["version"]), title=raw["title"], effective_from=effective_from, grades=grades,
                  min_volume=int(raw["ranking"]["min_volume"]), precision=int(raw["ranking"]["precision"]),
                  indicators=indicators, count_scores=count_scores, kinds=kinds, source_scores=source_scores)


def _raw(version: str, *, seen: tuple[str, ...] = ()) -> dict:
    """The mapping of ``version``'s file, with the version it ``extends`` filled in underneath."""
    path = SCHEME_DIR / f"{version}.yaml"
    if not path.is_file() or "/" in version:
        raise SchemeError(f"no assessment scheme {version!r}")
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    if str(raw.get("version")) != version:
        raise SchemeError(f"{path.name} says version {raw.get('version')}")
    base = raw.pop("extends", None)
    if base is None:
        return raw
    if str(base) in (*seen, version):
        raise SchemeError(f"{version} extends itself through {base}")
    merged = _raw(str(base), seen=(*seen, version))
    for key, value in raw.items():
        merged[key] = {**(merged.get(key) or {}), **value} if key in MERGED_SECTIONS else value
    return merged


@functools.cache
def scheme_load(version: str) -> Scheme:
    """The scheme of ``version`` from its file (cached: a version's file never changes)."""
    return scheme_parse(_raw(version))


@functools.cache
def scheme_versions() -> tuple[Scheme, ...]:
    """Every shipped version, oldest in force first."""
    schemes = [scheme_load(path.stem) for path in SCHEME_DIR.glob("*.yaml")]
    return tuple(sorted(schemes, key=lambda scheme: (scheme.effective_from, scheme.version)))


def scheme_in_force(day: dt.date) -> Scheme:
    """The version a period starting on ``day`` is assessed with: the latest in force on that day;
    a period before the first version takes the first (there were no other rules to keep)."""
    versions = scheme_versions()
    in_force = [scheme for scheme in versions if scheme.effective_from <= day]
    return in_force[-1] if in_force else versions[0]
