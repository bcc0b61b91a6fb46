"""Responsibility zones: the GeoJSON layer API and loading a city's own zones from a file."""
import io
import json

import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import shape

from jingzhi.geo.coords import CoordSystem, from_wgs84
from jingzhi.geo.models import GeographyVersion, ResponsibilityZone
from jingzhi.geo.selectors import locate_point
from jingzhi.geo.services import zones_load
from jingzhi.org.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def feature(name, duty, unit, geometry, **properties):
    return {"type": "Feature", "properties": {"name": name, "duty": duty, "unit": unit, **properties},
            "geometry": geometry}


def write_collection(tmp_path, features, name="zones.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def test_zones_geojson_lists_the_zones_with_duty_and_unit(staff_api, geography):
    data = staff_api.get("/api/geo/zones.geojson").json()
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 1
    road = data["features"][0]
    assert road["type"] == "Feature" and shape(road["geometry"]).geom_type == "LineString"
    assert road["properties"] == {
        "id": ResponsibilityZone.objects.get().pk, "name": "测试路", "duty": "road_maintainer",
        "duty_label": "道路养护单位", "unit": {"id": geography.road_maintainer.pk, "name": "测试道路养护中心"},
        "buffer_m": 30.0}
    english = staff_api.get("/api/geo/zones.geojson", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["features"][0]["properties"]["duty_label"] == "Road maintainer"


def test_zones_geojson_filters_by_duty_and_bbox(staff_api, geography):
    def names(params):
        return [f["properties"]["name"] for f in staff_api.get("/api/geo/zones.geojson", params).json()["features"]]

    assert names({"duty": "road_maintainer"}) == ["测试路"]
    assert names({"duty": "river_chief"}) == []
    assert names({"bbox": "113.60,34.74,113.61,34.745"}) == ["测试路"]  # the road runs along 34.7425
    assert names({"bbox": "113.60,34.75,113.61,34.76"}) == []


@pytest.mark.parametrize("params, field", [
    ({"duty": "mayor"}, "duty"),
    ({"bbox": "1,2,3"}, "bbox"),
    ({"bbox": "113.7,34.7,113.6,34.8"}, "bbox"),
])
def test_zones_geojson_bad_input_is_a_400(staff_api, params, field):
    response = staff_api.get("/api/geo/zones.geojson", params)
    assert response.status_code == 400 and list(response.json()) == [field]


def test_zones_geojson_requires_a_signed_in_user(client):
    assert client.get("/api/geo/zones.geojson").status_code in (401, 403)


def test_a_city_loads_its_zones_from_a_file_idempotently(tmp_path, geography):
    park_manager = Unit.objects.create(name="测试公园管理处", kind=UnitKind.CITY_BUREAU)
    # A park drawn on Amap (GCJ-02) around inside_b, and a river line through inside_a.
    park = [from_wgs84(lon=lon, lat=lat, coord_system=CoordSystem.GCJ02) for lon, lat in
            [(113.630, 34.740), (113.640, 34.740), (113.640, 34.750), (113.630, 34.750), (113.630, 34.740)]]
    river = [from_wgs84(lon=lon, lat=geography.inside_a[1], coord_system=CoordSystem.GCJ02)
             for lon in (113.600, 113.620)]
    path = write_collection(tmp_path, [
        feature("测试公园", "park_manager", "测试公园管理处", {"type": "Polygon", "coordinates": [park]}),
        feature("测试河", "river_chief", "测试甲区", {"type": "LineString", "coordinates": river}, buffer_m=20),
    ])
    out = io.StringIO()
    call_command("load_zones", str(path), "--coord-system", "gcj02", stdout=out, stderr=io.StringIO())
    assert "2 created, 0 updated, 0 unchanged" in out.getvalue()
    token = GeographyVersion.objects.get().token
    assert zones_load(path=path, coord_system="gcj02") == {"created": 0, "updated": 0, "unchanged": 2}
    assert GeographyVersion.objects.get().token == token and ResponsibilityZone.objects.count() == 3

    units = locate_point(lon=geography.inside_b[0], lat=geography.inside_b[1]).responsible_units
    assert units == {"park_manager": park_manager}
    units = locate_point(lon=geography.inside_a[0], lat=geography.inside_a[1] + 0.00015).responsible_units  # ~17 m
    assert units == {"river_chief": geography.district_a}
    assert locate_point(lon=geography.inside_a[0], lat=geography.inside_a[1] + 0.0003).responsible_units == {}


@pytest.mark.parametrize("bad, message", [
    ({"duty": "mayor"}, "unknown duty 'mayor'"),
    ({"unit": "没有这个单位"}, "unknown unit '没有这个单位'"),
    ({"name": ""}, "properties.name is missing"),
    ({"buffer_m": "wide"}, "buffer_m 'wide' is not a number"),
    ({"geometry": {"type": "Point", "coordinates": [113.6, 34.7]}}, "Polygon"),
    ({"geometry": {"type": "LineString", "coordinates": [[113.6, 34.7], [113.7, 34.7]]}}, "0"),
    ({"geometry": {"type": "Polygon", "coordinates": [[[200, 34.7], [201, 34.7], [201, 35], [200, 34.7]]]}}, "坐标"),
])
def test_a_bad_feature_loads_nothing(tmp_path, geography, bad, message):
    good = feature("测试公园", "park_manager", "测试甲区",
                   {"type": "Polygon", "coordinates": [[[113.6, 34.74], [113.61, 34.74], [113.61, 34.75], [113.6, 34.74]]]})
    broken = feature(**{"name": "坏的", "duty": "park_manager", "unit": "测试甲区", "geometry": good["geometry"],
                        **{key: value for key, value in bad.items() if key != "buffer_m"}})
    broken["properties"].update({key: value for key, value in bad.items() if key == "buffer_m"})
    path = write_collection(tmp_path, [good, broken])
    with pytest.raises(CommandError) as error:
        call_command("load_zones", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert "feature 2:" in str(error.value) and message in str(error.value)
    assert ResponsibilityZone.objects.count() == 1  # only the test geography's road


@pytest.mark.parametrize("command", ["load_zones", "load_boundaries"])
@pytest.mark.parametrize("content, message", [("[1, 2]", "FeatureCollection"), ("{oops", "Expecting")])
def test_a_file_that_is_not_a_feature_collection_is_a_command_error(tmp_path, command, content, message):
    path = tmp_path / "zones.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command(command, str(path), stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="No such file"):
        call_command(command, str(tmp_path / "missing.geojson"), stdout=io.StringIO(), stderr=io.StringIO())
