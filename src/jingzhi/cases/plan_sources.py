"""Case records that measure work-plan indicators, registered as ``plans.live`` sources.

The case loop records what three of the 2018 plan's indicators measure, so their values are
computed from the cases, never typed (docs/plans.md, "Live indicators"):

- ``double_ten`` (task 10, 双十标准): street-vending cases (the categories whose on-site steps
  are the 双十 pair: a manager within 10 minutes, an officer within another 10). Counted: a case
  reported in the window whose first arrival is decided (recorded, or its due time passed).
  Met: no on-site step was late: every recorded arrival was in time, and no step went unrecorded
  past its due time while the department still worked the case (the officer's step is only due
  when persuasion failed; a case handled before it fell due did not need one).
- ``small_ad_cleaning`` (task 20, 清理率 ≥ 95 %): 0201 非法小广告 (乱张贴、乱涂写、乱刻画).
- ``small_ad_solving`` (task 20, 破案率 ≥ 80 %): 0204 街头散发广告, where the violation is the act
  of distributing; solved when the act was stopped and dealt with.
  For both: counted, a case reported in the window that was filed (立案) or closed on the spot
  (自处理); met, a case closed as fixed (结案 with outcome ``fixed``: the inspector verified the
  result). A case closed without fixing (e.g. 暂不具备处置条件) counts but is not met.

Each measure is also a filter of the case search (``measure``, ``measure_outcome``), so a value's
records are one click away and the list holds exactly the cases counted.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingzhi.plans.live import LiveCount, LiveSource, live_source_register

from .models import Case, CaseEvent, Category, OnSiteStep, Outcome
from .workflow import CaseAction, State

#: The 双十 standard as the catalogue writes it: two arrivals of 10 natural minutes each.
DOUBLE_TEN_STEPS = ((10, "natural_minutes"), (10, "natural_minutes"))
SMALL_AD_POSTED = "0201"  # 非法小广告：乱张贴、乱涂写、乱刻画
SMALL_AD_HANDED_OUT = "0204"  # 街头散发广告
#: States of a case never filed: still in intake, refused, merged or voided.
NOT_FILED = (State.REPORTED, State.SELF_HANDLED, State.CONFIRMING, State.ACCEPTED, State.REJECTED, State.VOIDED)


class MeasureOutcome:
    """Which of a measure's counted cases the search lists (not a case's ``models.Outcome``)."""

    MET = "met"
    MISSED = "missed"
    CHOICES = [("", _("全部计入")), (MET, _("达标")), (MISSED, _("未达标"))]


@dataclass(frozen=True)
class CaseMeasure:
    key: str
    label: str  # the search filter's choice
    explanation: str  # what a live value computed from it says it is (pages and API)
    counted: Callable[[QuerySet, dt.datetime], QuerySet]  # the cases counted, from any case queryset
    met: Callable[[dt.datetime], Q]  # the condition a counted case meets


def is_double_ten(steps: list[dict]) -> bool:
    return tuple((step["value"], step["unit"]) for step in steps) == DOUBLE_TEN_STEPS


def double_ten_category_ids() -> list[int]:
    categories = Category.objects.only("pk", "on_site_steps")
    return [category.pk for category in categories if is_double_ten(category.on_site_steps)]


def _double_ten_counted(cases: QuerySet, now: dt.datetime) -> QuerySet:
    decided = OnSiteStep.objects.filter(case=OuterRef("pk"), order=1).filter(
        Q(arrived_at__isnull=False) | Q(due_at__lt=now))
    return cases.filter(category_id__in=double_ten_category_ids()).filter(Exists(decided))


def _double_ten_met(now: dt.datetime) -> Q:
    # The steps are reset at each dispatch: the clock of the current steps stops at the first
    # 处置反馈 after the latest dispatch (or runs to now while the department still works).
    dispatched = (CaseEvent.objects.filter(case=OuterRef(OuterRef("case")), action=CaseAction.DISPATCH)
                  .order_by("-created_at", "-id").values("created_at")[:1])
    handled = (CaseEvent.objects.filter(case=OuterRef("case"), action=CaseAction.HANDLE,
                                        created_at__gte=Subquery(dispatched))
               .order_by("created_at", "id").values("created_at")[:1])
    late = (OnSiteStep.objects.filter(case=OuterRef("pk"))
            .annotate(stopped=Coalesce(Subquery(handled), Value(now)))
            .filter(Q(done_in_time=False) | Q(arrived_at__isnull=True, due_at__lt=F("stopped"))))
    return ~Exists(late)


def _filed_in(code: str) -> Callable[[QuerySet, dt.datetime], QuerySet]:
    def counted(cases: QuerySet, now: dt.datetime) -> QuerySet:
        return cases.filter(category__code=code).exclude(state__in=NOT_FILED)
    return counted


def _closed_fixed(now: dt.datetime) -> Q:
    return Q(state=State.CLOSED, outcome=Outcome.FIXED)


CASE_MEASURES = {measure.key: measure for measure in (
    CaseMeasure(
        "double_ten", _("占道经营“双十标准”"),
        _("由案件计算：占道经营案件（游商、店外经营）中，管理人员 10 分钟内到场、需要时执法人员再 10 分钟内到场的比例"),
        _double_ten_counted, _double_ten_met),
    CaseMeasure(
        "small_ad_cleaning", _("乱张贴、乱涂写、乱刻画小广告清理"),
        _("由案件计算：已立案的“非法小广告”（乱张贴、乱涂写、乱刻画）案件中已结案（清理经核查）的比例"),
        _filed_in(SMALL_AD_POSTED), _closed_fixed),
    CaseMeasure(
        "small_ad_solving", _("街头散发小广告查处"),
        _("由案件计算：已立案的“街头散发广告”案件中已结案（查处经核查）的比例"),
        _filed_in(SMALL_AD_HANDED_OUT), _closed_fixed),
)}


def cases_measured(cases: QuerySet[Case], *, key: str, outcome: str, now: dt.datetime) -> QuerySet[Case]:
    """The cases a measure counts (``outcome``: all, those met, those missed)."""
    measure = CASE_MEASURES[key]
    counted = measure.counted(cases, now)
    if outcome == MeasureOutcome.MET:
        return counted.filter(measure.met(now))
    if outcome == MeasureOutcome.MISSED:
        return counted.exclude(measure.met(now))
    return counted


def _search_url(*, key: str, outcome: str, start: dt.date, end: dt.date) -> str:
    query = {"measure": key, "date_from": start.isoformat(), "date_to": end.isoformat()}
    if outcome:
        query["measure_outcome"] = outcome
    return f"{reverse('cases:search')}?{urlencode(query)}"


def _live_count(key: str) -> Callable[..., LiveCount]:
    def count(*, start: dt.date, end: dt.date) -> LiveCount:
        now = timezone.now()
        window = Case.objects.filter(created_at__date__gte=start, created_at__date__lte=end)
        counted = cases_measured(window, key=key, outcome="", now=now)
        urls = {outcome: _search_url(key=key, outcome=outcome, start=start, end=end)
                for outcome in ("", MeasureOutcome.MET, MeasureOutcome.MISSED)}
        return LiveCount(counted=counted.count(), met=counted.filter(CASE_MEASURES[key].met(now)).count(),
                         counted_url=urls[""], met_url=urls[MeasureOutcome.MET], missed_url=urls[MeasureOutcome.MISSED])
    return count


def plan_sources_register() -> None:
    """Offer each measure to ``plans`` as live source ``cases.<key>`` (from ``CasesConfig.ready``)."""
    for key, measure in CASE_MEASURES.items():
        live_source_register(LiveSource(key=f"cases.{key}", label=measure.explanation, unit="%",
                                        count=_live_count(key)))
