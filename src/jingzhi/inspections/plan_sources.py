"""Inspections that measure work-plan indicators, registered as ``plans.live`` sources.

What the plan sets as a level to keep — 以克论净 dust by lane class, the road facility intact rate —
is what the inspections measure, so those indicators are computed from them (docs/inspections.md,
"Plan indicators from the inspections"). Each road counts once per window: its latest inspection
of the template from the plan's issue date to the review date (a road weighed twice in September
counts with the second weighing, as ``selectors.dust_compliance_by_lane`` reads it).

- **dust** (``mean``, g/m²): per lane class, the mean of the roads' aggregates (each the template's
  aggregate of its sample points); a road meets the standard when its lane is within its limit.
  主、次干道快车道 reads the fast lane of 主干路/次干路, 支路背街 the carriageway (``fast_lane``) of
  支路/背街小巷, 慢车道 and 人行道 their lane of every road that has one.
- **road facility intact rate** (``share``, %): intact facilities ÷ facilities surveyed, summed over
  the roads' latest surveys (the reference's "intact ÷ inspected"), so a long road weighs more than a
  short one.

The records behind each value are one click away: ``records_url`` opens the inspection list
(``views.records``) with the measure and the window, listing exactly the inspections counted, or
those met or missed.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jingzhi.plans.live import LiveCount, LiveMeasure, LiveSource, live_source_register

from .models import Inspection, InspectionResult
from .selectors import dust_compliance_by_lane, inspections_between

ROAD_FACILITY_TEMPLATE = "road_facility"
INTACT_ITEM = "intact_rate"
MAJOR_ROADS = ("主干路", "次干路")
MINOR_ROADS = ("支路", "背街小巷")


class Outcome:
    MET = "met"
    MISSED = "missed"


@dataclass(frozen=True)
class Counted:
    """One inspection counted by a measure: its figure and whether it met the standard."""

    inspection_id: int
    figure: Decimal  # a dust aggregate (g/m²), or the facilities surveyed for the intact rate
    met: bool
    intact: Decimal = Decimal(0)  # the intact rate's intact facilities


@dataclass(frozen=True)
class InspectionMeasure:
    key: str
    label: str
    unit: str
    measure: str
    counted: Callable[[dt.date, dt.date], list[Counted]]


def _dust(item: str, road_classes: tuple[str, ...] | None) -> Callable[[dt.date, dt.date], list[Counted]]:
    def counted(start: dt.date, end: dt.date) -> list[Counted]:
        return [Counted(road.inspection_id, road.lanes[item].figure, road.lanes[item].passed)
                for road in dust_compliance_by_lane(start=start, end=end)
                if item in road.lanes and (road_classes is None or road.road_class in road_classes)]
    return counted


def _latest_per_road(inspections: QuerySet[Inspection]) -> list[int]:
    latest = {}
    for pk, asset_id in inspections.filter(asset__isnull=False).values_list("pk", "asset_id"):
        latest[asset_id] = pk  # oldest first: the last one wins
    return list(latest.values())


def _intact(start: dt.date, end: dt.date) -> list[Counted]:
    ids = _latest_per_road(inspections_between(template=ROAD_FACILITY_TEMPLATE, start=start, end=end))
    results = InspectionResult.objects.filter(inspection_id__in=ids, item_code=INTACT_ITEM, passed__isnull=False)
    return [Counted(inspection_id, Decimal(str(value["denominator"])), passed,
                    intact=Decimal(str(value["numerator"])))
            for inspection_id, value, passed in results.values_list("inspection_id", "value", "passed")]


INSPECTION_MEASURES = {measure.key: measure for measure in (
    InspectionMeasure("dust_main_fast_lane", _("由以克论净检测计算：期间内各主、次干道最近一次检测的快车道积尘均值"),
                      "克/平方米", LiveMeasure.MEAN, _dust("fast_lane", MAJOR_ROADS)),
    InspectionMeasure("dust_slow_lane", _("由以克论净检测计算：期间内各道路最近一次检测的慢车道（含辅道）积尘均值"),
                      "克/平方米", LiveMeasure.MEAN, _dust("slow_lane", None)),
    InspectionMeasure("dust_branch_back_street",
                      _("由以克论净检测计算：期间内各支路、背街最近一次检测的车行道积尘均值"),
                      "克/平方米", LiveMeasure.MEAN, _dust("fast_lane", MINOR_ROADS)),
    InspectionMeasure("dust_sidewalk", _("由以克论净检测计算：期间内各道路最近一次检测的人行道积尘均值"),
                      "克/平方米", LiveMeasure.MEAN, _dust("sidewalk", None)),
    InspectionMeasure("road_facility_intact_rate",
                      _("由道路设施调查计算：期间内各路段最近一次调查的完好设施数 ÷ 调查设施总数"),
                      "%", LiveMeasure.SHARE, _intact),
)}


def inspections_measured(*, key: str, start: dt.date, end: dt.date, outcome: str = "") -> list[int]:
    """The ids of the inspections a measure counts (``outcome``: all, those that met or missed it)."""
    counted = INSPECTION_MEASURES[key].counted(start, end)
    if outcome:
        counted = [row for row in counted if row.met == (outcome == Outcome.MET)]
    return [row.inspection_id for row in counted]


def records_url(*, key: str, start: dt.date, end: dt.date, outcome: str = "") -> str:
    query = {"measure": key, "start": start.isoformat(), "end": end.isoformat()}
    if outcome:
        query["outcome"] = outcome
    return f"{reverse('inspections:records')}?{urlencode(query)}"


def measure_count(measure: InspectionMeasure, *, start: dt.date, end: dt.date) -> LiveCount:
    rows = measure.counted(start, end)
    urls = {outcome: records_url(key=measure.key, start=start, end=end, outcome=outcome)
            for outcome in ("", Outcome.MET, Outcome.MISSED)}
    if measure.measure == LiveMeasure.SHARE:  # facilities: the lists are of the surveys behind them
        return LiveCount(counted=int(sum(row.figure for row in rows)), met=int(sum(row.intact for row in rows)),
                         counted_url=urls[""])
    return LiveCount(counted=len(rows), met=sum(1 for row in rows if row.met), counted_url=urls[""],
                     met_url=urls[Outcome.MET], missed_url=urls[Outcome.MISSED],
                     quantity=sum((row.figure for row in rows), Decimal(0)))


def plan_sources_register() -> None:
    """Offer each measure to ``plans`` as live source ``inspections.<key>`` (from ``InspectionsConfig.ready``)."""
    for key, measure in INSPECTION_MEASURES.items():
        noun = pgettext_lazy("量词", "处") if measure.measure == LiveMeasure.SHARE else pgettext_lazy("量词", "条")
        live_source_register(LiveSource(key=f"inspections.{key}", label=measure.label, unit=measure.unit,
                                        count=functools.partial(measure_count, measure), measure=measure.measure,
                                        noun=noun))
