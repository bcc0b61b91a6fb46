"""Admin of geo: zones edited there reach locate_point at once; areas and grids are look-up only."""
import json

import pytest

from jingzhi.geo.coords import CoordSystem, from_wgs84
from jingzhi.geo.models import Area, GeographyVersion, Grid, ResponsibilityZone
from jingzhi.geo.selectors import locate_point
from jingzhi.org.models import Role, Unit, UnitKind

pytestmark = pytest.mark.django_db

ZONES = "/admin/geo/responsibilityzone/"


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(is_superuser=True))
    return client


def zone_form(zone, **changes):
    data = {"name": zone.name, "duty": zone.duty, "unit": zone.unit_id, "buffer_m": zone.buffer_m,
            "geometry": zone.geometry, "coord_system": "wgs84"}
    return {**data, **changes}


def test_editing_a_zone_in_the_admin_changes_the_responsible_unit(admin_client, geography):
    lon, lat = geography.on_road
    assert locate_point(lon=lon, lat=lat).responsible_units == {"road_maintainer": geography.road_maintainer}
    zone = ResponsibilityZone.objects.get()
    other = Unit.objects.create(name="测试市政公司", kind=UnitKind.CITY_BUREAU)
    response = admin_client.post(f"{ZONES}{zone.pk}/change/", zone_form(zone, unit=other.pk, duty="road_chief"))
    assert response.status_code == 302
    assert locate_point(lon=lon, lat=lat).responsible_units == {"road_chief": other}


def test_a_zone_added_in_gcj02_is_stored_in_wgs84_and_routes(admin_client, geography):
    lon, lat = geography.inside_b
    ring = [from_wgs84(lon=x, lat=y, coord_system=CoordSystem.GCJ02) for x, y in
            [(lon - 0.001, lat - 0.001), (lon + 0.001, lat - 0.001), (lon + 0.001, lat + 0.001), (lon - 0.001, lat - 0.001)]]
    response = admin_client.post(f"{ZONES}add/", {
        "name": "测试绿地", "duty": "park_manager", "unit": geography.district_b.pk, "buffer_m": 0,
        "geometry": json.dumps({"type": "Polygon", "coordinates": [ring]}), "coord_system": "gcj02"})
    assert response.status_code == 302
    zone = ResponsibilityZone.objects.get(name="测试绿地")
    assert zone.min_lon == pytest.approx(lon - 0.001, abs=1e-6) and zone.max_lat == pytest.approx(lat + 0.001, abs=1e-6)
    assert locate_point(lon=lon, lat=lat).responsible_units == {"park_manager": geography.district_b}


def test_deleting_a_zone_in_the_admin_refreshes_routing(admin_client, geography):
    zone = ResponsibilityZone.objects.get()
    assert admin_client.post(f"{ZONES}{zone.pk}/delete/", {"post": "yes"}).status_code == 302
    assert locate_point(lon=geography.on_road[0], lat=geography.on_road[1]).responsible_units == {}


@pytest.mark.parametrize("changes, field, message", [
    ({"geometry": "not json"}, "geometry", "不是有效的 JSON"),
    ({"geometry": '{"type": "Point", "coordinates": [113.6, 34.7]}'}, "geometry", "LineString"),
    ({"geometry": '{"type": "LineString", "coordinates": [[113.6, 95], [113.7, 34.7]]}'}, "geometry", "超出"),
    ({"geometry": '{"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}'}, "geometry", "自相交"),
    ({"geometry": '{"type": "LineString", "coordinates": [[113.6]]}'}, "geometry", "坐标格式"),
    ({"buffer_m": 0}, "buffer_m", "缓冲距离"),
    ({"buffer_m": -5}, "buffer_m", "负数"),
    ({"coord_system": "utm"}, "coord_system", "utm"),
])
def test_bad_zone_input_is_a_field_error_and_writes_nothing(admin_client, geography, changes, field, message):
    zone = ResponsibilityZone.objects.get()
    before, token = (zone.geometry, zone.buffer_m), GeographyVersion.objects.get().token
    response = admin_client.post(f"{ZONES}{zone.pk}/change/", zone_form(zone, **changes))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field] and message in errors[field][0]
    zone.refresh_from_db()
    assert (zone.geometry, zone.buffer_m) == before and GeographyVersion.objects.get().token == token


def test_geometry_errors_in_english(admin_client, geography):
    zone = ResponsibilityZone.objects.get()
    response = admin_client.post(f"{ZONES}{zone.pk}/change/", zone_form(zone, geometry="not json"),
                                 HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["adminform"].form.errors["geometry"] == ["Not valid JSON."]


def test_areas_and_grids_are_searchable_by_code_and_not_added_or_deleted(admin_client, geography):
    page = admin_client.get("/admin/geo/grid/", {"q": geography.grid_code_a})
    assert page.status_code == 200 and list(page.context["cl"].result_list) == [Grid.objects.get(code=geography.grid_code_a)]
    page = admin_client.get("/admin/geo/area/", {"q": "419902", "level__exact": "subdistrict"})
    assert [area.code for area in page.context["cl"].result_list] == ["419902001", "419902002"]
    grid = Grid.objects.get(code=geography.grid_code_a)
    assert admin_client.get(f"/admin/geo/grid/{grid.pk}/change/").status_code == 200  # view-only page
    assert admin_client.post(f"/admin/geo/grid/{grid.pk}/change/", {"area_m2": 1}).status_code == 403
    assert admin_client.get("/admin/geo/area/add/").status_code == 403
    area = Area.objects.get(code="419901")
    assert admin_client.post(f"/admin/geo/area/{area.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Area.objects.filter(code="419901").exists() and Grid.objects.get(pk=grid.pk).area_m2 != 1


def test_renaming_an_area_unit_in_the_admin_reaches_routing(admin_client, geography):
    area = Area.objects.get(code="419902002")
    replacement = Unit.objects.create(name="测试新街道", kind=UnitKind.SUBDISTRICT)
    response = admin_client.post(f"/admin/geo/area/{area.pk}/change/", {"name": area.name, "unit": replacement.pk})
    assert response.status_code == 302
    assert locate_point(lon=geography.inside_b[0], lat=geography.inside_b[1]).subdistrict == replacement


def test_the_admin_is_for_superusers_only(client, make_user, geography):
    client.force_login(make_user(Role.INSPECTOR))
    zone = ResponsibilityZone.objects.get()
    response = client.post(f"{ZONES}{zone.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert ResponsibilityZone.objects.filter(pk=zone.pk).exists()
