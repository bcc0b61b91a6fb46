"""Real browser, as the people the pages are for: a citizen reports with the keyboard alone (the category by
search and Space, the point with the map's crosshair, Enter to send) and the receipt passes axe-core; a
report the server refuses puts focus on the error summary, whose link takes focus to the field; the work
lists fit 320 px and a laptop at 200 % zoom without sideways scrolling; 大字模式 is one key press and
is remembered."""
import pytest
from playwright.sync_api import expect

from jingzhi.cases.models import Case
from jingzhi.cases.workflow import State

from .axe import axe_violations, describe, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = "document.activeElement && document.activeElement.matches(%r)"


def tab_to(page, selector: str, most: int = 120, key: str = "Tab") -> None:
    """Press Tab (or ``key``) until the element matching ``selector`` has focus: the keyboard's way there."""
    for _ in range(most):
        if page.evaluate(FOCUSED % selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} never took focus within {most} key presses")


def start_report_by_keyboard(page, origin, category, lon, lat):
    """From the top of the portal's report form to a chosen category and a point set by the crosshair."""
    page.goto(f"{origin}/p/report/?lon={lon}&lat={lat}&zoom=15")
    page.wait_for_selector("#case-map[data-areas]")
    tab_to(page, "[data-category-search]")
    page.keyboard.type(category.name)
    tab_to(page, "input[name=category]")  # the first tile the search left
    page.keyboard.press("Space")
    assert page.locator("input[name=category]:checked").get_attribute("value") == category.number_prefix
    tab_to(page, "#case-map")
    readout = page.locator(".jingzhi-crosshair-readout")
    before = readout.inner_text()
    page.keyboard.press("ArrowUp")
    expect(readout).not_to_have_text(before)
    page.keyboard.press("Enter")
    expect(page.locator("[data-place-status]")).to_have_text("已选定地图上的位置。")


def test_a_citizen_reports_with_the_keyboard_alone(browser_context, live_server, geography, category):
    page = browser_context(viewport={"width": 1280, "height": 800}).new_page()
    start_report_by_keyboard(page, live_server.url, category, *geography.inside_a)
    tab_to(page, "textarea[name=description]")
    page.keyboard.type("小区门口垃圾堆积三天无人清运")
    tab_to(page, ".form-actions button")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/p/report/receipt/*/")
    case = Case.objects.get()
    assert case.description == "小区门口垃圾堆积三天无人清运" and case.district == geography.district_a
    assert case.lat > geography.inside_a[1]  # the crosshair moved north before Enter
    # The receipt (reachable only from the browser that reported) passes axe-core too.
    assert [describe(violation) for violation in axe_violations(page)] == []


def test_a_refused_report_puts_focus_on_the_summary_and_its_link_on_the_field(browser_context, live_server,
                                                                               geography, category):
    page = browser_context(viewport={"width": 390, "height": 844}).new_page()
    start_report_by_keyboard(page, live_server.url, category, *geography.inside_a)
    # The typed coordinates, outside the city: the browser lets them through, the server refuses.
    tab_to(page, "details.coordinates summary")
    page.keyboard.press("Enter")
    tab_to(page, "#id_lon")
    page.keyboard.press("Control+A")
    page.keyboard.type(str(geography.outside[0]))
    tab_to(page, "#id_lat")
    page.keyboard.press("Control+A")
    page.keyboard.type(str(geography.outside[1]))
    tab_to(page, "textarea[name=description]")
    page.keyboard.type("井盖缺失")
    tab_to(page, ".form-actions button")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("经度：该位置不在本市服务范围内。")
    page.wait_for_function(FOCUSED % "[data-error-summary]")
    assert Case.objects.count() == 0
    # What was typed is kept, and the summary's link takes the keyboard to the field.
    assert page.input_value("textarea[name=description]") == "井盖缺失"
    tab_to(page, "[data-error-summary] a[href='#id_lon']")
    page.keyboard.press("Enter")
    page.wait_for_function(FOCUSED % "#id_lon")
    assert page.get_attribute("#id_lon", "aria-invalid") == "true"
    described = page.get_attribute("#id_lon", "aria-describedby")
    assert "不在本市服务范围内" in page.locator(f"#{described}").inner_text()


NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.mark.parametrize("viewport", [{"width": 320, "height": 640}, {"width": 640, "height": 400}],
                         ids=["320px", "laptop-at-200%"])
def test_the_work_lists_fit_without_sideways_scrolling(viewport, browser_context, live_server, staff, make_case):
    for until in (State.REPORTED, State.ACCEPTED, State.FILED, State.HANDLING, State.HANDLED):
        make_case(until, description="占道经营，摊位延伸至人行道中央，行人只能绕行机动车道" * 3)
    for user, paths in ((staff.handler_a, ["/cases/worklist/", "/notifications/"]),
                        (staff.intake, ["/cases/intake/", "/cases/search/?q=", "/disclosure/moderation/"]),
                        (staff.chief, ["/cases/", "/cases/overview/"]),
                        (staff.dispatcher, ["/cases/dispatch/"]),
                        (staff.inspector, ["/cases/tasks/"])):
        context = browser_context(viewport=viewport)
        context.add_cookies(session_cookie(user, live_server.url))
        page = context.new_page()
        for path in paths:
            page.goto(live_server.url + path)
            assert page.locator("main").count() == 1
            widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{path} at {viewport['width']} px: {widths}"
        context.close()


def test_the_large_text_mode_is_one_key_press_and_is_remembered(browser_context, live_server):
    page = browser_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/p/track/")
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    tab_to(page, "[data-display-mode] button")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_class("large-text")
    assert page.get_attribute("[data-display-mode] button", "aria-pressed") == "true"
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= normal * 1.25
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.goto(f"{live_server.url}/p/")  # another page: drawn large by the server, before any script
    assert "large-text" in page.locator("html").get_attribute("class")
    tab_to(page, "[data-display-mode] button")
    page.keyboard.press("Enter")
    expect(page.locator("html")).not_to_have_class("large-text")
