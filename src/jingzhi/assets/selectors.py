"""Read side of the registries: the state of a kind at any past date, events in a period, the
registry page that lists given records, and the staff's scoped lists.

``assets_as_of`` is what plan indicators count ("share of class-1 toilets on 2018-09-30"): an asset
exists on a date when it was built by then (or its build date is unknown) and not removed by then,
and its attributes are those of its last event on or before that date.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import F, JSONField, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from jingzhi.org.models import Role, User
from jingzhi.org.selectors import user_has_role, user_reads_everything, user_unit_ids

from .kinds import asset_kind
from .models import Asset, AssetEvent, AssetImport

#: Who may import registry files and record changes: the plan office keeps the registries.
IMPORT_ROLES = frozenset({Role.PLAN_OFFICE, Role.PLATFORM_ADMIN})


@dataclass(frozen=True)
class AssetState:
    """An asset as it was on a date."""

    asset_id: int
    code: str
    name: str
    district_id: int | None  # geo Area id
    attributes: dict


def _existing_on(queryset: QuerySet, on: dt.date) -> QuerySet:
    return queryset.filter(Q(built_on__isnull=True) | Q(built_on__lte=on)).filter(
        Q(removed_on__isnull=True) | Q(removed_on__gt=on))


def assets_as_of(*, kind: str, on: dt.date) -> list[AssetState]:
    """Every asset of ``kind`` that existed on ``on``, with its attributes as of that date, by code."""
    assets = list(_existing_on(Asset.objects.filter(kind=kind), on)
                  .order_by("code").values_list("pk", "code", "name", "district_id"))
    attributes: dict[int, dict] = {}
    events = (AssetEvent.objects.filter(asset__kind=kind).filter(Q(on__isnull=True) | Q(on__lte=on))
              .order_by("asset_id", F("on").asc(nulls_first=True), "id").values_list("asset_id", "attributes"))
    for asset_id, state in events.iterator(chunk_size=5000):
        attributes[asset_id] = state  # the last one per asset wins
    return [AssetState(asset_id=pk, code=code, name=name, district_id=district_id, attributes=attributes.get(pk, {}))
            for pk, code, name, district_id in assets]


def asset_events_between(*, kind: str, change: str | None, start: dt.date, end: dt.date) -> QuerySet[AssetEvent]:
    """Events of ``kind`` (of one ``change``, or all) dated ``start``–``end`` inclusive."""
    events = AssetEvent.objects.filter(asset__kind=kind, on__gte=start, on__lte=end)
    if change:
        events = events.filter(change=change)
    return events.select_related("asset").order_by("on", "id")


#: Filters of the registry list page (`asset_list_url`, `views.asset_list`), besides ``a.<attribute>``
#: (the attribute has this value) and ``not.<attribute>`` (it has not: another value, or none).
LIST_FILTERS = ("q", "district", "status", "as_of", "change", "start", "end", "gained")
ATTRIBUTE_PREFIX = "a."
ATTRIBUTE_NOT_PREFIX = "not."
ATTRIBUTE_PREFIXES = (ATTRIBUTE_PREFIX, ATTRIBUTE_NOT_PREFIX)


def attribute_filter_name(name: str) -> str | None:
    """The attribute a query name ``a.<attribute>`` or ``not.<attribute>`` filters on, else None."""
    for prefix in ATTRIBUTE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return None


def asset_list_url(*, kind: str, **filters) -> str:
    """The registry page listing exactly the assets these filters select, e.g.
    ``asset_list_url(kind="toilet", as_of=date(2018, 9, 30), **{"a.toilet_class": "一类"})``.

    Filters: ``q`` (code or name), ``district`` (area code), ``status``, ``as_of`` (date: the assets
    that existed then, filtered on their attributes then), ``change`` with ``start``/``end`` (assets
    with such an event in the period), ``gained`` with ``start``/``end`` (a yes/no attribute that became
    yes in the period: built with it, or changed to it, and still yes on ``end``), ``a.<attribute>``
    (attribute value; booleans as true/false) and ``not.<attribute>`` (the assets whose attribute is
    not that value, or not set: a share's missed records, the toilets not of class 一类).
    ValueError for a filter the page does not know, so a link cannot silently list something else.
    """
    asset_kind(kind)
    query = {}
    for name, value in filters.items():
        attribute = attribute_filter_name(name)
        if name not in LIST_FILTERS and not (attribute and asset_kind(kind).attribute(attribute)):
            raise ValueError(f"unknown registry filter {name!r}")
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, dt.date):
            value = value.isoformat()
        query[name] = value
    url = reverse("assets:list", kwargs={"kind": kind})
    return f"{url}?{urlencode(query)}" if query else url


#: Who reads every registry besides the city-wide readers (org): the 数字城管 command centre and the
#: inspectors who patrol the whole city and report problems on any asset.
CITY_WIDE_ROLES = frozenset({Role.INSPECTOR, Role.INTAKE_OPERATOR, Role.SHIFT_CHIEF, Role.DISPATCHER})


def assets_visible(*, user: User) -> QuerySet[Asset]:
    """The assets ``user`` may see: all for the city-wide readers and the command centre, else those in
    the user's district or sub-district (their unit's subtree) or maintained by it."""
    assets = Asset.objects.all()
    if user_reads_everything(user=user) or user_has_role(user=user, roles=CITY_WIDE_ROLES):
        return assets
    ids = user_unit_ids(user=user)
    return assets.filter(Q(district__unit_id__in=ids) | Q(subdistrict__unit_id__in=ids) | Q(department_id__in=ids))


@dataclass(frozen=True)
class AssetFilters:
    """The registry list's filters, already parsed (see `asset_list_url` for their meaning)."""

    q: str = ""
    district: str = ""  # area code
    status: str = ""
    as_of: dt.date | None = None
    change: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    attributes: tuple[tuple[str, object], ...] = ()  # (name, stored value)
    attributes_not: tuple[tuple[str, object], ...] = ()  # (name, stored value) an asset must not have
    gained: str = ""  # a yes/no attribute that became yes from ``start`` to ``end`` (both required)


