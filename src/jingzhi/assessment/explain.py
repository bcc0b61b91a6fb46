"""How a stored score explains itself on the pages: the kind's terms (value, 分值, weight) and every
rate of the scheme as numerator and denominator counters, each counter naming the list of rows it
counted (the drill-down). Pure: reads the stored result and its scheme file, no table."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .counting import BACKLOG_COUNTERS, COUNTER_FAMILY
from .models import Result
from .scheme import scheme_load
from .sources import source_records_url

#: What each counter counts, as the pages name it (definitions: docs/assessment.md, counting.py).
COUNTER_LABELS = {
    "reports": _("上报数"), "valid_reports": _("有效上报数"), "public_reports": _("公众举报数"),
    "filed": _("立案数"), "filed_on_time": _("按时立案数"), "filed_voided": _("立案后作废数"),
    "closed": _("结案数"), "fixed": _("解决数"), "closed_on_time": _("按期结案数"), "reworked": _("返工数"),
    "rated": _("回访评价数"), "satisfied": _("满意数"),
    "handled": _("处置反馈数"), "handled_on_time": _("按期处置数"),
    "confirmed": _("核实数"), "confirmed_on_time": _("按时核实数"), "public_confirmed": _("核实属实的公众举报数"),
    "confirm_assigned": _("派发核实数"), "confirm_assigned_on_time": _("按时派发核实数"),
    "verify_assigned": _("派发核查数"), "verify_assigned_on_time": _("按时派发核查数"),
    "verified": _("核查数"), "verified_on_time": _("按时核查数"), "intake_decisions": _("受理数"),
    "dispatched": _("派遣数"), "dispatched_on_time": _("按时派遣数"), "returned": _("派遣后退回数"),
    "closings": _("结案操作数"), "closings_on_time": _("按时结案操作数"),
    "overdue": _("超期未办结数"), "grids": _("万米单元网格数"),
}


def counter_drillable(counter: str) -> bool:
    """Whether a counter has a list of rows behind it (``grids`` counts the area's map cells)."""
    return counter in COUNTER_FAMILY or counter in BACKLOG_COUNTERS


@dataclass(frozen=True)
class Count:
    code: str
    label: str
    value: float
    sign: int = 1  # -1: subtracted in the rate's numerator or denominator

    @property
    def drillable(self) -> bool:
        return counter_drillable(self.code)


@dataclass(frozen=True)
class Line:
    """One scored item or rate of a result."""

    code: str
    name: str
    value: float | None  # a rate 0..1, or a count score
    is_rate: bool
    lower_is_better: bool = False
    numerator: tuple[Count, ...] = ()
    denominator: tuple[Count, ...] = ()
    weight: float | None = None  # in the composite (percent), None: not a term of the kind
    effective_weight: float | None = None
    score: float | None = None
    records_url: str = ""  # a term another app measures: where its records are listed


def _counts(result: Result, names: tuple[str, ...]) -> tuple[Count, ...]:
    counts = []
    for name in names:
        sign, code = (-1, name[1:]) if name.startswith("-") else (1, name)
        counts.append(Count(code, str(COUNTER_LABELS.get(code, code)), result.counters.get(code, 0), sign))
    return tuple(counts)


def result_lines(result: Result) -> tuple[list[Line], list[Line]]:
    """(the kind's terms in the scheme's order, the other rates that have a value)."""
    scheme = scheme_load(result.assessment.scheme_version)

    def line(code: str, **term) -> Line:
        if code in scheme.indicators:
            indicator = scheme.indicators[code]
            return Line(code, indicator.name, result.rates.get(code), True, indicator.lower_is_better,
                        _counts(result, indicator.numerator), _counts(result, indicator.denominator), **term)
        if code in scheme.source_scores:  # measured by another app (e.g. 检查考核得分): its records are there
            url = source_records_url(scheme=scheme, code=code, unit_id=result.unit_id, start=result.assessment.start,
                                     end=result.assessment.end) if result.unit_id else ""
            return Line(code, scheme.source_scores[code].name, term.get("score"), False, records_url=url, **term)
        spec = scheme.count_scores[code]
        return Line(code, spec.name, term.get("score"), False,
                    numerator=_counts(result, (spec.counter,)),
                    denominator=_counts(result, (spec.per,)) if spec.per else (), **term)

    terms = []
    for term in scheme.kinds[result.kind].terms:
        stored = result.terms.get(term.score, {})
        terms.append(line(term.score, weight=term.weight, effective_weight=stored.get("effective_weight"),
                          score=stored.get("score")))
    in_terms = {line.code for line in terms}
    others = [line(code) for code in scheme.indicators if code not in in_terms and result.rates.get(code) is not None]
    return terms, others


def result_counts(result: Result) -> list[Count]:
    """Every counter of the result, in the order of ``COUNTER_LABELS``."""
    return [Count(code, str(label), result.counters[code]) for code, label in COUNTER_LABELS.items()
            if code in result.counters]
