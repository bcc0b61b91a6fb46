"""Geometry the platform draws itself: sub-districts split from a district, and the unit-grid lattice.

Everything here is deterministic (same input → byte-identical output) so the commands that store the
results are idempotent. Pure Shapely/numpy; the services store what these functions return.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import MultiPoint
from shapely.geometry.base import BaseGeometry

from .spatial import PRECISION_DEG, areas_m2, metres_per_degree

#: Cells per side of a generated community block: 10 × 10 cells keep every sequence number ≤ 100.
BLOCK_CELLS = 10
#: Slivers left by clipping below this many m² are dropped rather than made into grids.
MIN_CELL_M2 = 1.0
_LLOYD_ITERATIONS = 8


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Keep only the polygonal part of a clipping result (touching edges yield lines/points)."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [part for part in getattr(geometry, "geoms", []) if part.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def north_west_order(geometries) -> list[int]:
    """Positions sorted north→south, then west→east, by representative point (the numbering order)."""
    points = [geometry.representative_point() for geometry in geometries]
    return sorted(range(len(points)), key=lambda i: (-round(points[i].y, 6), round(points[i].x, 6)))


def polygon_split(polygon: BaseGeometry, parts: int, *, seed: int) -> list[BaseGeometry]:
    """Split ``polygon`` into ``parts`` pieces of similar size, ordered north→south, west→east.

    Voronoi cells of seeded random points inside the polygon, relaxed a few times toward their
    centroids (Lloyd) so the pieces come out compact and comparable in size, then clipped.
    """
    if parts <= 1:
        return [polygon]
    rng = np.random.default_rng(seed)
    min_x, min_y, max_x, max_y = polygon.bounds
    shapely.prepare(polygon)
    seeds: list[tuple[float, float]] = []
    while len(seeds) < parts:
        xs = rng.uniform(min_x, max_x, parts * 4)
        ys = rng.uniform(min_y, max_y, parts * 4)
        inside = shapely.contains_xy(polygon, xs, ys)
        seeds.extend(zip(xs[inside], ys[inside], strict=True))
    seeds = seeds[:parts]
    pieces: list[BaseGeometry] = []
    for _iteration in range(_LLOYD_ITERATIONS):
        cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=polygon.envelope.buffer(0.01), ordered=True)
        pieces = [_polygonal(cell.intersection(polygon)) for cell in cells.geoms]
        seeds = [
            (piece.centroid.x, piece.centroid.y) if polygon.contains(piece.centroid)
            else (piece.representative_point().x, piece.representative_point().y)
            for piece in pieces
        ]
    return [pieces[i] for i in north_west_order(pieces)]


@dataclass(frozen=True)
class Lattice:
    """A lon/lat lattice of ``size_m`` cells, sized at a reference latitude and anchored at (0, 0)."""

    size_m: float
    reference_lat: float

    @property
    def steps(self) -> tuple[float, float]:
        per_lon, per_lat = metres_per_degree(self.reference_lat)
        return self.size_m / per_lon, self.size_m / per_lat

    def cells(self, region: BaseGeometry):
        """(col, row, box) arrays for every lattice cell touching ``region``'s bounding box."""
        step_lon, step_lat = self.steps
        min_x, min_y, max_x, max_y = region.bounds
        cols = np.arange(np.floor(min_x / step_lon), np.ceil(max_x / step_lon), dtype=np.int64)
        rows = np.arange(np.floor(min_y / step_lat), np.ceil(max_y / step_lat), dtype=np.int64)
        col, row = (a.ravel() for a in np.meshgrid(cols, rows))
        boxes = shapely.box(col * step_lon, row * step_lat, (col + 1) * step_lon, (row + 1) * step_lat)
        return col, row, boxes

    def block_box(self, block_col: int, block_row: int) -> BaseGeometry:
        step_lon, step_lat = self.steps
        return shapely.box(block_col * BLOCK_CELLS * step_lon, block_row * BLOCK_CELLS * step_lat,
                           (block_col + 1) * BLOCK_CELLS * step_lon, (block_row + 1) * BLOCK_CELLS * step_lat)


@dataclass(frozen=True)
class PlannedCell:
    block: int  # community block number within the region, from 1
    sequence: int  # cell number within the block, from 1
    geometry: BaseGeometry
    area_m2: float


@dataclass(frozen=True)
class PlannedBlock:
    number: int
    geometry: BaseGeometry


def region_grid(region: BaseGeometry, lattice: Lattice) -> tuple[list[PlannedBlock], list[PlannedCell]]:
    """Cut ``region`` (one sub-district, already clipped) into lattice cells grouped in blocks.

    Cells wholly inside keep their square; edge cells are clipped to the region. Blocks (the generated
    communities) are BLOCK_CELLS × BLOCK_CELLS lattice squares; both blocks and the cells inside each
    block are numbered north→south, west→east.
    """
    if region.is_empty:
        return [], []
    col, row, boxes = lattice.cells(region)
    shapely.prepare(region)
    touching = shapely.intersects(region, boxes)
    col, row, boxes = col[touching], row[touching], boxes[touching]
    inside = shapely.contains_properly(region, boxes)
    pieces = boxes.copy()
    pieces[~inside] = [_polygonal(piece) for piece in shapely.intersection(boxes[~inside], region)]
    pieces = shapely.set_precision(pieces, PRECISION_DEG)
    areas = np.zeros(len(pieces))
    kept = ~shapely.is_empty(pieces)
    areas[kept] = areas_m2(pieces[kept])
    kept &= areas >= MIN_CELL_M2
    col, row, pieces, areas = col[kept], row[kept], pieces[kept], areas[kept]
    block_col, block_row = col // BLOCK_CELLS, row // BLOCK_CELLS
    block_keys = sorted({(int(-r), int(c)) for r, c in zip(block_row, block_col, strict=True)})
    block_number = {key: number for number, key in enumerate(block_keys, start=1)}
    blocks = [PlannedBlock(number=number, geometry=_polygonal(lattice.block_box(c, -r).intersection(region)))
              for (r, c), number in block_number.items()]
    order = np.lexsort((col, -row, block_col, -block_row))
    cells: list[PlannedCell] = []
    sequence: dict[int, int] = {}
    for i in order:
        number = block_number[(int(-block_row[i]), int(block_col[i]))]
        sequence[number] = sequence.get(number, 0) + 1
        cells.append(PlannedCell(block=number, sequence=sequence[number], geometry=pieces[i],
                                 area_m2=float(areas[i])))
    return blocks, cells
