"""Registry records that measure work-plan indicators, registered as ``plans.live`` sources.

The registries keep every state change with its date (``AssetEvent``), so "toilets built in 2018",
"toilets upgraded", "share of class-1 toilets on 2018-09-30" or "black-odorous water bodies left"
are queries at any date, never typed numbers (docs/assets.md, "Plan indicators from the registries").

Each measure is a set of registry list filters (``selectors.AssetFilters``): the value counts
exactly the assets that ``assets_filter`` selects with them, and the link beside the value is the
registry page with the same filters (``asset_list_url``), so the list holds exactly the records
counted (for the office and leaders, who see every asset; others see their scope of it). A share
also links those that meet it (``a.<attribute>``) and those that do not (``not.<attribute>``:
another value then, or none), so counted = met + missed, list for list. The counts themselves are
city-wide: a plan indicator is the city's.

- a **count** over the plan's period: the assets with such an event (built, upgraded, repaired)
  dated from the plan's issue date to the review date, or that gained a feature then (``gained``:
  a third restroom, 24-hour opening); optionally what they add up to (the spaces of new public
  parking lots) or how many distinct values of an attribute they touch (the roads of upgraded
  street lights);
- a **share** or **count on a date**: the assets that exist on the review date, with their
  attributes as they were then (class-1 toilets among all toilets; rivers still black-odorous).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jingzhi.plans.live import LiveBasis, LiveCount, LiveMeasure, LiveSource, live_source_register

from .models import Asset, AssetChange
from .selectors import ATTRIBUTE_NOT_PREFIX, ATTRIBUTE_PREFIX, AssetFilters, asset_list_url, assets_filter

Filters = Callable[[dt.date, dt.date], AssetFilters]
#: How one counted asset is called beside a value (a measure word, pgettext "量词").
NOUNS = {"座": pgettext_lazy("量词", "座"), "个": pgettext_lazy("量词", "个"), "盏": pgettext_lazy("量词", "盏"),
         "处": pgettext_lazy("量词", "处"), "个停车场": pgettext_lazy("量词", "个停车场")}


@dataclass(frozen=True)
class RegistryMeasure:
    key: str
    kind: str  # the asset kind counted
    label: str  # what the value is computed from, shown beside it (page, API, export)
    unit: str  # the indicator's unit
    noun: str  # how one counted asset is called on the page
    counted: Filters  # the assets counted, for a window (start, end)
    met: tuple[tuple[str, object], ...] = ()  # a share: the attributes (as of the date) of those that meet it
    quantity: str = ""  # a count of what the assets add up to: this attribute (as of the window's end) summed
    distinct: str = ""  # a count of the distinct values of this attribute among the assets (roads of lights)
    basis: str = LiveBasis.PERIOD

    def __post_init__(self):
        if len(self.met) > 1:  # its missed list is "not this value": one attribute, or none
            raise ValueError(f"{self.key}: a share is met by one attribute value")

    @property
    def measure(self) -> str:
        return LiveMeasure.SHARE if self.met else LiveMeasure.COUNT


def _changed(change: str, **attributes) -> Filters:
    """Assets with a ``change`` event in the window (their attributes on the window's end, when filtered)."""
    def filters(start: dt.date, end: dt.date) -> AssetFilters:
        return AssetFilters(change=change, start=start, end=end, as_of=end if attributes else None,
                            attributes=tuple(attributes.items()))
    return filters


def _gained(attribute: str) -> Filters:
    """Assets whose yes/no ``attribute`` became yes in the window (new with it, or added to them)."""
    def filters(start: dt.date, end: dt.date) -> AssetFilters:
        return AssetFilters(gained=attribute, start=start, end=end)
    return filters


def _on_date(**attributes) -> Filters:
    """Assets that exist on the window's end, with these attributes then."""
    def filters(start: dt.date, end: dt.date) -> AssetFilters:
        return AssetFilters(as_of=end, attributes=tuple(attributes.items()))
    return filters


REGISTRY_MEASURES = {measure.key: measure for measure in (
    RegistryMeasure("toilets_built", "toilet", _("由公厕台账计算：期间内新建的公厕"),
                    "座", NOUNS["座"],
                    _changed(AssetChange.BUILT)),
    RegistryMeasure("toilets_upgraded", "toilet", _("由公厕台账计算：期间内改造提升的公厕"),
                    "座", NOUNS["座"],
                    _changed(AssetChange.UPGRADED)),
    RegistryMeasure("toilets_third_restroom_added", "toilet",
                    _("由公厕台账计算：期间内增加第三卫生间的公厕（新建即有，或改造时增加）"), "座", NOUNS["座"],
                    _gained("third_restroom")),
    RegistryMeasure("toilets_open_24h_added", "toilet",
                    _("由公厕台账计算：期间内新增 24 小时开放的公厕（新建即 24 小时开放，或改为 24 小时开放）"),
                    "座", NOUNS["座"],
                    _gained("open_24h")),
    RegistryMeasure("toilets_class1_share", "toilet", _("由公厕台账计算：当日在用公厕中一类公厕的比例"),
                    "%", NOUNS["座"],
                    _on_date(), met=(("toilet_class", "一类"),), basis=LiveBasis.ON_DATE),
    RegistryMeasure("toilets_class2_share", "toilet", _("由公厕台账计算：当日在用公厕中二类公厕的比例"),
                    "%", NOUNS["座"],
                    _on_date(), met=(("toilet_class", "二类"),), basis=LiveBasis.ON_DATE),
    RegistryMeasure("bins_built", "bin", _("由果皮箱台账计算：期间内新设置的果皮箱"),
                    "个", NOUNS["个"],
                    _changed(AssetChange.BUILT)),
    RegistryMeasure("rest_places_built", "rest_place", _("由环卫作息场所台账计算：期间内新设置的作息场所"),
                    "座", NOUNS["座"],
                    _changed(AssetChange.BUILT)),
    RegistryMeasure("transfer_stations_started", "transfer_station",
                    _("由转运站台账计算：期间内开工建设（登记新建）的转运站"), "座", NOUNS["座"],
                    _changed(AssetChange.BUILT)),
    RegistryMeasure("street_light_roads_upgraded", "street_light",
                    _("由路灯台账计算：期间内有路灯提升改造的道路条数（按路灯所在道路编号计，链接列出这些路灯）"),
                    "条", NOUNS["盏"], _changed(AssetChange.UPGRADED), distinct="road_code"),
    RegistryMeasure("black_odorous_water_bodies", "river", _("由河道台账计算：当日仍为黑臭水体的河道/水体"),
                    "处", NOUNS["处"],
                    _on_date(black_odorous=True), basis=LiveBasis.ON_DATE),
    RegistryMeasure("old_compounds_renovated_share", "old_compound",
                    _("由老旧小区数据库计算：当日库内老旧小区中已完成整治提升的比例"), "%", NOUNS["个"],
                    _on_date(), met=(("renovation_status", "done"),), basis=LiveBasis.ON_DATE),
    RegistryMeasure("public_parking_spaces_built", "parking_lot",
                    _("由停车场台账计算：期间内新建公共停车场的泊位数合计"), "个", NOUNS["个停车场"],
                    _changed(AssetChange.BUILT, public=True), quantity="spaces"),
    RegistryMeasure("manholes_rectified", "manhole", _("由窨井台账计算：期间内整治（维修）的窨井"),
                    "座", NOUNS["座"],
                    _changed(AssetChange.REPAIRED)),
)}


def _selected(measure: RegistryMeasure, filters: AssetFilters):
    return assets_filter(Asset.objects.all(), kind=measure.kind, filters=filters)


def _list_url(kind: str, filters: AssetFilters) -> str:
    """The registry page with exactly these filters (``asset_list_url`` takes them as query names)."""
    query = {name: value for name, value in dataclasses.asdict(filters).items()
             if name not in ("attributes", "attributes_not") and value not in ("", None)}
    query.update({f"{ATTRIBUTE_PREFIX}{name}": value for name, value in filters.attributes})
    query.update({f"{ATTRIBUTE_NOT_PREFIX}{name}": value for name, value in filters.attributes_not})
    return asset_list_url(kind=kind, **query)


def _value_of(measure: RegistryMeasure, filters: AssetFilters) -> tuple[int, Decimal | None]:
    """How many assets, and for a quantity or distinct measure what the value is instead (from the
    attributes as of the window's end when the filters read a date, else the current ones)."""
    assets = _selected(measure, filters)
    if not (measure.distinct or measure.quantity):
        return assets.count(), None
    states = [row or {} for row in assets.values_list("state_then" if filters.as_of else "attributes", flat=True)]
    if measure.distinct:
        return len(states), Decimal(len({state.get(measure.distinct) for state in states} - {None, ""}))
    return len(states), Decimal(sum(state.get(measure.quantity) or 0 for state in states))


def measure_count(measure: RegistryMeasure, *, start: dt.date, end: dt.date) -> LiveCount:
    """The measure's records for the window, and the registry pages that list them."""
    filters = measure.counted(start, end)
    counted, quantity = _value_of(measure, filters)
    if not measure.met:
        return LiveCount(counted=counted, met=counted, counted_url=_list_url(measure.kind, filters),
                         quantity=quantity)
    met_filters = dataclasses.replace(filters, attributes=filters.attributes + measure.met)
    missed_filters = dataclasses.replace(filters, attributes_not=filters.attributes_not + measure.met)
    return LiveCount(counted=counted, met=_selected(measure, met_filters).count(),
                     counted_url=_list_url(measure.kind, filters), met_url=_list_url(measure.kind, met_filters),
                     missed_url=_list_url(measure.kind, missed_filters))


def plan_sources_register() -> None:
    """Offer each measure to ``plans`` as live source ``assets.<key>`` (from ``AssetsConfig.ready``)."""
    for key, measure in REGISTRY_MEASURES.items():
        live_source_register(LiveSource(key=f"assets.{key}", label=measure.label, unit=measure.unit,
                                        count=functools.partial(measure_count, measure), measure=measure.measure,
                                        basis=measure.basis, noun=measure.noun))
