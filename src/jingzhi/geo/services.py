"""Write side of `geo`, and the one module other apps import from.

Other apps use: ``CoordSystem``, ``to_wgs84``, ``from_wgs84``, ``Location``, ``locate_point`` and
``locate_points`` (re-exported here from `coords` and `routing` so callers have one import). Every
write below ends with `geography_changed`, which moves the token the routing caches compare against.
All writes are idempotent: re-running them with the same input changes nothing and reports zeros.
"""
from __future__ import annotations

import csv
import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
import shapely
from django.db import transaction
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from jingzhi.org.models import Unit, UnitKind

from .coords import CoordSystem, from_wgs84, to_wgs84
from .geometry import geometry_to_wgs84, zone_buffer_check, zone_geometry_parse
from .generation import Lattice, polygon_split, region_grid
from .models import Area, AreaLevel, DutyKind, GeographyVersion, Grid, ResponsibilityZone
from .routing import Location, locate_point, locate_points
from .spatial import PRECISION_DEG

__all__ = [
    "CoordSystem", "Location", "from_wgs84", "locate_point", "locate_points", "to_wgs84",
    "area_upsert", "boundaries_load", "geography_changed", "grids_generate", "subdistrict_codes_read",
    "subdistricts_generate", "zone_delete", "zone_save", "zone_upsert", "zones_load",
]

Progress = Callable[..., Iterable]


def no_progress(items: Iterable, **_options) -> Iterable:
    """Default progress wrapper; commands pass ``tqdm`` instead."""
    return items


#: Level names used by boundary files (DataV uses province/city/district) → our levels.
FILE_LEVELS = {
    "city": AreaLevel.CITY, "district": AreaLevel.DISTRICT, "subdistrict": AreaLevel.SUBDISTRICT,
    "street": AreaLevel.SUBDISTRICT, "community": AreaLevel.COMMUNITY,
}
UNIT_KINDS = {
    AreaLevel.DISTRICT: UnitKind.DISTRICT, AreaLevel.SUBDISTRICT: UnitKind.SUBDISTRICT,
    AreaLevel.COMMUNITY: UnitKind.COMMUNITY,
}
GENERATED_SUBDISTRICT_SOURCE = "generated: Voronoi split of the district"
GENERATED_COMMUNITY_SOURCE = "generated: grid block"
_BULK_BATCH = 2000


def _features_read(path: Path) -> list[dict]:
    """The features of a GeoJSON FeatureCollection file; ValueError if the file is not one."""
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ValueError("not a GeoJSON FeatureCollection")
    return document.get("features") or []


def geography_changed() -> None:
    """Tell every process's routing cache that the geography changed (see GeographyVersion)."""
    GeographyVersion.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


def shape_fields(geometry: BaseGeometry) -> dict:
    """Model fields of a WGS84 geometry: rounded GeoJSON text and its bounding box."""
    geometry = shapely.set_precision(geometry, PRECISION_DEG)
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    return {"geometry": shapely.to_geojson(geometry), "min_lon": min_lon, "min_lat": min_lat,
            "max_lon": max_lon, "max_lat": max_lat}


