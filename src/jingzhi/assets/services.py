"""Write side of the registries: create assets (one or a whole file's rows) and record their changes.

Every write validates the attributes against the kind (`attributes`), checks and converts the
geometry (`geometry`), locates the representative point through geo routing in one vectorised pass,
and writes the asset together with its `AssetEvent`, so the history is never behind the current
state. `assets_create` is the one creation path: `asset_create` is a batch of one, the import and the
benchmark send 100,000 rows through it (COPY on PostgreSQL, ``bulk_create`` elsewhere).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhi.geo.selectors import points_route
from jingzhi.geo.spatial import NONE
from jingzhi.org.models import Unit, User

from .attributes import AttributeInvalid, attributes_clean
from .bulk import rows_insert
from .errors import AssetChangeRefused, field_error
from .geometry import GeometryInvalid, geometry_clean
from .kinds import AssetKind, asset_kind
from .models import Asset, AssetChange, AssetEvent, AssetKeeper, AssetStatus


@dataclass
class AssetInput:
    """One asset to create, already checked: geometry in WGS84 with its representative point."""

    code: str
    name: str
    geometry: dict
    lon: float
    lat: float
    attributes: dict
    built_on: dt.date | None = None
    department_id: int | None = None
    keepers: Sequence[User] = field(default_factory=tuple)


def _kind(code: str) -> AssetKind:
    try:
        return asset_kind(code)
    except KeyError:
        raise field_error("kind", _("未知的台账类型：%(kind)s") % {"kind": code}) from None


def _date_check(name: str, value: dt.date | None) -> None:
    if value is not None and value > timezone.localdate():
        raise field_error(name, _("日期不能晚于今天。"))


ASSET_COLUMNS = ("kind", "code", "name", "geometry", "lon", "lat", "district_id", "subdistrict_id", "grid_id",
                 "zone_id", "department_id", "attributes", "status", "built_on", "removed_on", "generated",
                 "created_at", "updated_at")
EVENT_COLUMNS = ("asset_id", "change", "on", "attributes", "note", "actor_id", "created_at")


def assets_create(*, kind: str, rows: Sequence[AssetInput], actor: User | None = None,
                  generated: bool = False) -> list[int]:
    """Create many assets of one kind from checked rows and return their ids: locate all points in one
    routing pass, then write the assets and their ``built`` events in bulk (`bulk.rows_insert`). Codes
    must be new for the kind (the caller checks a file against the registry first; a clash here is an
    IntegrityError and nothing is written)."""
    asset_kind_ = _kind(kind)
    if not rows:
        return []
    routes = points_route(lons=[row.lon for row in rows], lats=[row.lat for row in rows])
    duty, no_zone = asset_kind_.duty, [NONE] * len(rows)
    zone_ids = routes.zone_ids[duty].tolist() if duty in routes.zone_ids else no_zone
    zone_units = routes.zone_unit_ids[duty].tolist() if duty in routes.zone_unit_ids else no_zone
    districts, subdistricts = routes.district_id.tolist(), routes.subdistrict_id.tolist()
    grids = routes.grid_code.tolist()
    now = timezone.now()

    def ref(value: int) -> int | None:
        return None if value == NONE else value

    asset_rows = [
        (kind, row.code, row.name, row.geometry, Decimal(f"{row.lon:.7f}"), Decimal(f"{row.lat:.7f}"),
         ref(districts[i]), ref(subdistricts[i]), grids[i] or None, ref(zone_ids[i]),
         row.department_id if row.department_id is not None else ref(zone_units[i]),
         row.attributes, AssetStatus.ACTIVE, row.built_on, None, generated, now, now)
        for i, row in enumerate(rows)
    ]
    actor_id = actor.pk if actor else None
    with transaction.atomic():
        ids = rows_insert(Asset, ASSET_COLUMNS, asset_rows)
        rows_insert(AssetEvent, EVENT_COLUMNS, [(pk, AssetChange.BUILT, row.built_on, row.attributes, "", actor_id, now)
                                                for pk, row in zip(ids, rows, strict=True)])
        AssetKeeper.objects.bulk_create(
            [AssetKeeper(asset_id=pk, user=user, role=asset_kind_.keeper_role)
             for pk, row in zip(ids, rows, strict=True) for user in row.keepers])
    return ids


def asset_create(*, kind: str, code: str, name: str, geometry, attributes: dict,
                 built_on: dt.date | None = None, department: Unit | None = None, actor: User | None = None,
                 generated: bool = False, coord_system: str = "wgs84", keepers: Sequence[User] = ()) -> Asset:
    """Create one asset (geometry as GeoJSON in ``coord_system``) with its ``built`` event.

    Refuses with a field-level ValidationError: an unknown kind, a code already in the registry, a bad
    geometry or attribute, a build date in the future.
    """
    asset_kind_ = _kind(kind)
    code, name = (code or "").strip(), (name or "").strip()
    if not code:
        raise field_error("code", _("必填。"))
    if not name:
        raise field_error("name", _("必填。"))
    if Asset.objects.filter(kind=kind, code=code).exists():
        raise field_error("code", _("编号 %(code)s 已在台账中。") % {"code": code})
    try:
        cleaned_geometry, lon, lat = geometry_clean(asset_kind_, geometry, coord_system=coord_system)
    except GeometryInvalid as error:
        raise field_error("geometry", str(error)) from None
    try:
        cleaned = attributes_clean(asset_kind_, attributes or {})
    except AttributeInvalid as error:
        raise field_error(f"attributes.{error.name}", str(error)) from None
    _date_check("built_on", built_on)
    row = AssetInput(code=code, name=name, geometry=cleaned_geometry, lon=lon, lat=lat, attributes=cleaned,
                     built_on=built_on, department_id=department.pk if department else None,
                     keepers=tuple(keepers))
    [pk] = assets_create(kind=kind, rows=[row], actor=actor, generated=generated)
    return Asset.objects.get(pk=pk)


def asset_change(*, asset: Asset, change: str, on: dt.date, attributes: dict | None = None, note: str = "",
                 actor: User | None = None) -> AssetEvent:
    """Record a change of ``asset`` on ``on``: ``attributes`` (if given) are merged over the current ones
    and validated; the event keeps the full attributes after the change.

    Changes are recorded in date order: one dated before the asset's last change, before it was built,
    in the future, or on a removed asset is refused (409), as is ``built`` (an asset is built once, by
    `asset_create`).
    """
    if change not in AssetChange.values or change == AssetChange.BUILT:
        raise field_error("change", _("不能记录这种变更。"))
    if on is None:
        raise field_error("on", _("必填。"))
    _date_check("on", on)
    asset_kind_ = _kind(asset.kind)
    merged = {**asset.attributes, **(attributes or {})}
    try:
        cleaned = attributes_clean(asset_kind_, merged)
    except AttributeInvalid as error:
        raise field_error(f"attributes.{error.name}", str(error)) from None
    with transaction.atomic():
        locked = Asset.objects.select_for_update().get(pk=asset.pk)
        if locked.status == AssetStatus.REMOVED:
            raise AssetChangeRefused(_("该设施已拆除，不能再记录变更。"))
        last = locked.events.exclude(on=None).order_by("-on", "-id").values_list("on", flat=True).first()
        if last is not None and on < last:
            raise AssetChangeRefused(_("变更日期不能早于上一次变更（%(date)s）。") % {"date": last.isoformat()})
        if locked.built_on is not None and on < locked.built_on:
            raise AssetChangeRefused(_("变更日期不能早于建成日期。"))
        event = AssetEvent.objects.create(asset=locked, change=change, on=on, attributes=cleaned,
                                          note=(note or "")[:200], actor=actor)
        locked.attributes = cleaned
        if change == AssetChange.REMOVED:
            locked.status, locked.removed_on = AssetStatus.REMOVED, on
        locked.save(update_fields=["attributes", "status", "removed_on", "updated_at"])
    asset.attributes, asset.status, asset.removed_on = locked.attributes, locked.status, locked.removed_on
    return event


def asset_keeper_add(*, asset: Asset, user: User, role: str = "") -> AssetKeeper:
    """Make ``user`` a keeper of ``asset`` (idempotent); the role defaults to the kind's keeper role."""
    keeper, _created = AssetKeeper.objects.get_or_create(
        asset=asset, user=user, defaults={"role": role or asset_kind(asset.kind).keeper_role})
    return keeper

