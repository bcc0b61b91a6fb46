"""/api/geo/: locate, areas.geojson, grids.geojson — success, refusals and bad input."""
import pytest
import shapely
from shapely.geometry import shape

from jingzhi.geo.coords import CoordSystem, from_wgs84
from jingzhi.geo.models import Grid

pytestmark = pytest.mark.django_db


def test_locate_returns_the_place_and_responsible_units(staff_api, geography):
    lon, lat = geography.on_road
    data = staff_api.get("/api/geo/locate", {"lon": lon, "lat": lat}).json()
    assert data["inside"] is True and data["message"] == ""
    assert data["district"] == {"id": geography.district_a.pk, "name": "测试甲区"}
    assert data["subdistrict"]["id"] == geography.subdistrict_a2.pk
    assert data["grid_code"].startswith("419901002")
    assert data["responsible_units"] == {
        "road_maintainer": {"id": geography.road_maintainer.pk, "name": "测试道路养护中心"}}


def test_locate_converts_from_gcj02(staff_api, geography):
    lon, lat = from_wgs84(lon=geography.inside_a[0], lat=geography.inside_a[1], coord_system=CoordSystem.GCJ02)
    data = staff_api.get("/api/geo/locate", {"lon": lon, "lat": lat, "coord_system": "gcj02"}).json()
    assert data["grid_code"] == geography.grid_code_a
    assert data["lon"] == pytest.approx(geography.inside_a[0], abs=1e-8)


def test_outside_the_service_area_is_a_normal_answer(staff_api, geography):
    lon, lat = geography.outside
    response = staff_api.get("/api/geo/locate", {"lon": lon, "lat": lat})
    assert response.status_code == 200
    data = response.json()
    assert data["inside"] is False and data["message"] == "不在服务范围内"
    assert data["district"] is None and data["grid_code"] == "" and data["responsible_units"] == {}


@pytest.mark.parametrize("params, field", [
    ({"lon": "abc", "lat": "34.7"}, "lon"),
    ({"lon": "113.6", "lat": "north"}, "lat"),
    ({"lon": "181", "lat": "34.7"}, "lon"),
    ({"lon": "113.6", "lat": "-90.5"}, "lat"),
    ({"lon": "nan", "lat": "34.7"}, "lon"),
    ({"lon": "113.6", "lat": "inf"}, "lat"),
    ({"lat": "34.7"}, "lon"),
    ({"lon": "113.6", "lat": "34.7", "coord_system": "utm"}, "coord_system"),
])
def test_bad_locate_input_is_a_400_with_a_field_message(staff_api, params, field):
    response = staff_api.get("/api/geo/locate", params)
    assert response.status_code == 400
    assert list(response.json()) == [field] and response.json()[field][0]


def test_field_messages_follow_the_request_language(staff_api):
    response = staff_api.get("/api/geo/locate", {"lon": "181", "lat": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["lon"] == ["Ensure this value is less than or equal to 180."]
    response = staff_api.get("/api/geo/locate", {"lon": "x", "lat": "1", "coord_system": "utm"})
    assert "utm" in response.json()["coord_system"][0] and not response.json()["lon"][0].isascii()
    response = staff_api.get("/api/geo/grids.geojson", {"bbox": "113.5,34.7,113.7,34.8"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["bbox"] == ["Box too large: at most 0.08 degrees per side; zoom in."]


def test_outside_message_in_english(staff_api, geography):
    lon, lat = geography.outside
    data = staff_api.get("/api/geo/locate", {"lon": lon, "lat": lat}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert data["message"] == "Outside the service area"


def test_api_requires_a_signed_in_user(client, geography):
    assert client.get("/api/geo/locate", {"lon": 113.6, "lat": 34.7}).status_code in (401, 403)
    assert client.get("/api/geo/areas.geojson").status_code in (401, 403)
    assert client.get("/api/geo/grids.geojson", {"bbox": "113.6,34.74,113.61,34.75"}).status_code in (401, 403)


def assert_valid_feature_collection(data):
    assert data["type"] == "FeatureCollection"
    for feature in data["features"]:
        assert feature["type"] == "Feature" and isinstance(feature["properties"], dict)
        geometry = shape(feature["geometry"])
        assert geometry.geom_type in ("Polygon", "MultiPolygon") and geometry.is_valid
        min_lon, min_lat, max_lon, max_lat = geometry.bounds
        assert -180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90


def test_areas_geojson_by_level(staff_api, geography):
    districts = staff_api.get("/api/geo/areas.geojson", {"level": "district"}).json()
    assert_valid_feature_collection(districts)
    assert [f["properties"]["code"] for f in districts["features"]] == ["419901", "419902"]
    assert districts["features"][0]["properties"]["unit"] == "测试甲区"
    subdistricts = staff_api.get("/api/geo/areas.geojson", {"level": "subdistrict"}).json()
    assert_valid_feature_collection(subdistricts)
    assert {f["properties"]["parent_code"] for f in subdistricts["features"]} == {"419901", "419902"}
    assert len(subdistricts["features"]) == 4
    response = staff_api.get("/api/geo/areas.geojson", {"level": "planet"})
    assert response.status_code == 400 and "level" in response.json()


def test_grids_geojson_returns_exactly_the_grids_in_the_bbox(staff_api, geography):
    bbox = (113.600, 34.750, 113.612, 34.760)  # the west part of A's north sub-district
    data = staff_api.get("/api/geo/grids.geojson", {"bbox": ",".join(map(str, bbox))}).json()
    assert_valid_feature_collection(data)
    codes = {f["properties"]["code"] for f in data["features"]}
    view = shapely.box(*bbox)
    expected = {g.code for g in Grid.objects.all() if shapely.box(g.min_lon, g.min_lat, g.max_lon, g.max_lat).intersects(view)}
    assert codes == expected and geography.grid_code_a in codes and geography.grid_code_b not in codes
    assert len(codes) < Grid.objects.count()
    assert all(shape(f["geometry"]).intersects(view.buffer(1e-9)) for f in data["features"])


@pytest.mark.parametrize("params, fragment", [
    ({}, ""),
    ({"bbox": "113.6,34.7,113.7"}, "minlon"),
    ({"bbox": "a,b,c,d"}, "minlon"),
    ({"bbox": "113.7,34.7,113.6,34.8"}, ""),
    ({"bbox": "113.5,34.7,113.7,34.8"}, "0.08"),
])
def test_grids_need_a_small_valid_bbox(staff_api, params, fragment):
    response = staff_api.get("/api/geo/grids.geojson", params)
    assert response.status_code == 400
    assert fragment in response.json()["bbox"][0]


def test_schema_documents_the_geo_endpoints(staff_api):
    schema = staff_api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content.decode()
    for path in ("/api/geo/locate", "/api/geo/areas.geojson", "/api/geo/grids.geojson"):
        assert path in schema
