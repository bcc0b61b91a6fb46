"""Grid generation: codes, areas, clipping, numbering order, idempotence."""
import json
import math
from collections import defaultdict

import pytest
import shapely
from shapely.geometry import Polygon, shape

from jingzhi.geo.generation import BLOCK_CELLS, Lattice
from jingzhi.geo.models import Area, AreaLevel, GeographyVersion, Grid
from jingzhi.geo.services import area_upsert, grids_generate
from jingzhi.geo.spatial import areas_m2

pytestmark = pytest.mark.django_db

# An irregular ~2 km² district (WGS84) in Zhengzhou's latitude band, with no sub-districts.
PENTAGON = Polygon([(113.700, 34.800), (113.716, 34.803), (113.719, 34.815), (113.706, 34.821), (113.698, 34.812)])


@pytest.fixture
def district():
    area, _outcome = area_upsert(level=AreaLevel.DISTRICT, code="419903", name="测试丙区", geometry=PENTAGON)
    grids_generate(district=area, size_m=100)
    return area


def cells(district):
    return [(grid, shape(json.loads(grid.geometry))) for grid in Grid.objects.filter(district=district).order_by("code")]


def test_codes_are_unique_hierarchical_and_fifteen_digits(district):
    grids = cells(district)
    codes = [grid.code for grid, _geometry in grids]
    assert len(codes) == len(set(codes)) > 150
    assert all(len(code) == 15 and code.isdigit() and code.startswith("419903000") for code in codes)
    for grid, _geometry in grids:
        assert grid.community.code == grid.code[:12] and grid.community.parent == district
        assert grid.subdistrict is None and grid.district == district


def test_interior_cells_are_ten_thousand_square_metres_and_edge_cells_are_clipped(district):
    interior = edge = 0
    for grid, geometry in cells(district):
        assert geometry.is_valid and geometry.area > 0
        assert PENTAGON.buffer(1e-7).covers(geometry)
        assert grid.area_m2 == pytest.approx(float(areas_m2([geometry])[0]), abs=0.006)  # stored to 0.01 m²
        if geometry.equals(shapely.box(*geometry.bounds)) and grid.area_m2 > 9000:
            interior += 1
            assert grid.area_m2 == pytest.approx(10_000, rel=0.003)
        else:
            edge += 1
            assert grid.area_m2 < 10_000 * 1.003
    assert interior > 100 and edge > 40
    total = sum(grid.area_m2 for grid, _geometry in cells(district))
    assert total == pytest.approx(float(areas_m2([PENTAGON])[0]), rel=1e-3)  # no gaps, no overlaps


def test_cells_are_numbered_west_to_east_then_north_to_south_within_blocks(district):
    step_lon, step_lat = Lattice(size_m=100, reference_lat=round(PENTAGON.centroid.y, 2)).steps
    by_community = defaultdict(list)
    for grid, geometry in cells(district):
        point = geometry.representative_point()
        by_community[grid.community.code].append(
            (grid.code, math.floor(point.y / step_lat), math.floor(point.x / step_lon)))
    assert len(by_community) > 1
    for members in by_community.values():
        assert len(members) <= BLOCK_CELLS * BLOCK_CELLS
        assert members[0][0].endswith("001")
        order = [(-row, col) for _code, row, col in members]  # members are in code order
        assert order == sorted(order)
        assert len({(row // BLOCK_CELLS, col // BLOCK_CELLS) for _code, row, col in members}) == 1


def test_regenerating_changes_nothing_and_a_new_size_replaces_the_grids(district):
    token = GeographyVersion.objects.get().token
    before = {grid.code: (grid.pk, grid.geometry) for grid, _geometry in cells(district)}
    counts = grids_generate(district=district, size_m=100)
    assert counts == {"created": 0, "updated": 0, "unchanged": len(before), "deleted": 0, "communities_changed": 0}
    assert GeographyVersion.objects.get().token == token
    assert {grid.code: (grid.pk, grid.geometry) for grid, _geometry in cells(district)} == before
    counts = grids_generate(district=district, size_m=200)
    assert counts["deleted"] > 0 and GeographyVersion.objects.get().token != token
    assert Grid.objects.filter(district=district).count() == counts["created"] + counts["updated"]


def test_grids_follow_sub_district_boundaries(geography):
    for grid in Grid.objects.select_related("subdistrict").filter(district__code="419901"):
        assert grid.code[:9] == grid.subdistrict.code
        assert shape(json.loads(grid.subdistrict.geometry)).buffer(1e-7).covers(shape(json.loads(grid.geometry)))


def test_bbox_limits_the_covered_extent(district):
    bbox = (113.704, 34.806, 113.710, 34.812)
    grids_generate(district=district, size_m=100, bbox=bbox)
    assert all(shapely.box(*bbox).buffer(1e-7).covers(geometry) for _grid, geometry in cells(district))
    assert Area.objects.filter(level=AreaLevel.COMMUNITY, parent=district).count() <= 4
