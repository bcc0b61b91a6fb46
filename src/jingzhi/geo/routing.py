"""Point routing for the other apps: where is this point and who answers for it.

The spatial index is built once per process from the geography tables and cached together with the
`GeographyVersion` token it was built from. Each call reads that one-row token (a primary-key lookup)
and rebuilds the index only when another process — or this one — changed the geography.
"""
from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from jingzhi.org.models import Unit

from .coords import CoordSystem, to_wgs84_arrays
from .models import Area, AreaLevel, GeographyVersion, Grid, ResponsibilityZone
from .spatial import NONE, AreaShape, GeographyIndex, GridShape, ZoneShape, buffer_metres


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


@dataclass(frozen=True)
class _Snapshot:
    token: str
    index: GeographyIndex
    area_unit_ids: dict[int, int]


_lock = threading.Lock()
_snapshot: _Snapshot | None = None


def geography_token() -> str:
    return GeographyVersion.objects.filter(pk=1).values_list("token", flat=True).first() or ""


def _shapes(rows, geometry_position: int):
    geometries = shapely.from_geojson([row[geometry_position] for row in rows]) if rows else []
    return zip(rows, geometries, strict=True)


def _build_snapshot(token: str) -> _Snapshot:
    area_rows = list(Area.objects.exclude(level=AreaLevel.CITY)
                     .values_list("id", "code", "level", "parent_id", "unit_id", "geometry"))
    areas = [AreaShape(id=row[0], code=row[1], level=row[2], parent_id=row[3], geometry=geometry)
             for row, geometry in _shapes(area_rows, 5)]
    grid_rows = list(Grid.objects.values_list("code", "district_id", "subdistrict_id", "community_id",
                                              "geometry"))
    grids = [GridShape(code=row[0], district_id=row[1], subdistrict_id=row[2], community_id=row[3],
                       geometry=geometry) for row, geometry in _shapes(grid_rows, 4)]
    zone_rows = list(ResponsibilityZone.objects.values_list("id", "duty", "unit_id", "buffer_m", "geometry"))
    zones = [ZoneShape(id=row[0], duty=row[1], unit_id=row[2], geometry=buffer_metres(geometry, row[3]))
             for row, geometry in _shapes(zone_rows, 4)]
    return _Snapshot(
        token=token,
        index=GeographyIndex(areas=areas, grids=grids, zones=zones),
        area_unit_ids={row[0]: row[4] for row in area_rows if row[4] is not None},
    )


def geography_snapshot() -> _Snapshot:
    """The cached index, rebuilt when the geography token moved."""
    global _snapshot
    token = geography_token()
    current = _snapshot
    if current is not None and current.token == token:
        return current
    with _lock:
        if _snapshot is None or _snapshot.token != token:
            _snapshot = _build_snapshot(token)
        return _snapshot


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


def locate_point(*, lon: float, lat: float, coord_system: str = CoordSystem.WGS84) -> Location:
    """District, sub-district, community, grid code and responsible units of one point.

    Raises ValueError for an unknown coordinate system or coordinates out of range; a point outside
    every district is a normal result with ``inside`` False.
    """
    return locate_points(points=[(lon, lat)], coord_system=coord_system)[0]
