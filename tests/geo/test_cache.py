"""The routing index is built once, reused, and rebuilt when any process changes the geography."""
import pytest
import shapely

from jingzhi.geo import routing
from jingzhi.geo.models import Area, AreaLevel, GeographyVersion
from jingzhi.geo.selectors import locate_point
from jingzhi.geo.services import area_upsert, geography_changed, shape_fields

pytestmark = pytest.mark.django_db


def test_the_index_is_reused_while_the_geography_is_unchanged(geography):
    first = routing.geography_snapshot()
    locate_point(lon=geography.inside_a[0], lat=geography.inside_a[1])
    assert routing.geography_snapshot() is first


def test_a_write_service_refreshes_the_index(geography):
    lon, lat = geography.outside
    assert not locate_point(lon=lon, lat=lat).inside
    area_upsert(level=AreaLevel.DISTRICT, code="419904", name="测试丁区", geometry=shapely.box(lon - 0.01, lat - 0.01, lon + 0.01, lat + 0.01))
    geography_changed()
    location = locate_point(lon=lon, lat=lat)
    assert location.inside and location.district.name == "测试丁区" and location.grid_code == ""


def test_a_change_made_by_another_process_is_seen_through_the_token(geography):
    lon, lat = geography.inside_b
    assert locate_point(lon=lon, lat=lat).district == geography.district_b
    # Another process moves district B far away and bumps the token without touching our cache.
    Area.objects.filter(code="419902").update(**shape_fields(shapely.box(100, 20, 100.1, 20.1)))
    Area.objects.filter(parent__code="419902").delete()
    assert locate_point(lon=lon, lat=lat).district == geography.district_b  # stale until the token moves
    GeographyVersion.objects.filter(pk=1).update(token="changed-elsewhere")
    assert locate_point(lon=lon, lat=lat).district is None and not locate_point(lon=lon, lat=lat).inside
