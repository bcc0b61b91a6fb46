"""Real browser, keyboard only on the maps (geo/static/geo/map.js): every map page is tabbed through
and its outlines and grids never take focus, whatever their number; each stop is visible and named;
the skip link jumps past the map; the report form's point is set with the crosshair (arrows, Enter)
and sent; a click on a district (its name under the pointer) sets it too; typed coordinates draw the marker."""
import pytest
from playwright.sync_api import expect

from jingzhi.cases.models import Case
from jingzhi.cases.workflow import State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: What each stop of a Tab walk is: enough to tell an outline from a control, and a name from none.
DESCRIBE_FOCUS = """() => {
  const e = document.activeElement;
  const box = e.getBoundingClientRect();
  const label = e.labels && e.labels.length ? e.labels[0].textContent : "";
  return {tag: e.tagName.toLowerCase(), svg: e instanceof SVGElement, id: e.id, cls: String(e.className.baseVal ?? e.className),
          inMap: !!e.closest(".leaflet-container"), width: box.width, height: box.height,
          name: (e.getAttribute("aria-label") || label || e.textContent || e.title || "").trim()};
}"""


def tab_walk(page, most=400) -> list[dict]:
    """Every stop of the page's tab order, once round from the top of the document (its first link)."""
    page.evaluate("document.querySelector('a[href]').focus()")
    stops = [page.evaluate(DESCRIBE_FOCUS)]
    for _ in range(most):
        page.keyboard.press("Tab")
        stop = page.evaluate(DESCRIBE_FOCUS)
        if stop["tag"] == "body" or (stops and stop == stops[0]):
            break
        stops.append(stop)
    return stops


def map_stops(page) -> list[dict]:
    stops = tab_walk(page)
    assert not [stop for stop in stops if stop["svg"]], "an outline, grid or point took focus"
    assert not [stop for stop in stops if stop["width"] < 1 or stop["height"] < 1], "a zero-size focus target"
    assert all(stop["name"] for stop in stops if stop["inMap"]), "an unnamed stop in the map"
    return [stop for stop in stops if stop["inMap"]]


def test_the_map_page_has_the_same_few_named_stops_however_many_outlines(browser_login, staff, geography,
                                                                          live_server):
    page = browser_login(staff.inspector)
    page.goto(f"{live_server.url}/geo/")
    page.wait_for_selector("#geo-map[data-areas='2']")
    zoomed_out = map_stops(page)
    names = [stop["name"] for stop in zoomed_out]
    # The map itself, its zoom buttons in the page's language, the layer switches and Leaflet's credit.
    assert names[:3] == ["地图", "放大", "缩小"] and {"区县边界", "单元网格", "责任区"} <= set(names)
    assert zoomed_out[0]["id"] == "geo-map"

    lon, lat = geography.inside_a
    page.goto(f"{live_server.url}/geo/?lon={lon}&lat={lat}&zoom=16")
    page.wait_for_selector("#geo-map[data-grids][data-areas='2']")
    assert page.locator("#geo-map svg path.jingzhi-grid").count() > 4  # dozens of grids drawn…
    assert [stop["name"] for stop in map_stops(page)] == names  # …and not one more stop


def test_enter_at_the_crosshair_tells_what_is_there(browser_login, staff, geography, live_server):
    page = browser_login(staff.inspector)
    lon, lat = geography.inside_a
    page.goto(f"{live_server.url}/geo/?lon={lon}&lat={lat}&zoom=16")
    page.wait_for_selector("#geo-map[data-areas='2']")
    page.focus("#geo-map")
    assert page.locator(".jingzhi-crosshair").is_visible()
    assert page.locator(".jingzhi-crosshair-readout").inner_text() == f"十字准星：经度 {lon:.6f}，纬度 {lat:.6f}"
    page.keyboard.press("Enter")
    popup = page.locator(".jingzhi-grid-popup")
    popup.wait_for()
    assert geography.grid_code_a in popup.inner_text() and "测试甲区北街道" in popup.inner_text()
    assert page.locator(".leaflet-popup-close-button").get_attribute("aria-label") == "关闭"


def test_the_skip_link_jumps_past_the_map(browser_login, staff, geography, live_server):
    page = browser_login(staff.inspector)
    page.goto(f"{live_server.url}/geo/")
    page.wait_for_selector("#geo-map[data-areas='2']")
    page.focus("#geo-map")
    page.keyboard.press("Shift+Tab")
    skip = page.locator(".jingzhi-map-skip")
    assert page.evaluate("document.activeElement.className") == "jingzhi-map-skip" and skip.inner_text() == "跳过地图"
    assert skip.bounding_box()["width"] > 20  # shown while it has focus
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "geo-map-end"
    page.keyboard.press("Tab")
    assert not page.evaluate("!!document.activeElement.closest('.leaflet-container')")


@pytest.mark.parametrize("where", ["report", "detail", "dispatch", "public"])
def test_every_map_has_the_keyboard_crosshair_and_no_outline_stops(where, browser_context, staff, geography,
                                                                    make_case, live_server):
    case = make_case(State.FILED)
    user, path, selector = {
        "report": (staff.inspector, "/cases/new/", "#case-map[data-areas='2']"),
        "detail": (staff.dispatcher, f"/cases/{case.pk}/", "#case-map[data-areas='2'][data-points='1']"),
        "dispatch": (staff.dispatcher, "/cases/dispatch/", "#case-map[data-areas='2'][data-points='1']"),
        "public": (None, "/p/map/", "#public-map[data-areas='2']"),
    }[where]
    page = browser_context().new_page()
    if user:
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", "pw-test-123")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{path}")
    page.wait_for_selector(selector)
    stops = map_stops(page)
    assert [stop["name"] for stop in stops[:3]] == ["地图", "放大", "缩小"]
    assert page.locator(".jingzhi-map-skip").count() == 1


