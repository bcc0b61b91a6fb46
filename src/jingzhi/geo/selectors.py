"""Read side of `geo`: GeoJSON for maps.

Geography is reference data every signed-in staff member may read (like the unit directory), so
these reads are not scoped by unit. Grids are only ever served for a bounded map view.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from django.db.models import QuerySet

from .models import Area, Grid, ResponsibilityZone

#: Largest map view (degrees per side) for which grids are served: about 9 km × 9 km, ~8,000 cells.
MAX_GRID_BBOX_SPAN_DEG = 0.08


@dataclass(frozen=True)
class BBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


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