def _state_on(on: dt.date) -> Subquery:
    """The attributes of an asset's last event on or before ``on`` (a correlated subquery)."""
    last = (AssetEvent.objects.filter(asset=OuterRef("pk")).filter(Q(on__isnull=True) | Q(on__lte=on))
            .order_by(F("on").desc(nulls_last=True), "-id").values("attributes")[:1])
    return Subquery(last, output_field=JSONField())


def _gained(assets: QuerySet[Asset], *, name: str, start: dt.date, end: dt.date) -> QuerySet[Asset]:
    """The assets whose yes/no attribute ``name`` is yes on ``end`` but was not the day before
    ``start`` (not yet built then, or no): "third restrooms added in 2018"."""
    before = start - dt.timedelta(days=1)
    yes_before = Asset.objects.annotate(state_before=_state_on(before)).filter(**{f"state_before__{name}": True})
    return (_existing_on(assets, end).annotate(state_end=_state_on(end)).filter(**{f"state_end__{name}": True})
            .exclude(pk__in=yes_before.values("pk")))


def assets_filter(assets: QuerySet[Asset], *, kind: str, filters: AssetFilters) -> QuerySet[Asset]:
    """``assets`` of ``kind`` narrowed by ``filters``; with ``as_of`` only the assets that existed on that
    date, and the attribute filters apply to their attributes as they were then."""
    assets = assets.filter(kind=kind)
    if filters.q:
        assets = assets.filter(Q(code__icontains=filters.q) | Q(name__icontains=filters.q))
    if filters.district:
        assets = assets.filter(district__code=filters.district)
    if filters.status:
        assets = assets.filter(status=filters.status)
    if filters.change or filters.start or filters.end:
        events = AssetEvent.objects.filter(asset__kind=kind)
        if filters.change:
            events = events.filter(change=filters.change)
        if filters.start:
            events = events.filter(on__gte=filters.start)
        if filters.end:
            events = events.filter(on__lte=filters.end)
        assets = assets.filter(pk__in=events.values("asset_id"))
    if filters.gained and filters.start and filters.end:
        assets = _gained(assets, name=filters.gained, start=filters.start, end=filters.end)
    state = "attributes"
    if filters.as_of:
        assets = _existing_on(assets, filters.as_of).annotate(state_then=_state_on(filters.as_of))
        state = "state_then"
    for name, wanted in filters.attributes:
        assets = _attribute_is(assets, kind=kind, state=state, name=name, value=wanted)
    for name, unwanted in filters.attributes_not:
        # "Not this value" is "not among those with it", so an asset without the attribute (or
        # with no state on the date) is listed too, and counted = with it + not with it exactly.
        assets = assets.exclude(pk__in=_attribute_is(assets, kind=kind, state=state, name=name,
                                                     value=unwanted).values("pk"))
    return assets


def _attribute_is(assets: QuerySet[Asset], *, kind: str, state: str, name: str, value) -> QuerySet[Asset]:
    """``assets`` whose attribute ``name`` (in their ``state``: now, or then) is ``value``; for a
    multiple choice, includes it."""
    if asset_kind(kind).attribute(name).type == "multichoice":
        return assets.filter(**{f"{state}__{name}__icontains": f'"{value}"'})
    return assets.filter(**{f"{state}__{name}": value})


def asset_imports_visible(*, user: User) -> QuerySet[AssetImport]:
    """Imports ``user`` may look at: their own; every one for those who import."""
    if user_has_role(user=user, roles=IMPORT_ROLES):
        return AssetImport.objects.all()
    return AssetImport.objects.filter(created_by=user)
