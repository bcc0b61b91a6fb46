"""The registries' point layers on the staff map: compact points in the viewer's scope, cached by a version
tag, and a popup linking the record, its history and its cases."""
import gzip
import json
import re
from datetime import date

import pytest

from jingzhi.assets.services import asset_change, asset_create
from jingzhi.org.models import Role

from .conftest import point

pytestmark = pytest.mark.django_db


def bin_at(code, where):
    return asset_create(kind="bin", code=code, name=f"果皮箱{code}", geometry=point(where), attributes={})


@pytest.fixture
def bins(geography):
    a1, a2 = bin_at("A1", geography.inside_a), bin_at("A2", geography.inside_a)
    b1 = bin_at("B1", geography.inside_b)
    gone = bin_at("A3", geography.inside_a)
    asset_change(asset=gone, change="removed", on=date(2018, 7, 1))
    return {"A1": a1, "A2": a2, "B1": b1, "A3": gone}


def map_layers(client):
    html = client.get("/geo/").content.decode()
    options = json.loads(re.search(r'<script id="geo-map-options" type="application/json">(.*?)</script>',
                                   html, re.S).group(1))
    return {layer["key"]: layer for layer in options["pointLayers"]}


def test_the_map_offers_a_layer_per_kind_with_records_and_serves_its_points(bins, client, office):
    client.force_login(office)
    layers = map_layers(client)
    assert list(layers) == ["bin"] and layers["bin"]["label"] == "果皮箱"
    response = client.get(layers["bin"]["url"])
    assert response.status_code == 200 and response["Cache-Control"] == "private, max-age=31536000, immutable"
    data = json.loads(response.content)
    assert data["count"] == 3 and sorted(data["ids"]) == sorted(bins[c].pk for c in ("A1", "A2", "B1"))  # A3 removed
    index = data["ids"].index(bins["B1"].pk)
    assert (data["lons"][index], data["lats"][index]) == (113.635, 34.745)
    # Without the current version the answer must be revalidated; gzip when the browser takes it.
    unversioned = client.get("/api/asset-layers/bin.json", HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert unversioned["Cache-Control"] == "private, no-cache" and unversioned["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(unversioned.content)) == data


def test_a_change_gives_the_layer_a_new_version(bins, client, office):
    client.force_login(office)
    before = map_layers(client)["bin"]["url"]
    asset_change(asset=bins["A1"], change="removed", on=date(2018, 8, 1))
    after = map_layers(client)["bin"]["url"]
    assert before != after and json.loads(client.get(after).content)["count"] == 2
    assert client.get(before)["Cache-Control"] == "private, no-cache"  # an old tag is not kept for a year


def test_a_district_sees_its_own_points_and_popups(bins, client, district_a_reporter, geography):
    client.force_login(district_a_reporter)
    data = json.loads(client.get(map_layers(client)["bin"]["url"]).content)
    assert sorted(data["ids"]) == sorted([bins["A1"].pk, bins["A2"].pk])
    popup = client.get(f"/api/asset-layers/points/{bins['A1'].pk}/").json()
    record = f"/assets/bin/{bins['A1'].pk}/"
    assert popup["title"] == "果皮箱A1" and ["编号", "A1"] in popup["rows"] and ["所在区", "测试甲区"] in popup["rows"]
    assert popup["links"] == [["台账记录", record], ["历史记录", f"{record}#history"],
                              ["相关案件（0）", f"{record}#cases"]]
    assert client.get(f"/api/asset-layers/points/{bins['B1'].pk}/").status_code == 404  # out of scope


def test_the_layers_are_for_staff_only(bins, client, make_user):
    assert client.get("/api/asset-layers/bin.json").status_code == 302  # to the login page
    client.force_login(make_user(Role.CITIZEN))
    assert client.get("/api/asset-layers/bin.json").status_code == 403
    assert client.get(f"/api/asset-layers/points/{bins['A1'].pk}/").status_code == 403
    client.force_login(make_user(Role.INSPECTOR))
    assert client.get("/api/asset-layers/nothing.json").status_code == 404
