import pytest
import shapely

from jingzhi.geo.coords import CoordSystem, from_wgs84
from jingzhi.geo.models import DutyKind, Grid
from jingzhi.geo.selectors import locate_point, locate_points
from jingzhi.geo.spatial import NONE, AreaShape, GeographyIndex

pytestmark = pytest.mark.django_db


def test_it_routes_a_point_inside_a_district(geography):
    location = locate_point(lon=geography.inside_a[0], lat=geography.inside_a[1])
    assert location.inside
    assert location.district == geography.district_a
    assert location.subdistrict == geography.subdistrict_a1
    assert location.grid_code == geography.grid_code_a
    assert len(location.grid_code) == 15 and location.grid_code.startswith("419901001")
    assert location.responsible_units == {}


def test_it_reports_outside_the_service_area(geography):
    location = locate_point(lon=geography.outside[0], lat=geography.outside[1])
    assert not location.inside
    assert location.district is None and location.subdistrict is None and location.grid_code == ""


def test_it_returns_the_responsible_units(geography):
    location = locate_point(lon=geography.on_road[0], lat=geography.on_road[1])
    assert location.responsible_units == {DutyKind.ROAD_MAINTAINER: geography.road_maintainer}
    assert location.subdistrict == geography.subdistrict_a2


def test_a_point_on_a_shared_border_goes_to_the_smallest_code(geography):
    location = locate_point(lon=geography.on_border[0], lat=geography.on_border[1])
    assert location.district == geography.district_a  # 419901 < 419902
    touching = [g.code for g in Grid.objects.filter(min_lon__lte=113.62, max_lon__gte=113.62,
                                                     min_lat__lte=34.745, max_lat__gte=34.745)]
    assert len(touching) >= 2 and location.grid_code == min(touching)


def test_batch_matches_single_calls_and_converts_coordinates(geography):
    points = [geography.inside_a, geography.inside_b, geography.outside, geography.on_road]
    gcj = [from_wgs84(lon=lon, lat=lat, coord_system=CoordSystem.GCJ02) for lon, lat in points]
    batch = locate_points(points=gcj, coord_system=CoordSystem.GCJ02)
    singles = [locate_point(lon=lon, lat=lat) for lon, lat in points]
    assert [b.grid_code for b in batch] == [s.grid_code for s in singles]
    assert [b.district for b in batch] == [s.district for s in singles]
    assert all(abs(b.lon - p[0]) < 1e-8 and abs(b.lat - p[1]) < 1e-8 for b, p in zip(batch, points))


def test_bad_input_raises_value_error(geography):
    with pytest.raises(ValueError):
        locate_point(lon=200, lat=34.7)
    with pytest.raises(ValueError):
        locate_point(lon=113.6, lat=34.7, coord_system="utm")


def test_the_tie_rule_does_not_depend_on_insertion_order():
    """Pure index (no grids): on the shared edge and the shared corner the smallest code wins."""
    west = AreaShape(id=1, code="419902", level="district", parent_id=None, geometry=shapely.box(0, 0, 1, 1))
    east = AreaShape(id=2, code="419901", level="district", parent_id=None, geometry=shapely.box(1, 0, 2, 1))
    for areas in ([west, east], [east, west]):
        routes = GeographyIndex(areas=areas, grids=[]).route([1.0, 1.0, 0.5, 5.0], [0.5, 1.0, 0.5, 0.5])
        assert list(routes.district_id) == [2, 2, 1, NONE]
        assert list(routes.grid_code) == ["", "", "", ""]
