"""Real browser: the leader's dashboard draws its charts and both maps (canvas) with nothing fetched
from anywhere but the server itself; a click on a chart opens its cases; the unit dashboard on a phone."""
import pytest

from jingzhi.cases.workflow import State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ("trend", "districts", "grids")


def test_the_leader_dashboard_draws_its_charts_and_maps_offline(browser_login, staff, make_case, live_server):
    make_case(State.CLOSED)
    make_case(State.HANDLING, where="b")
    page = browser_login(staff.leader)
    outside = []
    page.on("request", lambda request: request.url.startswith(live_server.url) or outside.append(request.url))

    layers = []
    page.on("response", lambda response: "areas.geojson" in response.url and layers.append(response))
    page.goto(f"{live_server.url}/dashboards/")
    for name in CHARTS:
        page.wait_for_selector(f"[data-chart='{name}'][data-drawn='true'] canvas")
    assert page.locator("[data-figure='reports_month'] strong").inner_text() == "2"
    assert outside == []
    # The district outlines come from geo's layer, not the page, kept by the browser under its version tag;
    # both districts are drawn with their figure.
    assert "immutable" in layers[0].headers["cache-control"] and "?level=district&v=" in layers[0].url
    drawn = page.evaluate("echarts.getInstanceByDom(document.querySelector('[data-chart=districts]'))"
                          ".getOption().series[0].data.map(d => [d.name, d.value])")
    assert sorted(drawn) == [["测试乙区", 1], ["测试甲区", 1]]

    page.locator("a[data-figure='reports_month']").click()
    page.wait_for_url("**/cases/search/**")
    assert "共 2 件" in page.content()


def test_a_handler_reads_the_unit_dashboard_on_a_phone(browser_context, live_server, staff, make_case):
    make_case(State.HANDLING)
    page = browser_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", staff.handler_a.username)
    page.fill("input[name=password]", "pw-test-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("[data-panel='unit']").is_visible()
    page.goto(f"{live_server.url}/dashboards/unit/")
    page.wait_for_selector("[data-chart='trend'][data-drawn='true'] canvas")
    # The page fits the phone's width: no sideways scrolling of the whole page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("[data-figure='open'] strong").inner_text() == "1"