def test_a_report_whose_point_is_set_by_keyboard_is_sent(browser_login, staff, geography, category, live_server):
    page = browser_login(staff.inspector)
    lon, lat = geography.inside_a
    page.goto(f"{live_server.url}/cases/new/?lon={lon}&lat={lat}&zoom=15")  # the map opens at a place in A
    page.wait_for_selector("#case-map[data-areas='2']")
    page.fill("[data-category-search]", category.name)
    page.locator("label.category-tile:visible", has_text=category.name).click()

    # From the "use my location" button the keyboard reaches the map (past its skip link), moves it, chooses.
    page.focus("[data-locate]")
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "case-map":
            break
    readout = page.locator(".jingzhi-crosshair-readout")
    assert readout.inner_text() == f"十字准星：经度 {lon:.6f}，纬度 {lat:.6f}"
    for key in ("ArrowRight", "ArrowRight", "ArrowUp"):  # Leaflet ignores a key while the map still pans
        before = readout.inner_text()
        page.keyboard.press(key)
        expect(readout).not_to_have_text(before)
    moved_lon, moved_lat = (float(part.split(" ")[1]) for part in readout.inner_text().split("：")[1].split("，"))
    # Leaflet pans 80 px a key: at zoom 15 that is 80 × 360° / (256 × 2¹⁵) ≈ 0.003433° of longitude.
    assert moved_lon == pytest.approx(lon + 2 * 80 * 360 / (256 * 2 ** 15), abs=1e-5) and moved_lat > lat
    page.keyboard.press("Enter")
    assert (page.input_value("#id_lon"), page.input_value("#id_lat")) == (f"{moved_lon:.6f}", f"{moved_lat:.6f}")
    assert page.locator("[data-place-status]").inner_text() == "已选定地图上的位置。"
    assert page.locator("#case-map svg path.leaflet-interactive:not(.jingzhi-grid):not(.jingzhi-district)").count() == 1  # the marker

    page.fill("textarea[name=description]", "人行道暴露垃圾一堆")
    page.locator("form .form-actions button").click()
    page.wait_for_url(f"{live_server.url}/cases/*/")
    case = Case.objects.get()
    assert (round(case.lon, 6), round(case.lat, 6)) == (moved_lon, moved_lat)
    assert case.district == geography.district_a


def test_a_click_on_a_named_district_still_sets_the_reports_point(browser_login, staff, geography, live_server):
    """A district's outline answers the pointer (its name shows) and yet a click on it is the map's."""
    page = browser_login(staff.inspector)
    lon, lat = geography.inside_a
    page.goto(f"{live_server.url}/cases/new/?lon={lon}&lat={lat}&zoom=13")  # no grids yet: A's outline is on top
    page.wait_for_selector("#case-map[data-areas='2']")
    box = page.locator("#case-map").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator(".jingzhi-outline-name")).to_have_text(geography.district_a.name)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    # the map's centre, to a pixel or two (zoom 13: a pixel is 360° / (256 × 2¹³) ≈ 0.00017° of longitude)
    assert float(page.input_value("#id_lon")) == pytest.approx(lon, abs=4e-4)
    assert float(page.input_value("#id_lat")) == pytest.approx(lat, abs=4e-4)


def test_typed_coordinates_draw_the_marker_in_view(browser_login, staff, geography, live_server):
    page = browser_login(staff.inspector)
    page.goto(f"{live_server.url}/cases/new/?lon=113.70&lat=34.80&zoom=15")  # the map opens away from B
    page.wait_for_selector("#case-map[data-areas='2']")
    marker = page.locator("#case-map svg path.leaflet-interactive:not(.jingzhi-grid):not(.jingzhi-district)")
    assert marker.count() == 0
    page.locator("details.coordinates summary").click()
    lon, lat = geography.inside_b
    page.fill("#id_lon", str(lon))
    assert marker.count() == 0  # half a coordinate draws nothing
    page.fill("#id_lat", "north")
    assert marker.count() == 0  # nor a word
    page.fill("#id_lat", str(lat))
    marker.wait_for()
    shown, drawn = page.locator("#case-map").bounding_box(), marker.bounding_box()
    centre = (drawn["x"] + drawn["width"] / 2, drawn["y"] + drawn["height"] / 2)
    assert shown["x"] < centre[0] < shown["x"] + shown["width"] and shown["y"] < centre[1] < shown["y"] + shown["height"]


def test_a_registry_layer_switched_on_adds_no_tab_stops(browser_login, staff, geography, live_server):
    from jingzhi.assets.services import asset_create

    for number, (lon, lat) in enumerate((geography.inside_a, geography.inside_b, geography.on_road)):
        for copy in range(4):  # a few clusters and points
            asset_create(kind="bin", code=f"K{number}-{copy}", name=f"果皮箱{number}-{copy}",
                         geometry={"type": "Point", "coordinates": [lon, lat]}, attributes={})
    page = browser_login(staff.inspector)
    page.goto(f"{live_server.url}/geo/")
    page.wait_for_selector("#geo-map[data-areas='2']")
    before = [stop["name"] for stop in map_stops(page)]
    page.get_by_label("果皮箱").check()
    page.wait_for_selector("#geo-map[data-layer-bin='12']")
    assert page.locator(".jingzhi-cluster-bin").count() >= 1
    assert [stop["name"] for stop in map_stops(page)] == before  # the switch itself was a stop already
