"""Creating assets and recording changes: located through geo, validated, refused with nothing written."""
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jingzhi.assets.errors import AssetChangeRefused
from jingzhi.assets.models import Asset, AssetChange, AssetEvent, AssetStatus
from jingzhi.assets.services import asset_change, asset_create
from jingzhi.geo.coords import wgs84_to_gcj02
from jingzhi.geo.models import Area
from jingzhi.geo.testing import EAST, ROAD_LAT, WEST

from .conftest import point

pytestmark = pytest.mark.django_db


def toilet(geography, **overrides):
    fields = {"kind": "toilet", "code": "GC-001", "name": "人民公园公厕", "geometry": point(geography.inside_a),
              "attributes": {"toilet_class": "一类", "open_24h": "是"}}
    return asset_create(**{**fields, **overrides})


def test_a_point_asset_is_located_into_district_subdistrict_and_grid(geography):
    asset = toilet(geography)
    assert asset.district == Area.objects.get(code="419901")
    assert asset.subdistrict == Area.objects.get(code="419901001")
    assert asset.grid_id == geography.grid_code_a
    assert asset.attributes == {"toilet_class": "一类", "open_24h": True}
    [event] = asset.events.all()
    assert (event.change, event.on, event.attributes) == ("built", None, asset.attributes)


def test_a_gcj02_geometry_is_stored_in_wgs84_and_located_where_it_really_is(geography):
    lon, lat = (float(v) for v in wgs84_to_gcj02(*geography.inside_b))  # ~500 m off in GCJ-02
    asset = toilet(geography, geometry=point((lon, lat)), coord_system="gcj02")
    assert abs(float(asset.lon) - geography.inside_b[0]) < 1e-6 and abs(float(asset.lat) - geography.inside_b[1]) < 1e-6
    assert asset.district.code == "419902" and asset.grid_id == geography.grid_code_b


def test_a_road_takes_its_zone_and_maintaining_unit_from_the_responsibility_layer(geography):
    road = asset_create(kind="road", code="R1", name="测试路", attributes={"road_class": "主干路"},
                        geometry={"type": "LineString", "coordinates": [[WEST, ROAD_LAT], [EAST, ROAD_LAT]]})
    assert road.zone.name == "测试路" and road.department == geography.road_maintainer
    # The middle of the line (113.62) is on the A/B border: the lower district code wins.
    assert (float(road.lon), float(road.lat)) == (113.62, ROAD_LAT) and road.district.code == "419901"


def test_a_given_department_wins_over_the_zone(geography, make_unit):
    unit = make_unit("测试养护公司")
    road = asset_create(kind="road", code="R1", name="测试路", attributes={"road_class": "支路"}, department=unit,
                        geometry={"type": "LineString", "coordinates": [[WEST, ROAD_LAT], [EAST, ROAD_LAT]]})
    assert road.department == unit


def test_outside_the_city_an_asset_is_kept_without_a_place(geography):
    asset = toilet(geography, geometry=point(geography.outside))
    assert asset.district is None and asset.grid_id is None


@pytest.mark.parametrize("overrides, field", [
    ({"kind": "spaceport"}, "kind"),
    ({"code": " "}, "code"),
    ({"geometry": {"type": "LineString", "coordinates": [[113.6, 34.7], [113.61, 34.7]]}}, "geometry"),
    ({"geometry": point((213.6, 34.7))}, "geometry"),
    ({"attributes": {"toilet_class": "五星"}}, "attributes.toilet_class"),
    ({"built_on": date.today() + timedelta(days=400)}, "built_on"),
])
def test_bad_input_is_refused_by_field_and_nothing_is_written(geography, overrides, field):
    with pytest.raises(ValidationError) as error:
        toilet(geography, **overrides)
    assert field in error.value.message_dict
    assert not Asset.objects.exists() and not AssetEvent.objects.exists()


def test_a_code_is_unique_per_kind(geography):
    toilet(geography)
    with pytest.raises(ValidationError, match="已在台账中"):
        toilet(geography)
    asset_create(kind="bin", code="GC-001", name="果皮箱", geometry=point(geography.inside_a), attributes={})
    assert Asset.objects.count() == 2


def test_a_change_merges_attributes_and_keeps_the_full_state_in_its_event(geography):
    asset = toilet(geography, built_on=date(2018, 1, 1))
    event = asset_change(asset=asset, change=AssetChange.UPGRADED, on=date(2018, 6, 1),
                         attributes={"third_restroom": True}, note="加第三卫生间")
    asset.refresh_from_db()
    assert asset.attributes == event.attributes == {"toilet_class": "一类", "open_24h": True, "third_restroom": True}


def test_removal_ends_the_asset(geography):
    asset = toilet(geography)
    asset_change(asset=asset, change=AssetChange.REMOVED, on=date(2018, 7, 1))
    asset.refresh_from_db()
    assert (asset.status, asset.removed_on) == (AssetStatus.REMOVED, date(2018, 7, 1))
    with pytest.raises(AssetChangeRefused):
        asset_change(asset=asset, change=AssetChange.REPAIRED, on=date(2018, 8, 1))


@pytest.mark.parametrize("change, on, error", [
    (AssetChange.REPAIRED, date(2018, 4, 1), AssetChangeRefused),        # before the last change
    (AssetChange.REPAIRED, date(2017, 12, 31), AssetChangeRefused),      # before it was built
    (AssetChange.BUILT, date(2018, 6, 1), ValidationError),              # built only once
    ("painted", date(2018, 6, 1), ValidationError),
])
def test_changes_out_of_order_are_refused_and_nothing_is_written(geography, change, on, error):
    asset = toilet(geography, built_on=date(2018, 1, 1))
    asset_change(asset=asset, change=AssetChange.REPAIRED, on=date(2018, 5, 1))
    with pytest.raises(error):
        asset_change(asset=asset, change=change, on=on)
    assert asset.events.count() == 2


def test_a_change_in_the_future_is_refused(geography):
    asset = toilet(geography)
    with pytest.raises(ValidationError):
        asset_change(asset=asset, change=AssetChange.REPAIRED, on=timezone.localdate() + timedelta(days=1))


def test_a_bad_changed_attribute_is_refused(geography):
    asset = toilet(geography)
    with pytest.raises(ValidationError, match="一类"):
        asset_change(asset=asset, change=AssetChange.CLASS_CHANGED, on=date(2018, 1, 1),
                     attributes={"toilet_class": "特级"})
    asset.refresh_from_db()
    assert asset.attributes["toilet_class"] == "一类" and asset.events.count() == 1
