"""The geo demo loads and re-loads without changes (on a small grid extent to stay fast)."""
import io
import json

import pytest
from django.conf import settings

from jingzhi.geo import demo
from jingzhi.geo.coords import CoordSystem
from jingzhi.geo.models import Area, AreaLevel, GeographyVersion, Grid, ResponsibilityZone
from jingzhi.geo.selectors import locate_point
from jingzhi.org.services import units_load

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_routes_to_the_demo_zones(monkeypatch):
    units_load(path=settings.DATA_DIR / "org" / "zhengzhou-units.yaml")
    monkeypatch.setattr(demo, "CENTRAL_BBOX", (113.670, 34.755, 113.695, 34.772))
    demo.load_demo(stdout=io.StringIO())
    token, grids = GeographyVersion.objects.get().token, Grid.objects.count()
    demo.load_demo(stdout=io.StringIO())
    assert GeographyVersion.objects.get().token == token and Grid.objects.count() == grids > 300
    assert Area.objects.filter(level=AreaLevel.DISTRICT).count() == 12
    assert Area.objects.filter(level=AreaLevel.SUBDISTRICT, generated=True).count() == 14 + 16 + 14 + 24 + 8
    assert ResponsibilityZone.objects.count() == len(json.loads(demo.DEMO_ZONES.read_text(encoding="utf-8"))["features"]) == 4
    # 紫荆山公园's centre, given as an Amap (GCJ-02) click.
    location = locate_point(lon=113.684, lat=34.76275, coord_system=CoordSystem.GCJ02)
    assert location.district.name == "金水区" and location.grid_code.startswith("410105")
    assert location.responsible_units["park_manager"].name == "市园林局"
    on_road = locate_point(lon=113.6850, lat=34.7680, coord_system=CoordSystem.GCJ02)  # a 金水路 vertex
    assert {duty: unit.name for duty, unit in on_road.responsible_units.items()} == {
        "road_chief": "金水区", "road_maintainer": "市城管局"}
