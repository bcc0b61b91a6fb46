"""Benchmark of point routing: ≥ 100,000 grid cells, ≥ 1,000,000 random points.

Builds the real geometry in memory, without a database: Zhengzhou's five central districts from
data/geo (GCJ-02 → WGS84), their generated sub-districts, and 100 m unit grids over all of them, then
routes random points with the same `GeographyIndex` the `locate_point` service uses — one point per
call ("single") and all at once ("batch", vectorised STRtree queries).

    .venv/bin/python bench/routing.py [--points 1000000] [--single 1000000] [--size 100]
"""
from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, shape

from jingzhi.geo.coords import CoordSystem, to_wgs84_arrays
from jingzhi.geo.generation import Lattice, polygon_split, region_grid
from jingzhi.geo.geometry import geometry_to_wgs84
from jingzhi.geo.spatial import NONE, AreaShape, GeographyIndex, GridShape, ZoneShape, buffer_metres

DATA = Path(__file__).resolve().parent.parent / "data" / "geo"
CENTRAL = ["410102", "410103", "410104", "410105", "410108"]


def build(size_m: float) -> tuple[GeographyIndex, tuple[float, float, float, float], int]:
    features = json.loads((DATA / "zhengzhou_410100_full.geojson").read_text(encoding="utf-8"))["features"]
    names: dict[str, int] = {}
    with (DATA / "zhengzhou_4101_subdistricts.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names[row["areaCode"]] = names.get(row["areaCode"], 0) + 1
    areas, grids, next_id = [], [], 1
    for feature in features:
        code = str(feature["properties"]["adcode"])
        if code not in CENTRAL:
            continue
        district = geometry_to_wgs84(shape(feature["geometry"]), CoordSystem.GCJ02)
        district_id, next_id = next_id, next_id + 1
        areas.append(AreaShape(id=district_id, code=code, level="district", parent_id=None, geometry=district))
        lattice = Lattice(size_m=size_m, reference_lat=round(district.centroid.y, 2))
        for number, piece in enumerate(polygon_split(district, names[code], seed=int(code)), start=1):
            sub_code, sub_id, next_id = f"{code}{number:03d}", next_id, next_id + 1
            areas.append(AreaShape(id=sub_id, code=sub_code, level="subdistrict", parent_id=district_id,
                                   geometry=piece))
            blocks, cells = region_grid(piece, lattice)
            block_ids = {}
            for block in blocks:
                block_ids[block.number], next_id = next_id, next_id + 1
                areas.append(AreaShape(id=block_ids[block.number], code=f"{sub_code}{block.number:03d}",
                                       level="community", parent_id=sub_id, geometry=block.geometry))
            grids.extend(GridShape(code=f"{sub_code}{cell.block:03d}{cell.sequence:03d}", district_id=district_id,
                                   subdistrict_id=sub_id, community_id=block_ids[cell.block], geometry=cell.geometry)
                         for cell in cells)
    road = buffer_metres(LineString([(113.62, 34.765), (113.74, 34.765)]), 40)
    zones = [ZoneShape(id=1, duty="road_maintainer", unit_id=1, geometry=road)]
    extent = shapely.union_all([a.geometry for a in areas if a.level == "district"]).bounds
    return GeographyIndex(areas=areas, grids=grids, zones=zones), extent, len(grids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000, help="points routed in one batch call")
    parser.add_argument("--single", type=int, default=1_000_000, help="points routed one call each")
    parser.add_argument("--size", type=float, default=100.0, help="grid cell size in metres")
    args = parser.parse_args()

    started = time.perf_counter()
    index, (min_lon, min_lat, max_lon, max_lat), cell_count = build(args.size)
    print(f"built {cell_count:,} grid cells and the index in {time.perf_counter() - started:.1f} s")

    rng = np.random.default_rng(2018)
    lons = rng.uniform(min_lon, max_lon, args.points)
    lats = rng.uniform(min_lat, max_lat, args.points)

    started = time.perf_counter()
    batch = index.route(lons, lats)
    batch_seconds = time.perf_counter() - started
    in_grid = int((batch.grid_code != "").sum())
    inside = int((batch.district_id != NONE).sum())

    started = time.perf_counter()
    gcj = to_wgs84_arrays(lons, lats, CoordSystem.GCJ02)
    convert_seconds = time.perf_counter() - started
    assert np.isfinite(gcj[0]).all()

    single_count = min(args.single, args.points)
    started = time.perf_counter()
    single_codes = [index.route(lons[i:i + 1], lats[i:i + 1]).grid_code[0] for i in range(single_count)]
    single_seconds = time.perf_counter() - started
    assert single_codes == list(batch.grid_code[:single_count]), "single and batch routing disagree"

    print(f"points: {args.points:,} random in the districts' bounding box; "
          f"{inside:,} inside a district, {in_grid:,} in a grid")
    print("| path | points | seconds | points/s |")
    print("|---|---:|---:|---:|")
    for path, count, seconds in (("single calls (`route` of one point)", single_count, single_seconds),
                                 ("batch (one vectorised `route` call)", args.points, batch_seconds),
                                 ("GCJ-02 → WGS84 conversion, batch", args.points, convert_seconds)):
        print(f"| {path} | {count:,} | {seconds:.2f} | {count / seconds:,.0f} |")


if __name__ == "__main__":
    main()
