"""Real browser: the dispatch console shows the queue on geo's map and dispatches a case; the
case detail then shows the new state, the timeline and the point. Nothing leaves the server."""
import pytest

from jingzhi.cases.workflow import State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dispatch_console_dispatches_to_the_suggested_department(browser_login, staff, geography, make_case,
                                                                        live_server):
    case = make_case(State.FILED)
    page = browser_login(staff.dispatcher)
    external = []
    page.on("request", lambda request: request.url.startswith(live_server.url) or external.append(request.url))

    page.goto(f"{live_server.url}/cases/")
    page.wait_for_selector("#case-map[data-points='1']")
    assert page.locator("#case-map .leaflet-interactive:not(.jingzhi-district)").count() >= 1
    row = page.locator(f"tr[data-case='{case.pk}']")
    assert geography.district_a.name in row.locator(".suggested").inner_text()
    row.locator("button.primary").click()

    page.wait_for_url(f"{live_server.url}/cases/{case.pk}/")
    assert "待签收" in page.locator("h1").inner_text()
    assert page.locator(".timeline li[data-action='dispatch']").count() == 1
    page.wait_for_selector("#case-map[data-points='1']")
    case.refresh_from_db()
    assert case.state == State.DISPATCHED and case.department == geography.district_a
    assert external == []


def test_a_handler_uses_the_detail_page_on_a_phone(browser_context, live_server, staff, make_case):
    case = make_case(State.DISPATCHED)
    context = browser_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", staff.handler_a.username)
    page.fill("input[name=password]", "pw-test-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.locator("details.action summary", has_text="签收").click()
    page.locator("form[data-action='receive'] button").click()
    page.wait_for_url(f"{live_server.url}/cases/{case.pk}/")
    assert "处置中" in page.locator("h1").inner_text()
    context.close()
