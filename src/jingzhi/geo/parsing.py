"""Reading the files the geo loaders take: GeoJSON boundaries and zones, the sub-district code CSV.

No database and no writes: each reader turns a file into plain data in WGS84 and checks every feature
before the caller writes anything, so one bad feature loads none (ValueError listing each problem with
its feature number). The loaders in `services` write what these return.
"""
from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from jingzhi.org.models import Unit

from .coords import CoordSystem
from .geometry import geometry_to_wgs84, zone_buffer_check, zone_geometry_parse
from .models import AreaLevel, DutyKind

#: Level names used by boundary files (DataV uses province/city/district) → our levels.
FILE_LEVELS = {
    "city": AreaLevel.CITY, "district": AreaLevel.DISTRICT, "subdistrict": AreaLevel.SUBDISTRICT,
    "street": AreaLevel.SUBDISTRICT, "community": AreaLevel.COMMUNITY,
}
#: A boundary feature without a ``level`` property is a district (DataV's district files carry none).
DEFAULT_FILE_LEVEL = "district"


@dataclass(frozen=True)
class Boundary:
    """One feature of a boundary file, ready for `services.area_upsert`."""

    level: str  # AreaLevel
    code: str
    name: str
    parent_code: str  # "" for a top-level area
    geometry: BaseGeometry  # WGS84


def features_read(path: Path) -> list[dict]:
    """The features of a GeoJSON FeatureCollection file; ValueError if the file is not one."""
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ValueError("not a GeoJSON FeatureCollection")
    return document.get("features") or []


def _problems_raise(problems: list[str]) -> None:
    if problems:
        raise ValueError("; ".join(problems))


def boundary_problem(feature) -> str:
    """Why a boundary feature cannot be loaded ("" when it can)."""
    properties = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(properties, dict) or not properties.get("adcode") or not properties.get("name"):
        return "properties adcode and name are required"
    if properties.get("level", DEFAULT_FILE_LEVEL) not in FILE_LEVELS:
        return f"unknown level {properties.get('level')!r} (one of {', '.join(FILE_LEVELS)})"
    try:
        geometry = shape(feature.get("geometry"))
    except (AttributeError, TypeError, ValueError, shapely.errors.ShapelyError):
        return "geometry is not valid GeoJSON"
    if geometry.geom_type not in {"Polygon", "MultiPolygon"}:
        return f"geometry must be a Polygon or MultiPolygon, not {geometry.geom_type}"
    return ""


def boundaries_read(*, path: Path, coord_system: str) -> list[Boundary]:
    """The boundaries of a GeoJSON file with DataV properties (adcode, name, level, parent.adcode),
    converted from ``coord_system`` to WGS84; ValueError naming every unusable feature."""
    coord_system = CoordSystem(coord_system)
    features = features_read(path)
    _problems_raise([f"feature {number}: {problem}"
                     for number, feature in enumerate(features, start=1) if (problem := boundary_problem(feature))])
    boundaries = []
    for feature in features:
        properties = feature["properties"]
        boundaries.append(Boundary(
            level=FILE_LEVELS[properties.get("level", DEFAULT_FILE_LEVEL)],
            code=str(properties["adcode"]), name=properties["name"],
            parent_code=str((properties.get("parent") or {}).get("adcode") or ""),
            geometry=geometry_to_wgs84(shape(feature["geometry"]), coord_system),
        ))
    return boundaries


def zone_feature_read(feature: dict, *, coord_system: str, units: dict[str, Unit]) -> dict:
    """Keyword arguments of `services.zone_upsert` for one file feature; ValueError naming what is wrong."""
    properties = feature.get("properties") or {}
    name, duty, unit_name = (str(properties.get(key) or "").strip() for key in ("name", "duty", "unit"))
    if not name:
        raise ValueError("properties.name is missing")
    if duty not in DutyKind.values:
        raise ValueError(f"unknown duty {duty!r}")
    if unit_name not in units:
        raise ValueError(f"unknown unit {unit_name!r}")
    try:
        buffer_m = float(properties.get("buffer_m") or 0)
    except (TypeError, ValueError):
        raise ValueError(f"buffer_m {properties.get('buffer_m')!r} is not a number") from None
    geometry = zone_geometry_parse(feature.get("geometry"), coord_system=coord_system)
    zone_buffer_check(geometry, buffer_m)
    return {"name": name, "duty": duty, "unit": units[unit_name], "geometry": geometry, "buffer_m": buffer_m}


def zones_read(*, path: Path, coord_system: str, units: dict[str, Unit]) -> list[dict]:
    """The zones of a GeoJSON file (properties: name, duty, unit name, buffer_m) as `zone_upsert`
    arguments, with ``units`` the org units by name; ValueError naming every unusable feature."""
    coord_system = CoordSystem(coord_system)
    features = features_read(path)
    planned, problems = [], []
    for number, feature in enumerate(features, start=1):
        try:
            planned.append(zone_feature_read(feature, coord_system=coord_system, units=units))
        except ValueError as error:
            problems.append(f"feature {number}: {error}")
    _problems_raise(problems)
    return planned


def subdistrict_codes_read(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Sub-district (code, name) pairs per district code from a 统计用区划代码 CSV (code, name, areaCode)."""
    by_district: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            by_district[row["areaCode"]].append((row["code"], row["name"]))
    return {code: sorted(entries) for code, entries in by_district.items()}
