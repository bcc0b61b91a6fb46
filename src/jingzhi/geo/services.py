"""Write side of `geo`: areas, grids and responsibility zones.

Other apps read geography through `selectors` and never write it. Every write below ends with
`geography_changed`, which moves the token the routing caches compare against. All writes are
idempotent: re-running them with the same input changes nothing and reports zeros. The files the
loaders take are read and checked by `parsing`; the org units of areas are made by `org.services`.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
import shapely
from django.db import transaction
from shapely.geometry.base import BaseGeometry

from jingzhi.org.models import Unit, UnitKind
from jingzhi.org.services import unit_get_or_create_by_code

from .coords import CoordSystem
from .generation import Lattice, polygon_split, region_grid
from .geometry import zone_buffer_check
from .models import Area, AreaLevel, GeographyVersion, Grid, ResponsibilityZone
from .parsing import boundaries_read, zones_read
from .spatial import PRECISION_DEG

Progress = Callable[..., Iterable]


def no_progress(items: Iterable, **_options) -> Iterable:
    """Default progress wrapper; commands pass ``tqdm`` instead."""
    return items


UNIT_KINDS = {
    AreaLevel.DISTRICT: UnitKind.DISTRICT, AreaLevel.SUBDISTRICT: UnitKind.SUBDISTRICT,
    AreaLevel.COMMUNITY: UnitKind.COMMUNITY,
}
GENERATED_SUBDISTRICT_SOURCE = "generated: Voronoi split of the district"
GENERATED_COMMUNITY_SOURCE = "generated: grid block"
_BULK_BATCH = 2000


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
    """The org unit of an area: the unit of the same kind and code, created by org when missing."""
    kind = UNIT_KINDS.get(level)
    if kind is None:
        return None
    return unit_get_or_create_by_code(kind=kind, code=code, name=name, parent=parent.unit if parent else None)


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
    boundaries = boundaries_read(path=path, coord_system=coord_system)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for boundary in progress(boundaries, desc="boundaries", unit="area"):
        parent = Area.objects.filter(code=boundary.parent_code).first() if boundary.parent_code else None
        _area, outcome = area_upsert(level=boundary.level, code=boundary.code, name=boundary.name,
                                     geometry=boundary.geometry, parent=parent, source=Path(path).name)
        counts[outcome] += 1
    if counts["created"] or counts["updated"]:
        geography_changed()
    return counts


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


@transaction.atomic
def zones_load(*, path: Path, coord_system: str = CoordSystem.WGS84,
               progress: Progress = no_progress) -> dict[str, int]:
    """Load responsibility zones from a GeoJSON FeatureCollection (properties: name, duty, unit, buffer_m).

    ``unit`` is the org unit's name; zones are matched by (name, duty), so a re-run changes nothing.
    Every feature is checked before anything is written: one bad feature loads none (ValueError
    listing each problem with its feature number).
    """
    units = {unit.name: unit for unit in Unit.objects.all()}
    planned = zones_read(path=path, coord_system=coord_system, units=units)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for arguments in progress(planned, desc="zones", unit="zone"):
        _zone, outcome = zone_upsert(**arguments)
        counts[outcome] += 1
    return counts
