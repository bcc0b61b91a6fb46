"""A tiny, deterministic geography for tests of any app (``build_test_geography``).

Two adjacent 0.02° × 0.02° square districts just west of central Zhengzhou (WGS84), each split into a
north and a south sub-district, covered by 500 m grids (a few dozen cells, fast to build), plus one
road whose maintainer is a responsibility zone. Everything is created through the geo services, so
tests exercise the same code paths as real data.
"""
from __future__ import annotations

from dataclasses import dataclass

import shapely
from shapely.geometry import LineString

from jingzhi.org.models import Unit, UnitKind
from jingzhi.org.services import unit_get_or_create

from .models import AreaLevel, DutyKind
from .selectors import locate_point
from .services import area_upsert, grids_generate, zone_upsert

WEST, MIDDLE, EAST = 113.60, 113.62, 113.64
SOUTH, CENTRE, NORTH = 34.74, 34.75, 34.76
ROAD_LAT = 34.7425


@dataclass(frozen=True)
class TestGeography:
    __test__ = False  # not a pytest test class

    district_a: Unit
    district_b: Unit
    subdistrict_a1: Unit  # north half of A
    subdistrict_a2: Unit  # south half of A
    subdistrict_b1: Unit
    subdistrict_b2: Unit
    road_maintainer: Unit
    inside_a: tuple[float, float]  # WGS84, in A's north sub-district, in a grid, off the road
    inside_b: tuple[float, float]  # WGS84, in B's south sub-district, off the road
    on_road: tuple[float, float]  # in A, within the road's 30 m buffer
    on_border: tuple[float, float]  # exactly on the A/B border
    outside: tuple[float, float]  # in no district
    grid_code_a: str
    grid_code_b: str


def build_test_geography() -> TestGeography:
    units = {}
    for code, name, west, east in (("419901", "测试甲区", WEST, MIDDLE), ("419902", "测试乙区", MIDDLE, EAST)):
        district, _outcome = area_upsert(level=AreaLevel.DISTRICT, code=code, name=name,
                                         geometry=shapely.box(west, SOUTH, east, NORTH))
        units[code] = district.unit
        for number, label, south, north in (("001", "北", CENTRE, NORTH), ("002", "南", SOUTH, CENTRE)):
            subdistrict, _outcome = area_upsert(
                level=AreaLevel.SUBDISTRICT, code=f"{code}{number}", name=f"{name}{label}街道",
                geometry=shapely.box(west, south, east, north), parent=district,
            )
            units[subdistrict.code] = subdistrict.unit
        grids_generate(district=district, size_m=500)
    maintainer = unit_get_or_create(name="测试道路养护中心", kind=UnitKind.CITY_BUREAU)
    zone_upsert(name="测试路", duty=DutyKind.ROAD_MAINTAINER, unit=maintainer, buffer_m=30,
                geometry=LineString([(WEST, ROAD_LAT), (EAST, ROAD_LAT)]))
    inside_a, inside_b = (113.605, 34.755), (113.635, 34.745)
    return TestGeography(
        district_a=units["419901"], district_b=units["419902"],
        subdistrict_a1=units["419901001"], subdistrict_a2=units["419901002"],
        subdistrict_b1=units["419902001"], subdistrict_b2=units["419902002"],
        road_maintainer=maintainer,
        inside_a=inside_a, inside_b=inside_b, on_road=(113.61, 34.7426), on_border=(MIDDLE, 34.745),
        outside=(113.70, 34.70),
        grid_code_a=locate_point(lon=inside_a[0], lat=inside_a[1]).grid_code,
        grid_code_b=locate_point(lon=inside_b[0], lat=inside_b[1]).grid_code,
    )
