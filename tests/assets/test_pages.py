"""Registry pages through HTTP: the list and its filters (links built by `asset_list_url`), the record,
and the scoping by role and unit."""
import re
from datetime import date

import pytest

from jingzhi.assets.models import AssetChange
from jingzhi.assets.selectors import asset_list_url
from jingzhi.assets.services import asset_change, asset_create
from jingzhi.org.models import Role

from .conftest import point

pytestmark = pytest.mark.django_db


@pytest.fixture
def toilets(geography):
    a = asset_create(kind="toilet", code="A1", name="甲区公厕", geometry=point(geography.inside_a),
                     attributes={"toilet_class": "二类", "open_24h": True})
    asset_change(asset=a, change=AssetChange.UPGRADED, on=date(2018, 6, 1), attributes={"toilet_class": "一类"})
    asset_create(kind="toilet", code="B1", name="乙区公厕", geometry=point(geography.inside_b),
                 attributes={"toilet_class": "一类"}, built_on=date(2018, 3, 1))
    asset_create(kind="toilet", code="B2", name="乙区二号公厕", geometry=point(geography.inside_b),
                 attributes={"toilet_class": "三类"})
    return a


def codes(response):
    assert response.status_code == 200
    return re.findall(r'/assets/toilet/\d+/">(\w+)</a>', response.content.decode())


def test_the_list_filters_by_attribute_then_and_now(client, office, toilets):
    client.force_login(office)
    assert codes(client.get(asset_list_url(kind="toilet"))) == ["A1", "B1", "B2"]
    assert codes(client.get(asset_list_url(kind="toilet", **{"a.toilet_class": "一类"}))) == ["A1", "B1"]
    # On 2018-05-31 A1 was still 二类 and B1 (built 2018-03-01) 一类.
    then = asset_list_url(kind="toilet", as_of=date(2018, 5, 31), **{"a.toilet_class": "一类"})
    assert codes(client.get(then)) == ["B1"]
    assert codes(client.get(asset_list_url(kind="toilet", **{"a.open_24h": True}))) == ["A1"]
    assert codes(client.get(asset_list_url(kind="toilet", district="419902"))) == ["B1", "B2"]
    built = asset_list_url(kind="toilet", change="built", start=date(2018, 1, 1), end=date(2018, 12, 31))
    assert codes(client.get(built)) == ["B1"]


def test_the_list_excludes_an_attribute_value_then_and_now(client, office, toilets):
    """``not.<attribute>``: another value, or none (B1 and B2 have no 24-hour opening recorded)."""
    client.force_login(office)
    assert codes(client.get(asset_list_url(kind="toilet", **{"not.toilet_class": "一类"}))) == ["B2"]
    # On 2018-05-31 A1 was still 二类, B1 (built 2018-03-01) 一类, B2 三类.
    then = client.get(asset_list_url(kind="toilet", as_of=date(2018, 5, 31), **{"not.toilet_class": "一类"}))
    assert codes(then) == ["A1", "B2"]
    assert '<option value="一类" selected>一类</option>' in then.content.decode()  # shown, so it can be cleared
    assert "公厕等级（不是）" in then.content.decode()
    assert codes(client.get(asset_list_url(kind="toilet", **{"not.open_24h": True}))) == ["B1", "B2"]
    both = asset_list_url(kind="toilet", **{"a.toilet_class": "一类", "not.open_24h": True})
    assert codes(client.get(both)) == ["B1"]
    assert "（不是）" not in client.get(asset_list_url(kind="toilet")).content.decode()


def test_a_link_with_an_unknown_filter_is_refused_when_built():
    with pytest.raises(ValueError):
        asset_list_url(kind="toilet", colour="red")
    with pytest.raises(ValueError):
        asset_list_url(kind="toilet", **{"not.colour": "red"})


def test_an_unknown_attribute_filter_is_an_error_not_ignored(client, office, toilets):
    client.force_login(office)
    response = client.get("/assets/toilet/?not.colour=red&a.toilet_class=一类")
    assert codes(response) == ["A1", "B1", "B2"]  # as for any bad filter: the error, and everything listed
    assert "没有筛选条件 not.colour：公共厕所没有“colour”这个属性。" in response.content.decode()
    bad_value = client.get("/assets/toilet/?not.toilet_class=特级")
    assert codes(bad_value) == ["A1", "B1", "B2"] and "特级" in bad_value.content.decode()


def test_a_bad_filter_shows_its_error_and_lists_everything(client, office, toilets):
    client.force_login(office)
    response = client.get("/assets/toilet/?as_of=2018-13-01&a.toilet_class=特级")
    assert codes(response) == ["A1", "B1", "B2"]
    assert "有效的日期" in response.content.decode() or "Enter a valid date" in response.content.decode()


def test_the_record_shows_place_history_and_map(client, office, toilets, geography):
    client.force_login(office)
    body = client.get(f"/assets/toilet/{toilets.pk}/").content.decode()
    assert "测试甲区" in body and geography.grid_code_a in body
    assert "2018-06-01" in body and "改造提升" in body and 'data-asset-map="asset-map-options"' in body


def test_a_district_sees_only_its_assets(client, district_a_reporter, toilets):
    client.force_login(district_a_reporter)
    assert codes(client.get("/assets/toilet/")) == ["A1"]
    other = client.get(asset_list_url(kind="toilet", q="B1"))
    assert codes(other) == []
    b1 = toilets.__class__.objects.get(code="B1")
    assert client.get(f"/assets/toilet/{b1.pk}/").status_code == 404


def test_citizens_are_refused_and_unknown_kinds_are_404(client, make_user, office):
    client.force_login(make_user(Role.CITIZEN))
    assert client.get("/assets/toilet/").status_code == 403
    client.force_login(office)
    assert client.get("/assets/spaceport/").status_code == 404
