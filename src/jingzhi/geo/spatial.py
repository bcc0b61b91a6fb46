"""In-memory spatial index used to route points to areas, grids and responsibility zones.

Pure Shapely/numpy, no database: the routing service builds one from the tables, the benchmark builds
one from generated cells. There is exactly one routing rule and it is vectorised; a single point is a
batch of one.

Tie rule (a point on a shared border touches several shapes): within each layer the shape with the
smallest key wins — the smallest grid code / area code, i.e. the westernmost-northernmost cell of the
lowest-numbered area — and a point exactly on an outer boundary counts as inside.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

NONE = -1
#: Stored coordinates are rounded to 1e-7° (about 1 cm): compact text, identical on every re-run.
PRECISION_DEG = 1e-7


def metres_per_degree(lat: float | np.ndarray) -> tuple:
    """(metres per degree of longitude, of latitude) at ``lat`` on the WGS84 ellipsoid."""
    phi = np.radians(lat)
    per_lon = 111412.84 * np.cos(phi) - 93.5 * np.cos(3 * phi) + 0.118 * np.cos(5 * phi)
    per_lat = 111132.954 - 559.822 * np.cos(2 * phi) + 1.175 * np.cos(4 * phi)
    return per_lon, per_lat


def areas_m2(geometries) -> np.ndarray:
    """Areas in m² of small lon/lat shapes, each scaled at its own centroid latitude."""
    geometries = np.asarray(geometries, dtype=object)
    per_lon, per_lat = metres_per_degree(shapely.get_y(shapely.centroid(geometries)))
    return shapely.area(geometries) * per_lon * per_lat


def buffer_metres(geometry: BaseGeometry, metres: float) -> BaseGeometry:
    """Buffer a lon/lat geometry by ``metres`` in a local equirectangular plane around it."""
    if metres <= 0:
        return geometry
    centre = geometry.centroid
    per_lon, per_lat = metres_per_degree(centre.y)
    to_plane = shapely.transform(geometry, lambda c: (c - (centre.x, centre.y)) * (per_lon, per_lat))
    buffered = to_plane.buffer(metres)
    return shapely.transform(buffered, lambda c: c / (per_lon, per_lat) + (centre.x, centre.y))


class ShapeLayer:
    """Shapes in an STRtree ranked by key; answers "which shape covers each point" (tie: lowest key)."""

    def __init__(self, geometries: Sequence[BaseGeometry], keys: Sequence):
        order = np.argsort(np.asarray(keys), kind="stable")
        self._positions = order
        ranked = np.empty(len(order), dtype=object)
        ranked[:] = [geometries[i] for i in order]
        self._tree = STRtree(ranked)
        self.size = len(order)

    def hits(self, points: np.ndarray) -> np.ndarray:
        """For each point, the input position of the covering shape, or NONE."""
        best = np.full(len(points), self.size, dtype=np.int64)
        if self.size:
            point_index, rank = self._tree.query(points, predicate="intersects")
            np.minimum.at(best, point_index, rank)
        result = np.full(len(points), NONE, dtype=np.int64)
        found = best < self.size
        result[found] = self._positions[best[found]]
        return result


@dataclass(frozen=True)
class AreaShape:
    id: int
    code: str
    level: str
    parent_id: int | None
    geometry: BaseGeometry


@dataclass(frozen=True)
class GridShape:
    code: str
    district_id: int
    subdistrict_id: int | None
    community_id: int | None
    geometry: BaseGeometry


@dataclass(frozen=True)
class ZoneShape:
    id: int
    duty: str
    unit_id: int
    geometry: BaseGeometry  # already buffered for lines


@dataclass
class Routes:
    """Vectorised routing result: one entry per point, NONE / "" where nothing matched."""

    district_id: np.ndarray
    subdistrict_id: np.ndarray
    community_id: np.ndarray
    grid_code: np.ndarray
    zone_unit_ids: dict[str, np.ndarray] = field(default_factory=dict)
    zone_ids: dict[str, np.ndarray] = field(default_factory=dict)


def _ids(values) -> np.ndarray:
    return np.array([NONE if value is None else value for value in values], dtype=np.int64)


class GeographyIndex:
    """Districts, sub-districts, communities, grids and duty zones, each in its own ShapeLayer.

    A point inside a grid takes its whole hierarchy from that grid (so the grid code prefix and the
    returned areas always agree); elsewhere each area level is looked up on its own.
    """

    def __init__(self, *, areas: Sequence[AreaShape], grids: Sequence[GridShape],
                 zones: Sequence[ZoneShape] = ()):
        self._levels: dict[str, tuple[ShapeLayer, np.ndarray]] = {}
        for level in ("district", "subdistrict", "community"):
            members = [area for area in areas if area.level == level]
            self._levels[level] = (
                ShapeLayer([a.geometry for a in members], [a.code for a in members]),
                np.array([a.id for a in members], dtype=np.int64),
            )
        self._grid_layer = ShapeLayer([g.geometry for g in grids], [g.code for g in grids])
        # Each array ends with a "no grid" sentinel, so indexing with NONE (-1) yields "" / NONE.
        self._grid_codes = np.array([g.code for g in grids] + [""], dtype=object)
        self._grid_district = _ids([g.district_id for g in grids] + [None])
        self._grid_subdistrict = _ids([g.subdistrict_id for g in grids] + [None])
        self._grid_community = _ids([g.community_id for g in grids] + [None])
        self._zones: dict[str, tuple[ShapeLayer, np.ndarray, np.ndarray]] = {}
        for duty in sorted({zone.duty for zone in zones}):
            members = [zone for zone in zones if zone.duty == duty]
            self._zones[duty] = (
                ShapeLayer([z.geometry for z in members], [z.id for z in members]),
                np.array([z.unit_id for z in members], dtype=np.int64),
                np.array([z.id for z in members], dtype=np.int64),
            )
        self.grid_count = len(grids)

    def route(self, lons, lats) -> Routes:
        points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
        grid = self._grid_layer.hits(points)
        routes = Routes(
            district_id=self._grid_district[grid], subdistrict_id=self._grid_subdistrict[grid],
            community_id=self._grid_community[grid], grid_code=self._grid_codes[grid],
        )
        rest = np.flatnonzero(grid == NONE)
        if rest.size:
            for level, target in (("district", routes.district_id), ("subdistrict", routes.subdistrict_id),
                                  ("community", routes.community_id)):
                target[rest] = self._lookup(self._levels[level], points[rest])
        for duty, (layer, unit_ids, zone_ids) in self._zones.items():
            position = layer.hits(points)
            found = position != NONE
            routes.zone_unit_ids[duty] = np.where(found, unit_ids[position], NONE)
            routes.zone_ids[duty] = np.where(found, zone_ids[position], NONE)
        return routes

    @staticmethod
    def _lookup(layer_and_values: tuple[ShapeLayer, np.ndarray], points: np.ndarray) -> np.ndarray:
        layer, values = layer_and_values
        position = layer.hits(points)
        return np.where(position != NONE, values[position] if values.size else NONE, NONE)
