"""Real browser: the staff map with the registries' layers, clustered, and a point's popup opening its record."""
import pytest

from jingzhi.assets.services import asset_create
from jingzhi.org.models import Role

from .conftest import point

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_map_draws_an_asset_layer_and_opens_an_assets_record(geography, browser_login, make_user, live_server):
    for number in range(12):  # a dozen bins in A: one cluster at the city's zoom
        asset_create(kind="bin", code=f"A{number}", name=f"果皮箱A{number}", geometry=point(geography.inside_a),
                     attributes={})
    toilet = asset_create(kind="toilet", code="GC-1", name="测试路公厕", geometry=point(geography.inside_b),
                          attributes={"toilet_class": "一类"})
    page = browser_login(make_user(Role.PLAN_OFFICE))
    external = []
    page.on("request", lambda request: None if request.url.startswith(live_server.url) else external.append(request.url))

    page.goto(f"{live_server.url}/geo/")
    page.wait_for_selector("#geo-map[data-areas]")
    assert page.locator("script[src*=supercluster]").count() == 0  # loaded only when a layer is switched on
    page.get_by_label("果皮箱").check()
    page.wait_for_selector("#geo-map[data-layer-bin='12']")
    cluster = page.locator(".jingzhi-cluster-bin")
    assert cluster.count() == 1 and cluster.inner_text() == "12"

    lon, lat = geography.inside_b
    page.goto(f"{live_server.url}/geo/?lon={lon}&lat={lat}&zoom=17")
    page.get_by_label("公共厕所").check()
    page.wait_for_selector("#geo-map[data-layer-toilet='1']")
    box = page.locator("#geo-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # the toilet is at the centre
    popup = page.locator(".jingzhi-point-popup")
    popup.wait_for()
    assert "测试路公厕" in popup.inner_text() and "GC-1" in popup.inner_text()
    popup.get_by_role("link", name="台账记录").click()
    page.wait_for_url(f"{live_server.url}/assets/toilet/{toilet.pk}/")
    assert "测试路公厕" in page.locator("h1").inner_text()
    assert external == []
