"""Coordinate conversions against the published reference values of the coordtransform projects."""
import numpy as np
import pytest

from jingzhi.geo.coords import CoordSystem, bd09_to_gcj02, from_wgs84, gcj02_to_bd09, to_wgs84, wgs84_to_gcj02
from jingzhi.geo.spatial import metres_per_degree

# wandergis/coordtransform README, input (116.404, 39.915) for each function.
REFERENCE = {
    "wgs84_to_gcj02": (116.41024449916938, 39.91640428150164),
    "gcj02_to_bd09": (116.41036949371029, 39.92133699351021),
    "bd09_to_gcj02": (116.39762729119315, 39.90865673957631),  # their closed-form approximation
    "gcj02_to_wgs84": (116.39775550083061, 39.91359571849836),  # their one-step approximation
    "wgs84_to_bd09": (116.41662724378733, 39.922699552216216),
}
BEIJING = (116.404, 39.915)


def metres_between(a, b):
    per_lon, per_lat = metres_per_degree((a[1] + b[1]) / 2)
    return float(np.hypot((a[0] - b[0]) * per_lon, (a[1] - b[1]) * per_lat))


def test_forward_formulas_match_the_reference_to_the_last_digits():
    assert tuple(map(float, wgs84_to_gcj02(*BEIJING))) == pytest.approx(REFERENCE["wgs84_to_gcj02"], abs=1e-12)
    assert tuple(map(float, gcj02_to_bd09(*BEIJING))) == pytest.approx(REFERENCE["gcj02_to_bd09"], abs=1e-12)
    bd = from_wgs84(lon=BEIJING[0], lat=BEIJING[1], coord_system=CoordSystem.BD09)
    assert bd == pytest.approx(REFERENCE["wgs84_to_bd09"], abs=1e-12)


def test_inverses_agree_with_the_published_approximations_within_a_metre():
    wgs = to_wgs84(lon=BEIJING[0], lat=BEIJING[1], coord_system=CoordSystem.GCJ02)
    assert metres_between(wgs, REFERENCE["gcj02_to_wgs84"]) < 1
    gcj = tuple(map(float, bd09_to_gcj02(*BEIJING)))
    assert metres_between(gcj, REFERENCE["bd09_to_gcj02"]) < 1


@pytest.mark.parametrize("system", [CoordSystem.GCJ02, CoordSystem.BD09])
def test_round_trips_stay_within_a_millimetre_across_china(system):
    rng = np.random.default_rng(7)
    points = list(zip(rng.uniform(75, 134, 300), rng.uniform(18, 53, 300))) + [(113.665, 34.757)]
    for lon, lat in points:
        there = from_wgs84(lon=lon, lat=lat, coord_system=system)
        back = to_wgs84(lon=there[0], lat=there[1], coord_system=system)
        assert metres_between(back, (lon, lat)) < 0.001


def test_zhengzhou_gcj02_is_a_few_hundred_metres_off_wgs84():
    gcj = from_wgs84(lon=113.665, lat=34.757, coord_system=CoordSystem.GCJ02)
    assert 100 < metres_between(gcj, (113.665, 34.757)) < 800


@pytest.mark.parametrize("point", [(2.3522, 48.8566), (-74.006, 40.7128), (151.2093, -33.8688), (139.7, 35.7)])
@pytest.mark.parametrize("system", list(CoordSystem))
def test_no_shift_outside_china(point, system):
    assert from_wgs84(lon=point[0], lat=point[1], coord_system=system) == point
    assert to_wgs84(lon=point[0], lat=point[1], coord_system=system) == point


def test_unknown_system_is_rejected():
    with pytest.raises(ValueError):
        to_wgs84(lon=113.6, lat=34.7, coord_system="utm")