def _save_if_changed(model, lookup: dict, fields: dict) -> tuple[object, str]:
    """Create or update one row; returns it and "created", "updated" or "unchanged"."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**lookup, **fields), "created"
    if all(getattr(instance, key) == value for key, value in fields.items()):
        return instance, "unchanged"
    for key, value in fields.items():
        setattr(instance, key, value)
    instance.save()
    return instance, "updated"


def _area_unit(*, level: str, code: str, name: str, parent: Area | None) -> Unit | None:
    """The org unit of an area: found by kind and code, else created (name made unique by the parent)."""
    kind = UNIT_KINDS.get(level)
    if kind is None:
        return None
    unit = Unit.objects.filter(kind=kind, code=code).order_by("pk").first()
    if unit is not None:
        return unit
    parent_unit = parent.unit if parent else None
    candidates = [name, f"{parent_unit.name}{name}" if parent_unit else name, f"{name}{code}"]
    taken = set(Unit.objects.filter(name__in=candidates).values_list("name", flat=True))
    unique_name = next((candidate for candidate in candidates if candidate not in taken), f"{name}{code}")
    return Unit.objects.create(name=unique_name, kind=kind, code=code, parent=parent_unit)


def area_upsert(*, level: str, code: str, name: str, geometry: BaseGeometry, parent: Area | None = None,
                generated: bool = False, source: str = "", link_unit: bool = True) -> tuple[Area, str]:
    """Create or update an area by code and link (or create) its org unit. Does not bump the token.

    ``link_unit=False`` is for generated grid blocks: they stand in for communities in the grid code
    but are not organisations, so they must not appear in the unit directory.
    """
    unit = _area_unit(level=level, code=code, name=name, parent=parent) if link_unit else None
    fields = {"level": level, "name": name, "parent_id": parent.pk if parent else None,
              "unit_id": unit.pk if unit else None, "generated": generated, "source": source,
              **shape_fields(geometry)}
    return _save_if_changed(Area, {"code": code}, fields)


@transaction.atomic
def boundaries_load(*, path: Path, coord_system: str = CoordSystem.GCJ02,
                    progress: Progress = no_progress) -> dict[str, int]:
    """Load a GeoJSON FeatureCollection of boundaries (DataV properties: adcode, name, level, parent).

    Coordinates are converted from ``coord_system`` to WGS84. Areas are matched by code and linked to
    the org unit of the same kind and code (created when missing). Returns created/updated/unchanged.
    """
    coord_system = CoordSystem(coord_system)
    features = _features_read(path)
    problems = [f"feature {number}: {problem}"
                for number, feature in enumerate(features, start=1) if (problem := _boundary_problem(feature))]
    if problems:
        raise ValueError("; ".join(problems))
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for feature in progress(features, desc="boundaries", unit="area"):
        properties = feature["properties"]
        level = FILE_LEVELS[properties.get("level", "district")]
        parent_code = str((properties.get("parent") or {}).get("adcode") or "")
        parent = Area.objects.filter(code=parent_code).first() if parent_code else None
        geometry = geometry_to_wgs84(shape(feature["geometry"]), coord_system)
        _area, outcome = area_upsert(level=level, code=str(properties["adcode"]), name=properties["name"],
                                     geometry=geometry, parent=parent, source=Path(path).name)
        counts[outcome] += 1
    if counts["created"] or counts["updated"]:
        geography_changed()
    return counts


def _boundary_problem(feature) -> str:
    """Why a boundary feature cannot be loaded ("" when it can), checked before anything is written."""
    properties = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(properties, dict) or not properties.get("adcode") or not properties.get("name"):
        return "properties adcode and name are required"
    if properties.get("level", "district") not in FILE_LEVELS:
        return f"unknown level {properties.get('level')!r} (one of {', '.join(FILE_LEVELS)})"
    try:
        geometry = shape(feature.get("geometry"))
    except (AttributeError, TypeError, ValueError, shapely.errors.ShapelyError):
        return "geometry is not valid GeoJSON"
    if geometry.geom_type not in {"Polygon", "MultiPolygon"}:
        return f"geometry must be a Polygon or MultiPolygon, not {geometry.geom_type}"
    return ""


def subdistrict_codes_read(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Sub-district (code, name) pairs per district code from a 统计用区划代码 CSV (code, name, areaCode)."""
    by_district: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            by_district[row["areaCode"]].append((row["code"], row["name"]))
    return {code: sorted(entries) for code, entries in by_district.items()}


