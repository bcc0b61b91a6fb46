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
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert Case.objects.count() == 0
    # What was typed is kept, and the summary's link takes the keyboard to the field.
    assert page.input_value("textarea[name=description]") == "井盖缺失"
    tab_to(page, "[data-error-summary] a[href='#id_lon']")
    page.keyboard.press("Enter")
    expect(page.locator("#id_lon")).to_be_focused()
    assert page.get_attribute("#id_lon", "aria-invalid") == "true"
    described = page.get_attribute("#id_lon", "aria-describedby")
    assert "不在本市服务范围内" in page.locator(f"#{described}").inner_text()


#: Neither the page nor anything in it (a table in a scrolling card) scrolls sideways; what scrolls is named.
SIDEWAYS = """() => {
  const page = document.documentElement;
  const inside = Array.from(document.querySelectorAll("main *")).filter(function (element) {
    const overflow = getComputedStyle(element).overflowX;
    return (overflow === "auto" || overflow === "scroll") && element.scrollWidth > element.clientWidth + 1;
  }).map(function (element) {
    const edge = element.getBoundingClientRect().right;
    const past = Array.from(element.querySelectorAll("*")).filter(function (inner) {
      return inner.getBoundingClientRect().right > edge + 1 && !inner.closest("thead");
    }).slice(0, 3).map(function (inner) { return inner.tagName + "." + (inner.className.baseVal ?? inner.className); });
    return element.tagName + "." + element.className + " " + element.scrollWidth + " (" + past.join(", ") + ")";
  });
  return page.scrollWidth > page.clientWidth ? ["the page " + page.scrollWidth].concat(inside) : inside;
}"""


#: Every list and work queue, as the user who works it.
LISTS = {"handler": ["/cases/worklist/", "/notifications/", "/dashboards/unit/"],
         "intake": ["/cases/intake/", "/cases/search/?q=", "/disclosure/moderation/"],
         "chief": ["/cases/", "/cases/overview/"], "dispatcher": ["/cases/dispatch/"], "inspector": ["/cases/tasks/"],
         "office": ["/plans/", "/plans/tasks/{lagging_task}/"], "leader": ["/plans/lagging/", "/dashboards/"],
         "cgj": ["/plans/mine/"], "citizen": ["/p/mine/"]}


@pytest.mark.parametrize(("viewport", "large"), [({"width": 320, "height": 640}, False),
                                                 ({"width": 640, "height": 400}, False),
                                                 ({"width": 320, "height": 640}, True)],
                         ids=["320px", "laptop-at-200%", "320px-large-text"])
def test_the_lists_fit_without_sideways_scrolling(viewport, large, browser_context, live_server, world, make_case):
    make_case(State.HANDLING, description="占道经营，摊位延伸至人行道中央，行人只能绕行机动车道" * 3)
    for user, paths in LISTS.items():
        context = browser_context(viewport=viewport)
        context.add_cookies(session_cookie(world["users"][user], live_server.url)
                            + ([{"name": "jz_text", "value": "large", "url": live_server.url}] if large else []))
        page = context.new_page()
        for path in paths:
            page.goto(live_server.url + path.format(**world))
            assert page.locator("main").count() == 1
            assert page.evaluate(SIDEWAYS) == [], f"{path} at {viewport['width']} px as {user}"
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
    assert page.evaluate(SIDEWAYS) == []
    page.goto(f"{live_server.url}/p/")  # another page: drawn large by the server, before any script
    assert "large-text" in page.locator("html").get_attribute("class")
    tab_to(page, "[data-display-mode] button")
    page.keyboard.press("Enter")
    expect(page.locator("html")).not_to_have_class("large-text")
