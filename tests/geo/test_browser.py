"""Real browser: the map draws district boundaries and grids without any tile server, and names a
district under the pointer without making its outline a tab stop."""
import pytest
from playwright.sync_api import expect

from jingzhi.geo.testing import build_test_geography
from jingzhi.org.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_map_draws_districts_and_a_grid_popup_offline(browser_login, make_user, live_server):
    geography = build_test_geography()
    page = browser_login(make_user(Role.INSPECTOR))
    external = []
    page.on("request", lambda request: None if request.url.startswith(live_server.url) else external.append(request.url))

    page.goto(f"{live_server.url}/geo/")
    page.wait_for_selector("#geo-map[data-areas='2']")
    boundaries = page.locator("#geo-map svg path.jingzhi-district")
    assert boundaries.count() == 2
    # Two equal squares side by side (zoom 12: 0.02° ≈ 60 px), drawn at real size and sharing a border.
    west, east = sorted((boundaries.nth(i).bounding_box() for i in range(2)), key=lambda box: box["x"])
    assert all(box["width"] > 30 and box["height"] > 30 for box in (west, east))
    assert abs(west["width"] - east["width"]) < 3 and abs(west["x"] + west["width"] - east["x"]) < 3
    assert page.locator(".jingzhi-map-hint").count() == 1  # zoomed out: no grids yet

    lon, lat = geography.inside_a
    page.goto(f"{live_server.url}/geo/?lon={lon}&lat={lat}&zoom=16")
    page.wait_for_selector("#geo-map[data-grids]")
    assert page.locator("#geo-map svg path.jingzhi-grid").count() > 0
    box = page.locator("#geo-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = page.locator(".jingzhi-grid-popup")
    popup.wait_for()
    assert geography.grid_code_a in popup.inner_text() and "测试甲区北街道" in popup.inner_text()
    assert external == []


def test_the_responsibility_zones_layer_is_switched_on_from_the_layer_control(browser_login, make_user, live_server):
    geography = build_test_geography()
    page = browser_login(make_user(Role.INSPECTOR))
    lon, lat = geography.on_road
    page.goto(f"{live_server.url}/geo/?lon={lon}&lat={lat}&zoom=16")
    page.wait_for_selector("#geo-map[data-grids][data-areas]")
    assert page.locator("#geo-map[data-zones]").count() == 0  # off until asked for
    page.get_by_label("责任区").check()
    page.wait_for_selector("#geo-map[data-zones='1']")
    assert page.locator("#geo-map svg path.jingzhi-zone").count() == 1
    road = page.locator("#geo-map svg path.jingzhi-zone").bounding_box()  # a flat line: height ~0
    page.mouse.click(road["x"] + road["width"] / 2, road["y"] + road["height"] / 2)
    popup = page.locator(".jingzhi-zone-popup")
    popup.wait_for()
    assert popup.inner_text() == "测试路\n道路养护单位：测试道路养护中心"


#: The outlines that would take focus if asked (a <path> with a focus listener does in Chromium).
FOCUSABLE_OUTLINES = """() => Array.from(document.querySelectorAll("#geo-map svg path")).filter(function (path) {
  path.focus();
  return document.activeElement === path;
}).length"""


def test_hovering_a_district_outline_shows_its_name_and_no_outline_takes_focus(browser_login, make_user,
                                                                               live_server):
    build_test_geography()
    page = browser_login(make_user(Role.INSPECTOR))
    page.goto(f"{live_server.url}/geo/")
    page.wait_for_selector("#geo-map[data-areas='2']")
    boundaries = page.locator("#geo-map svg path.jingzhi-district")
    west, east = sorted((boundaries.nth(i).bounding_box() for i in range(2)), key=lambda box: box["x"])
    name = page.locator(".leaflet-tooltip.jingzhi-outline-name")
    assert name.count() == 0
    for box, district in ((west, "测试甲区"), (east, "测试乙区")):
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        expect(name).to_have_text(district)
        expect(name).to_be_visible()
    page.mouse.move(east["x"] + east["width"] + 40, east["y"] - 40)  # off both districts
    expect(name).to_have_count(0)
    assert page.evaluate(FOCUSABLE_OUTLINES) == 0
