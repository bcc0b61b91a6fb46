"""Read side of `geo`, and the module other apps import geo's reads from.

Two kinds of read: where a point is and who answers for it (`locate_point`, `locate_points`, answered
from the cached routing index), and GeoJSON for maps. Geography is reference data every signed-in
staff member may read (like the unit directory), so these reads are not scoped by unit. Grids are only
ever served for a bounded map view. Writes are in `services`; coordinate systems are `coords.CoordSystem`.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db.models import QuerySet

from jingzhi.org.models import Unit

from .coords import CoordSystem, to_wgs84_arrays
from .models import Area, GeographyVersion, Grid, ResponsibilityZone
from .routing import geography_snapshot
from .spatial import NONE

#: Largest map view (degrees per side) for which grids are served: about 9 km × 9 km, ~8,000 cells.
MAX_GRID_BBOX_SPAN_DEG = 0.08


@dataclass(frozen=True)
class Location:
    """The answer of `locate_point`; ``inside`` False means "outside the service area"."""

    inside: bool
    lon: float  # WGS84
    lat: float
    district: Unit | None
    subdistrict: Unit | None
    community: Unit | None
    grid_code: str  # "" when the point is in no grid
    responsible_units: dict[str, Unit]  # duty kind (DutyKind) -> unit


def _validated(points: Sequence[tuple[float, float]], coord_system: str) -> tuple[np.ndarray, np.ndarray]:
    CoordSystem(coord_system)  # ValueError for an unknown system
    array = np.asarray(points, dtype=float).reshape(-1, 2)
    lons, lats = array[:, 0], array[:, 1]
    if not (np.isfinite(array).all() and (np.abs(lons) <= 180).all() and (np.abs(lats) <= 90).all()):
        raise ValueError("coordinates out of range")
    return to_wgs84_arrays(lons, lats, coord_system)


def locate_points(*, points: Sequence[tuple[float, float]], coord_system: str = CoordSystem.WGS84
                  ) -> list[Location]:
    """Route many (lon, lat) points at once (one index pass, one unit query)."""
    if len(points) == 0:
        return []
    lons, lats = _validated(points, coord_system)
    snapshot = geography_snapshot()
    routes = snapshot.index.route(lons, lats)
    area_units = snapshot.area_unit_ids
    area_columns = (routes.district_id, routes.subdistrict_id, routes.community_id)
    unit_ids = {area_units.get(int(area_id)) for column in area_columns for area_id in np.unique(column)}
    for column in routes.zone_unit_ids.values():
        unit_ids.update(int(unit_id) for unit_id in np.unique(column))
    units = Unit.objects.in_bulk([unit_id for unit_id in unit_ids if unit_id not in (None, NONE)])

    def area_unit(area_id) -> Unit | None:
        return units.get(area_units.get(int(area_id)))

    locations = []
    for i in range(len(lons)):
        locations.append(Location(
            inside=bool(routes.district_id[i] != NONE),
            lon=float(lons[i]), lat=float(lats[i]),
            district=area_unit(routes.district_id[i]),
            subdistrict=area_unit(routes.subdistrict_id[i]),
            community=area_unit(routes.community_id[i]),
            grid_code=routes.grid_code[i],
            responsible_units={duty: units[int(column[i])] for duty, column in routes.zone_unit_ids.items()
                               if column[i] != NONE},
        ))
    return locations


@dataclass(frozen=True)
class PointRoutes:
    """`points_route`'s answer: one entry per point, ``spatial.NONE`` (-1) / "" where nothing matched.

    Area and zone ids (not units), for apps that store where a thing is as foreign keys to geo.
    """

    lons: np.ndarray  # WGS84
    lats: np.ndarray
    district_id: np.ndarray  # Area ids
    subdistrict_id: np.ndarray
    grid_code: np.ndarray
    zone_ids: dict[str, np.ndarray]  # duty kind -> ResponsibilityZone ids
    zone_unit_ids: dict[str, np.ndarray]  # duty kind -> Unit ids


def points_route(*, lons, lats, coord_system: str = CoordSystem.WGS84) -> PointRoutes:
    """Route many points as arrays, without building a `Location` per point: the fast path for bulk
    imports (100,000 points in well under a second). Same validation and rule as `locate_points`."""
    lons, lats = _validated(np.column_stack([np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)]),
                            coord_system)
    routes = geography_snapshot().index.route(lons, lats)
    return PointRoutes(lons=lons, lats=lats, district_id=routes.district_id, subdistrict_id=routes.subdistrict_id,
                       grid_code=routes.grid_code, zone_ids=routes.zone_ids, zone_unit_ids=routes.zone_unit_ids)


def locate_point(*, lon: float, lat: float, coord_system: str = CoordSystem.WGS84) -> Location:
    """District, sub-district, community, grid code and responsible units of one point.

    Raises ValueError for an unknown coordinate system or coordinates out of range; a point outside
    every district is a normal result with ``inside`` False.
    """
    return locate_points(points=[(lon, lat)], coord_system=coord_system)[0]


@dataclass(frozen=True)
class BBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


def geography_version() -> tuple[str, dt.datetime | None]:
    """The geography's version tag (the `GeographyVersion` token, "0" before any write) and when it
    last moved: the maps' layers are cached under it (`layers`)."""
    row = GeographyVersion.objects.filter(pk=1).values_list("token", "changed_at").first()
    return row if row else ("0", None)


def unit_ref(unit) -> dict | None:
    """A unit as the geo API shows it (``UnitRefSerializer``)."""
    return {"id": unit.pk, "name": unit.name} if unit else None


def _feature(geometry_text: str, properties: dict) -> dict:
    return {"type": "Feature", "geometry": json.loads(geometry_text), "properties": properties}


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def areas_feature_collection(*, level: str) -> dict:
    areas = Area.objects.filter(level=level).select_related("unit", "parent").order_by("code")
    return _collection([
        _feature(area.geometry, {
            "code": area.code, "name": area.name, "level": area.level, "generated": area.generated,
            "parent_code": area.parent.code if area.parent else None,
            "unit": area.unit.name if area.unit else None,
        })
        for area in areas
    ])


def in_bbox(queryset: QuerySet, bbox: BBox) -> QuerySet:
    """Rows whose bounding box overlaps ``bbox`` (an index range scan on the bbox columns)."""
    return queryset.filter(
        min_lon__lte=bbox.max_lon, max_lon__gte=bbox.min_lon,
        min_lat__lte=bbox.max_lat, max_lat__gte=bbox.min_lat,
    )


def grids_feature_collection(*, bbox: BBox) -> dict:
    grids = in_bbox(Grid.objects.all(), bbox).select_related("subdistrict__unit").order_by("code")
    return _collection([
        _feature(grid.geometry, {
            "code": grid.code, "area_m2": grid.area_m2,
            "subdistrict": grid.subdistrict.unit.name if grid.subdistrict and grid.subdistrict.unit else None,
        })
        for grid in grids
    ])


def zones_feature_collection(*, duty: str | None = None, bbox: BBox | None = None) -> dict:
    """Responsibility zones as drawn (lines unbuffered; ``buffer_m`` says how wide the duty reaches)."""
    zones = ResponsibilityZone.objects.select_related("unit").order_by("duty", "name")
    if duty:
        zones = zones.filter(duty=duty)
    if bbox:
        zones = in_bbox(zones, bbox)
    return _collection([
        _feature(zone.geometry, {
            "id": zone.pk, "name": zone.name, "duty": zone.duty, "duty_label": str(zone.get_duty_display()),
            "unit": unit_ref(zone.unit), "buffer_m": zone.buffer_m,
        })
        for zone in zones
    ])
