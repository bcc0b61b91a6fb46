"""The routing index: the geography tables as one in-memory `GeographyIndex`, cached per process.

The index is built once per process from the geography tables and cached together with the
`GeographyVersion` token it was built from. Each read (`selectors.locate_points`) reads that one-row
token (a primary-key lookup) and rebuilds the index only when another process — or this one — changed
the geography. Other apps do not import this module: they ask `selectors`.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import shapely

from .models import Area, AreaLevel, GeographyVersion, Grid, ResponsibilityZone
from .spatial import AreaShape, GeographyIndex, GridShape, ZoneShape, buffer_metres


@dataclass(frozen=True)
class RoutingSnapshot:
    token: str
    index: GeographyIndex
    area_unit_ids: dict[int, int]


_lock = threading.Lock()
_snapshot: RoutingSnapshot | None = None


def geography_token() -> str:
    return GeographyVersion.objects.filter(pk=1).values_list("token", flat=True).first() or ""


def _shapes(rows, geometry_position: int):
    geometries = shapely.from_geojson([row[geometry_position] for row in rows]) if rows else []
    return zip(rows, geometries, strict=True)


def _build_snapshot(token: str) -> RoutingSnapshot:
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
    return RoutingSnapshot(
        token=token,
        index=GeographyIndex(areas=areas, grids=grids, zones=zones),
        area_unit_ids={row[0]: row[4] for row in area_rows if row[4] is not None},
    )


def geography_snapshot() -> RoutingSnapshot:
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