@transaction.atomic
def subdistricts_generate(*, district: Area, entries: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Draw the district's sub-districts (no real boundaries exist) and mark them generated.

    The district is split into as many compact parts as there are entries (see
    `generation.polygon_split`); parts and codes are both taken in order, so the result is stable.
    A district that already has real (loaded) sub-districts is left alone.
    """
    counts = {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0}
    children = district.children.filter(level=AreaLevel.SUBDISTRICT)
    if children.filter(generated=False).exists():
        return counts
    entries = sorted(entries)
    pieces = polygon_split(shapely.from_geojson(district.geometry), len(entries), seed=int(district.code))
    for (code, name), piece in zip(entries, pieces, strict=True):
        _area, outcome = area_upsert(level=AreaLevel.SUBDISTRICT, code=code, name=name, geometry=piece,
                                     parent=district, generated=True, source=GENERATED_SUBDISTRICT_SOURCE)
        counts[outcome] += 1
    counts["deleted"], _detail = children.exclude(code__in=[code for code, _name in entries]).delete()
    if any(counts[key] for key in ("created", "updated", "deleted")):
        geography_changed()
    return counts


def _planned_grids(*, district: Area, lattice: Lattice, clip: BaseGeometry | None, progress: Progress):
    """Communities (generated blocks) and grids the district should have: {code: fields} each."""
    district_geometry = shapely.from_geojson(district.geometry)
    subdistricts = list(district.children.filter(level=AreaLevel.SUBDISTRICT).order_by("code")) or [None]
    communities: dict[str, dict] = {}
    grids: dict[str, dict] = {}
    for subdistrict in progress(subdistricts, desc=district.name, unit="sub-district"):
        region = shapely.from_geojson(subdistrict.geometry) if subdistrict else district_geometry
        if clip is not None:
            region = region.intersection(clip)
        prefix = subdistrict.code if subdistrict else f"{district.code}000"
        blocks, cells = region_grid(region, lattice)
        if len(blocks) > 999:
            raise ValueError(f"{prefix}: {len(blocks)} blocks exceed the 3-digit community segment")
        for block in blocks:
            communities[f"{prefix}{block.number:03d}"] = {
                "parent": subdistrict or district, "geometry": block.geometry,
                "name": f"{(subdistrict or district).name}{block.number:03d}区块",
            }
        for cell in cells:
            grids[f"{prefix}{cell.block:03d}{cell.sequence:03d}"] = {
                "subdistrict": subdistrict, "community_code": f"{prefix}{cell.block:03d}",
                "geometry": cell.geometry, "area_m2": round(cell.area_m2, 2),
            }
    return communities, grids


def _communities_sync(*, district: Area, planned: dict[str, dict], counts: dict[str, int]) -> dict[str, Area]:
    parents = [district, *district.children.filter(level=AreaLevel.SUBDISTRICT)]
    stale = Area.objects.filter(level=AreaLevel.COMMUNITY, generated=True, parent__in=parents) \
        .exclude(code__in=list(planned))
    counts["deleted"] += stale.delete()[1].get("geo.Area", 0)
    result = {}
    for code, plan in planned.items():
        result[code], outcome = area_upsert(
            level=AreaLevel.COMMUNITY, code=code, name=plan["name"], geometry=plan["geometry"],
            parent=plan["parent"], generated=True, source=GENERATED_COMMUNITY_SOURCE, link_unit=False,
        )
        counts[outcome] += 1
    return result


@transaction.atomic
def grids_generate(*, district: Area, size_m: float = 100.0, bbox: Sequence[float] | None = None,
                   progress: Progress = no_progress) -> dict[str, int]:
    """Cover the district (optionally only ``bbox``) with unit grids, clipped to its sub-districts.

    Grid code (15 digits, docs/geo.md): 6 district + 3 sub-district + 3 community block + 3 sequence.
    The district's grids become exactly the planned set: missing ones are created, changed ones
    updated, others deleted — so a re-run with the same arguments changes nothing.
    """
    lattice = Lattice(size_m=size_m, reference_lat=round(shapely.from_geojson(district.geometry).centroid.y, 2))
    clip = shapely.box(*bbox) if bbox else None
    planned_communities, planned = _planned_grids(district=district, lattice=lattice, clip=clip, progress=progress)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0}
    existing = {grid.code: grid for grid in Grid.objects.filter(district=district)}
    community_counts = dict(counts)
    communities = _communities_sync(district=district, planned=planned_communities, counts=community_counts)
    geometries = np.array([plan["geometry"] for plan in planned.values()], dtype=object)
    texts = shapely.to_geojson(geometries) if len(geometries) else []
    bounds = shapely.bounds(geometries) if len(geometries) else []
    to_create, to_update = [], []
    for (code, plan), text, box in zip(planned.items(), texts, bounds, strict=True):
        fields = {"district_id": district.pk, "subdistrict_id": plan["subdistrict"].pk if plan["subdistrict"] else None,
                  "community_id": communities[plan["community_code"]].pk, "area_m2": plan["area_m2"],
                  "geometry": text, "min_lon": box[0], "min_lat": box[1], "max_lon": box[2], "max_lat": box[3]}
        grid = existing.pop(code, None)
        if grid is None:
            to_create.append(Grid(code=code, **fields))
        elif any(getattr(grid, key) != value for key, value in fields.items()):
            for key, value in fields.items():
                setattr(grid, key, value)
            to_update.append(grid)
        else:
            counts["unchanged"] += 1
    Grid.objects.filter(pk__in=[grid.pk for grid in existing.values()]).delete()
    Grid.objects.bulk_create(to_create, batch_size=_BULK_BATCH)
    Grid.objects.bulk_update(to_update, ["district", "subdistrict", "community", "area_m2", "geometry",
                                         "min_lon", "min_lat", "max_lon", "max_lat"], batch_size=_BULK_BATCH)
    counts.update(created=len(to_create), updated=len(to_update), deleted=len(existing))
    counts["communities_changed"] = sum(community_counts[key] for key in ("created", "updated", "deleted"))
    if counts["created"] or counts["updated"] or counts["deleted"] or counts["communities_changed"]:
        geography_changed()
    return counts


@transaction.atomic
def zone_upsert(*, name: str, duty: str, unit: Unit, geometry: BaseGeometry, buffer_m: float = 0.0
                ) -> tuple[ResponsibilityZone, str]:
    """Create or update the zone where ``unit`` holds ``duty`` (a polygon, or a line and a buffer)."""
    zone, outcome = _save_if_changed(
        ResponsibilityZone, {"name": name, "duty": duty},
        {"unit_id": unit.pk, "buffer_m": float(buffer_m), **shape_fields(geometry)},
    )
    if outcome != "unchanged":
        geography_changed()
    return zone, outcome


@transaction.atomic
def zone_save(*, zone: ResponsibilityZone, geometry: BaseGeometry) -> ResponsibilityZone:
    """Save a zone edited field by field (the admin form), with ``geometry`` in WGS84."""
    zone_buffer_check(geometry, zone.buffer_m)
    for key, value in shape_fields(geometry).items():
        setattr(zone, key, value)
    zone.save()
    geography_changed()
    return zone


@transaction.atomic
def zone_delete(*, zone: ResponsibilityZone) -> None:
    zone.delete()
    geography_changed()


def _zone_feature_read(feature: dict, coord_system: str, units: dict[str, Unit]) -> dict:
    """Keyword arguments of `zone_upsert` for one file feature; ValueError naming what is wrong."""
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


@transaction.atomic
def zones_load(*, path: Path, coord_system: str = CoordSystem.WGS84,
               progress: Progress = no_progress) -> dict[str, int]:
    """Load responsibility zones from a GeoJSON FeatureCollection (properties: name, duty, unit, buffer_m).

    ``unit`` is the org unit's name; zones are matched by (name, duty), so a re-run changes nothing.
    Every feature is checked before anything is written: one bad feature loads none (ValueError
    listing each problem with its feature number).
    """
    coord_system = CoordSystem(coord_system)
    features = _features_read(path)
    units = {unit.name: unit for unit in Unit.objects.all()}
    planned, problems = [], []
    for number, feature in enumerate(features, start=1):
        try:
            planned.append(_zone_feature_read(feature, coord_system, units))
        except ValueError as error:
            problems.append(f"feature {number}: {error}")
    if problems:
        raise ValueError("; ".join(problems))
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for arguments in progress(planned, desc="zones", unit="zone"):
        _zone, outcome = zone_upsert(**arguments)
        counts[outcome] += 1
    return counts
