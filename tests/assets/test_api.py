"""The registries' API: kinds, scoped lists with the page's filters, records, creation and changes
by the plan office, refusals by field."""
from datetime import date

import pytest

from jingzhi.assets.models import Asset, AssetEvent
from jingzhi.assets.services import asset_create

from .conftest import point

pytestmark = pytest.mark.django_db


@pytest.fixture
def toilets(geography):
    asset_create(kind="toilet", code="A1", name="甲区公厕", geometry=point(geography.inside_a),
                 attributes={"toilet_class": "一类"})
    asset_create(kind="toilet", code="B1", name="乙区公厕", geometry=point(geography.inside_b),
                 attributes={"toilet_class": "二类"})


def test_the_kinds_are_served_with_their_attributes(api_client_for, office):
    kinds = api_client_for(office).get("/api/assets/kinds/").json()
    toilet = next(kind for kind in kinds if kind["code"] == "toilet")
    assert toilet["geometry"] == "point" and toilet["categories"][0] == "C0301"
    assert toilet["attributes"][0] == {"name": "toilet_class", "label": "公厕等级", "type": "choice", "required": True,
                                       "choices": ["一类", "二类", "三类"], "choice_labels": {}, "unit": "",
                                       "derived": None}


def test_the_list_filters_like_the_page_and_is_scoped(api_client_for, office, district_a_reporter, toilets):
    answer = api_client_for(office).get("/api/assets/assets/", {"kind": "toilet", "a.toilet_class": "二类"}).json()
    assert [row["code"] for row in answer["results"]] == ["B1"] and answer["results"][0]["district"] == "测试乙区"
    others = api_client_for(office).get("/api/assets/assets/", {"kind": "toilet", "not.toilet_class": "二类"}).json()
    assert [row["code"] for row in others["results"]] == ["A1"]
    mine = api_client_for(district_a_reporter).get("/api/assets/assets/").json()
    assert [row["code"] for row in mine["results"]] == ["A1"]


@pytest.mark.parametrize("query, field", [({"kind": "spaceport"}, "kind"), ({"status": "active"}, "kind"),
                                          ({"kind": "toilet", "as_of": "2018-02-30"}, "as_of"),
                                          ({"kind": "toilet", "a.toilet_class": "四类"}, "a.toilet_class"),
                                          ({"kind": "toilet", "not.toilet_class": "四类"}, "not.toilet_class"),
                                          ({"kind": "toilet", "not.colour": "红"}, "non_field_errors"),
                                          ({"kind": "toilet", "a.colour": "红"}, "non_field_errors")])
def test_bad_filters_are_refused_by_field(api_client_for, office, query, field):
    response = api_client_for(office).get("/api/assets/assets/", query)
    assert response.status_code == 400 and field in response.json()
    if field == "non_field_errors":  # an attribute the kind does not have: named, not ignored
        name = next(key for key in query if key != "kind")
        assert name in response.json()[field][0] and "colour" in response.json()[field][0]


def test_the_office_creates_an_asset_once_per_idempotency_key(api_client_for, office, geography):
    client = api_client_for(office)
    body = {"kind": "toilet", "code": "N1", "name": "新公厕", "geometry": point(geography.inside_b),
            "attributes": {"toilet_class": "一类", "third_restroom": True}, "built_on": "2018-06-01"}
    first = client.post("/api/assets/assets/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/assets/assets/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    record = first.json()
    assert record["grid_code"] == geography.grid_code_b and record["events"][0]["change"] == "built"
    assert Asset.objects.count() == 1


@pytest.mark.parametrize("change, field", [
    ({"attributes": {"toilet_class": "五星"}}, "attributes.toilet_class"),
    ({"geometry": {"type": "Polygon", "coordinates": []}}, "geometry"),
    ({"code": "x" * 51}, "code"),
])
def test_bad_assets_are_refused_by_field_and_nothing_is_written(api_client_for, office, geography, change, field):
    body = {"kind": "toilet", "code": "N1", "name": "新公厕", "geometry": point(geography.inside_b),
            "attributes": {"toilet_class": "一类"}, **change}
    response = api_client_for(office).post("/api/assets/assets/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not Asset.objects.exists()


def test_changes_are_recorded_and_refused_out_of_order(api_client_for, office, toilets):
    client = api_client_for(office)
    a1 = Asset.objects.get(code="A1")
    response = client.post(f"/api/assets/assets/{a1.pk}/changes/",
                           {"change": "class_changed", "on": "2018-05-01", "attributes": {"toilet_class": "二类"}},
                           format="json")
    assert response.status_code == 201 and response.json()["attributes"] == {"toilet_class": "二类"}
    late = client.post(f"/api/assets/assets/{a1.pk}/changes/", {"change": "repaired", "on": "2018-04-01"}, format="json")
    assert late.status_code == 409 and late.json()["code"] == "asset_change_refused"
    assert AssetEvent.objects.filter(asset=a1, on=date(2018, 5, 1)).count() == 1


def test_others_may_read_but_not_write_and_not_see_other_districts(api_client_for, district_a_reporter, toilets):
    client = api_client_for(district_a_reporter)
    b1 = Asset.objects.get(code="B1")
    assert client.get(f"/api/assets/assets/{b1.pk}/").status_code == 404
    a1 = Asset.objects.get(code="A1")
    assert client.get(f"/api/assets/assets/{a1.pk}/").json()["code"] == "A1"
    assert client.post(f"/api/assets/assets/{a1.pk}/changes/", {"change": "repaired", "on": "2018-04-01"},
                       format="json").status_code == 403
    assert client.post("/api/assets/assets/", {}, format="json").status_code == 403
