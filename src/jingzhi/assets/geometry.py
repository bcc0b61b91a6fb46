"""An asset's geometry from a person or a file: GeoJSON checked against the kind, in WGS84, with its
representative point. Pure (Shapely/numpy), no database.

The representative point is what locating uses (district, grid, zone) and what a case on the asset
is reported at: the point itself, the middle of a line (measured along it), a point surely inside a
polygon (``point_on_surface``; a centroid can fall outside an L-shaped site).
"""
from __future__ import annotations

import json

import shapely
from django.utils.translation import gettext as _
from shapely.geometry import mapping

from jingzhi.geo.coords import CoordSystem
from jingzhi.geo.geometry import geometry_parse

from .kinds import AssetKind

#: Stored coordinates are rounded to 1e-7° (about 1 cm), as geo stores its shapes.
DECIMALS = 7
#: A hand-drawn or imported shape has at most this many vertices (a 50 km road at 10 m steps).
MAX_VERTICES = 5000


class GeometryInvalid(ValueError):
    """The geometry is unusable; the message says why, for the person who gave it."""


def point_geometry(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": [round(lon, DECIMALS), round(lat, DECIMALS)]}


def geometry_clean(kind: AssetKind, source, *, coord_system: str = CoordSystem.WGS84) -> tuple[dict, float, float]:
    """(GeoJSON geometry in WGS84, representative lon, lat) for an asset of ``kind``.

    ``source`` is GeoJSON text or a mapping (a geometry or a Feature) in ``coord_system``, checked by
    geo's `geometry_parse`; GeometryInvalid as well for a geometry type the kind does not have or too
    many vertices.
    """
    try:
        geometry = geometry_parse(source, types=kind.geometry_types, coord_system=coord_system,
                                  type_message=_("%(kind)s的几何类型须为 %(types)s。")
                                  % {"kind": kind.label, "types": "、".join(kind.geometry_types)})
    except ValueError as error:
        raise GeometryInvalid(str(error)) from None
    if shapely.get_num_coordinates(geometry) > MAX_VERTICES:
        raise GeometryInvalid(_("顶点不能超过 %(limit)d 个。") % {"limit": MAX_VERTICES})
    if geometry.geom_type != "Point":
        geometry = shapely.set_precision(geometry, 10 ** -DECIMALS)
    point = representative_point(geometry)
    cleaned = json.loads(json.dumps(mapping(geometry)))  # tuples → lists, as stored JSON reads back
    if cleaned["type"] == "Point":
        cleaned = point_geometry(*cleaned["coordinates"][:2])
    return cleaned, round(point.x, DECIMALS), round(point.y, DECIMALS)


def representative_point(geometry):
    if geometry.geom_type == "Point":
        return geometry
    if geometry.geom_type in ("LineString", "MultiLineString"):
        return shapely.line_interpolate_point(shapely.line_merge(geometry), 0.5, normalized=True)
    return geometry.point_on_surface()
