"""GeoJSON geometry arriving from people and files: parse, check and convert to WGS84.

Used by the admin form, the zone loader and the asset registries, so a hand-typed geometry and a city's
file pass the same checks. Messages are translated because the admin shows them as field errors.
"""
from __future__ import annotations

import json

import numpy as np
import shapely
from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from .coords import CoordSystem, to_wgs84_arrays

#: Responsibility zones cover an area (park, district of a duty) or a line plus a buffer (road, river).
ZONE_GEOMETRY_TYPES = ("Polygon", "MultiPolygon", "LineString", "MultiLineString")
LINE_TYPES = ("LineString", "MultiLineString")


def geometry_to_wgs84(geometry: BaseGeometry, coord_system: str) -> BaseGeometry:
    return shapely.transform(
        geometry, lambda xy: np.column_stack(to_wgs84_arrays(xy[:, 0], xy[:, 1], coord_system)))


def geometry_parse(source: str | dict, *, types: tuple[str, ...], coord_system: str = CoordSystem.WGS84,
                   type_message: str = "") -> BaseGeometry:
    """A geometry of one of ``types`` (GeoJSON text or mapping, a geometry or a Feature) in WGS84;
    ValueError with a message for the person who gave it if unusable (``type_message`` for a wrong type)."""
    if isinstance(source, str):
        try:
            source = json.loads(source)
        except ValueError:
            raise ValueError(_("不是有效的 JSON。")) from None
    if isinstance(source, dict) and source.get("type") == "Feature":
        source = source.get("geometry")
    if not isinstance(source, dict) or source.get("type") not in types:
        raise ValueError(type_message or _("几何类型须为 %(types)s。") % {"types": "、".join(types)})
    try:
        geometry = shape(source)
        coordinates = shapely.get_coordinates(geometry)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, shapely.errors.ShapelyError):
        raise ValueError(_("坐标格式不正确。")) from None
    if geometry.is_empty:
        raise ValueError(_("几何为空。"))
    lons, lats = coordinates[:, 0], coordinates[:, 1]
    if not (np.isfinite(coordinates).all() and (np.abs(lons) <= 180).all() and (np.abs(lats) <= 90).all()):
        raise ValueError(_("坐标超出经纬度范围。"))
    if not geometry.is_valid:
        raise ValueError(_("几何无效（例如边界自相交）：%(reason)s") % {"reason": shapely.is_valid_reason(geometry)})
    return geometry_to_wgs84(geometry, CoordSystem(coord_system))


def zone_geometry_parse(source: str | dict, *, coord_system: str = CoordSystem.WGS84) -> BaseGeometry:
    """A zone geometry (GeoJSON text or mapping, a geometry or a Feature) in WGS84; ValueError if unusable."""
    return geometry_parse(source, types=ZONE_GEOMETRY_TYPES, coord_system=coord_system,
                          type_message=_("几何类型须为 Polygon、MultiPolygon、LineString 或 MultiLineString。"))


def zone_buffer_check(geometry: BaseGeometry, buffer_m: float) -> None:
    """A line covers nothing without a buffer, and a negative buffer would shrink a polygon away."""
    if buffer_m < 0:
        raise ValueError(_("缓冲距离不能为负数。"))
    if geometry.geom_type in LINE_TYPES and buffer_m <= 0:
        raise ValueError(_("线状责任区（道路、河道）须设置大于 0 的缓冲距离。"))
