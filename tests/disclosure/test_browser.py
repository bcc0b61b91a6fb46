"""Real browser on a phone (390×844), under the Content-Security-Policy: an anonymous citizen tracks a
report by its number and reads the timeline; the reporting citizen signs in and rates a closed case;
the map and the statistics draw."""
import pytest
from django.utils import timezone

from jingzhi.cases.models import Case
from jingzhi.cases.workflow import State
from tests.browsing import sideways_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_track_a_report_then_rate_it_on_a_phone(browser_context, live_server, staff, make_case):
    case = make_case(State.CLOSED, description="路边有暴露垃圾")
    page = browser_context(**PHONE).new_page()
    page.goto(f"{live_server.url}/p/track/")
    page.fill("#number", case.number.lower())
    page.click("button.primary")
    page.wait_for_url(f"**/p/cases/{case.number}/")
    steps = page.locator(".public-timeline li b").all_inner_texts()
    assert steps == ["已收到", "已受理", "已立案", "处置中", "核查中", "已办结"]
    assert "路边有暴露垃圾" in page.locator(".description").inner_text()
    assert page.locator(".before-after img").count() == 1  # the handler's 处置后 photo
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    page.screenshot(path="/tmp/disclosure-track-phone.png", full_page=True)

    page.goto(f"{live_server.url}/login/?next=/p/cases/{case.number}/")
    page.fill("input[name=username]", staff.citizen.username)
    page.fill("input[name=password]", "pw-test-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"**/p/cases/{case.number}/")
    page.click("text=评价办理结果")
    page.wait_for_url(f"**/p/cases/{case.number}/rate/")
    page.check("input[value=satisfied]")  # only the required choice
    page.screenshot(path="/tmp/disclosure-rate-phone.png", full_page=True)
    page.click("button.primary")
    page.wait_for_url(f"**/p/cases/{case.number}/")
    assert "感谢您的评价" in page.locator(".messages").inner_text()
    assert page.locator("[data-satisfaction]").inner_text() == "满意"
    assert Case.objects.get(pk=case.pk).satisfaction == "satisfied"

    page.goto(f"{live_server.url}/p/map/")
    page.wait_for_selector("#public-map[data-points='1'][data-areas='2']")
    page.goto(f"{live_server.url}/p/stats/")
    assert page.locator("[data-figure=closed]").inner_text() == "1"
    page.screenshot(path="/tmp/disclosure-stats-phone.png", full_page=True)


def test_a_moderator_approves_a_held_description_and_redacts_a_photo(browse_as, staff, make_case, photo):
    from jingzhi.cases.reporting import case_report

    held = make_case(State.REPORTED, description="门口那个傻逼又占道")
    report = case_report(reporter=staff.citizen, source="citizen", category=held.category, description="井盖丢了",
                         lon=held.lon, lat=held.lat, photos=[photo()])
    page = browse_as(staff.intake, {"/disclosure/moderation/": "[data-review]"})
    row = page.locator("tr[data-review]", has_text=held.number)
    assert "不文明用语：傻逼" in row.inner_text()
    page.screenshot(path="/tmp/disclosure-moderation.png", full_page=True)
    with page.expect_navigation():
        row.locator("button[value=approved]").click()
    assert "已审核：公开" in page.locator(".messages").inner_text()
    assert page.locator("tr[data-review]", has_text=held.number).count() == 0
    with page.expect_navigation():
        page.click("text=待审照片")
    figure = page.locator("figure[data-photo]")
    assert figure.count() == 1 and report.number in figure.inner_text()
    with page.expect_navigation():
        figure.locator("button[value=redacted]").click()
    assert "已审核：打码后公开" in page.locator(".messages").inner_text()
    page.goto(page.url.split("/disclosure/")[0] + f"/p/cases/{report.number}/")
    assert page.locator(".public-photos img").count() == 1


#: Where keyboard focus is: the link's address, else the element's tag and class.
FOCUSED = "() => document.activeElement.getAttribute('href') || document.activeElement.tagName + '.' + document.activeElement.className"


def test_a_keyboard_user_reaches_the_maps_points_in_its_list_and_opens_one_on_a_phone(browser_context, live_server,
                                                                                        make_case):
    handling, closed = make_case(State.DISPATCHED, where="b"), make_case(State.CLOSED)
    page = browser_context(**PHONE).new_page()
    page.goto(f"{live_server.url}/p/map/")
    page.wait_for_selector("#public-map[data-points='2'][data-areas='2']")
    assert sideways_overflow(page) == 0
    items = page.locator("#map-list li")
    assert items.all_inner_texts() == [f"暴露垃圾 {case.number}\n{stage}\n{timezone.localdate(case.created_at):%Y-%m-%d} 上报"
                                       for case, stage in ((closed, "已办结"), (handling, "处置中"))]
    # From the top of the page, Tab alone: past the header and the map's skip link, the map and its
    # controls, to the first point of the list.
    stops = []
    for _ in range(40):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUSED))
        if stops[-1] == f"/p/cases/{closed.number}/":
            break
    assert stops[-1] == f"/p/cases/{closed.number}/", stops
    page.screenshot(path="/tmp/disclosure-map-list-phone.png", full_page=True)
    assert "#public-map-end" in stops  # the map's skip link was on the way …
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == f"/p/cases/{handling.number}/"  # … and the next Tab is the next point
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/p/cases/{handling.number}/")
    assert page.locator("h1 .stage").inner_text() == "处置中"


def test_the_maps_skip_link_leads_straight_to_the_list(browser_context, live_server, make_case):
    case = make_case(State.FILED)
    page = browser_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(f"{live_server.url}/p/map/")
    page.wait_for_selector("#public-map[data-points='1']")
    page.focus(".jingzhi-map-skip")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == f"/p/cases/{case.number}/"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/p/cases/{case.number}/")
