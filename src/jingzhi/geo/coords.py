"""Coordinate systems used by Chinese maps and their conversions.

Phones and GPS give WGS84; Amap/Tencent use GCJ-02 (the state-mandated offset datum); Baidu uses BD-09
(a further rotation of GCJ-02). The platform stores WGS84 and converts at its edges.

The forward formulas are the public, widely re-implemented ones (e.g. the "coordtransform" projects);
there is no closed-form inverse, so GCJ-02 → WGS84 (and BD-09 → GCJ-02) is solved by fixed-point
iteration on the forward formula until the error is below a millimetre. Outside China no offset is
applied, as Chinese map providers do. Every function accepts floats or numpy arrays (the batch router
converts a million points at once).
"""
from __future__ import annotations

import numpy as np
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Krasovsky 1940 ellipsoid used by the GCJ-02 formula.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = np.pi * 3000.0 / 180.0
#: 1e-9° is about 0.1 mm: iterations stop well below the required metre.
_TOLERANCE_DEG = 1e-9
_MAX_ITERATIONS = 30


class CoordSystem(models.TextChoices):
    WGS84 = "wgs84", _("WGS84（GPS）")
    GCJ02 = "gcj02", _("GCJ-02（高德/腾讯）")
    BD09 = "bd09", _("BD-09（百度）")


def out_of_china(lon, lat):
    """The usual rough rectangle: GCJ-02 is only defined (and only applied) inside it."""
    return ~((lon > 73.66) & (lon < 135.05) & (lat > 3.86) & (lat < 53.55))


def _offset_lat(x, y):
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return ret


def _offset_lon(x, y):
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lon, lat):
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    dlat = _offset_lat(lon - 105.0, lat - 35.0)
    dlon = _offset_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    outside = out_of_china(lon, lat)
    return np.where(outside, lon, lon + dlon), np.where(outside, lat, lat + dlat)


def gcj02_to_bd09(lon, lat):
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    outside = out_of_china(lon, lat)
    return (np.where(outside, lon, z * np.cos(theta) + 0.0065),
            np.where(outside, lat, z * np.sin(theta) + 0.006))


def _bd09_to_gcj02_estimate(lon, lat):
    """The published closed-form approximation; refined by `_invert`."""
    x, y = lon - 0.0065, lat - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def _invert(forward, lon, lat, start):
    """Solve forward(x) == (lon, lat) by fixed-point iteration from ``start``."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    x, y = start
    for _iteration in range(_MAX_ITERATIONS):
        fx, fy = forward(x, y)
        ex, ey = fx - lon, fy - lat
        x, y = x - ex, y - ey
        if np.max(np.abs(ex), initial=0.0) < _TOLERANCE_DEG and np.max(np.abs(ey), initial=0.0) < _TOLERANCE_DEG:
            break
    return x, y


def gcj02_to_wgs84(lon, lat):
    return _invert(wgs84_to_gcj02, lon, lat, start=(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)))


def bd09_to_gcj02(lon, lat):
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    outside = out_of_china(lon, lat)
    x, y = _invert(gcj02_to_bd09, lon, lat, start=_bd09_to_gcj02_estimate(lon, lat))
    return np.where(outside, lon, x), np.where(outside, lat, y)


def bd09_to_wgs84(lon, lat):
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def wgs84_to_bd09(lon, lat):
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def _as_arrays(lon, lat):
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


#: Each system's (to WGS84, from WGS84) conversion.
_CONVERSIONS = {
    CoordSystem.WGS84: (_as_arrays, _as_arrays),
    CoordSystem.GCJ02: (gcj02_to_wgs84, wgs84_to_gcj02),
    CoordSystem.BD09: (bd09_to_wgs84, wgs84_to_bd09),
}


def _conversion(coord_system: str, direction: int):
    try:
        return _CONVERSIONS[CoordSystem(coord_system)][direction]
    except ValueError:
        raise ValueError(f"unknown coordinate system {coord_system!r}") from None


def to_wgs84_arrays(lons, lats, coord_system: str):
    """Vectorised form of `to_wgs84` for numpy arrays."""
    return _conversion(coord_system, 0)(lons, lats)


def from_wgs84_arrays(lons, lats, coord_system: str):
    """Vectorised form of `from_wgs84` for numpy arrays."""
    return _conversion(coord_system, 1)(lons, lats)


def to_wgs84(*, lon: float, lat: float, coord_system: str) -> tuple[float, float]:
    """A point given in ``coord_system`` as WGS84 (lon, lat)."""
    x, y = to_wgs84_arrays(lon, lat, coord_system)
    return float(x), float(y)


def from_wgs84(*, lon: float, lat: float, coord_system: str) -> tuple[float, float]:
    """A WGS84 point expressed in ``coord_system`` (e.g. to draw on an Amap base map)."""
    x, y = from_wgs84_arrays(lon, lat, coord_system)
    return float(x), float(y)
