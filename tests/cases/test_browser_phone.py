"""Real browser on a 390×844 phone (issue 9, the inspector's phone): the inspector's page with its
核查 tasks and own reports, a 核查 task opening on its photos and map with the verify action at hand,
and every list and work queue fitting the screen without sideways scrolling, under a header of one
line whose menu folds behind 菜单."""
import pytest

from jingzhi.cases.models import Case, Notification
from jingzhi.cases.workflow import State
from tests.browsing import PHONE, go_to, image_loads, open_menu, sideways_overflow, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_inspector_verifies_a_task_on_a_phone(browser_context, live_server, staff, make_case):
    task = make_case(State.VERIFYING)  # the handler's after photo is on it
    own = make_case(State.REPORTED, reporter=staff.inspector, description="井盖缺失")
    page = signed_in(browser_context(**PHONE).new_page(), live_server, staff.inspector.username)

    header = page.locator("#topbar").bounding_box()
    assert header["height"] <= 56  # one line: brand, 通知, 菜单
    assert not page.locator(".mainnav").is_visible()
    go_to(page, "案件")  # the inspector's own page
    assert page.url.endswith("/cases/tasks/")
    assert sideways_overflow(page) == 0
    card = page.locator(f"#verify-tasks .task-card[data-case='{task.pk}']")
    assert image_loads(card.locator("img.task-photo"))
    assert page.locator(f"#my-reports li[data-case='{own.pk}']").inner_text().startswith(own.number)

    card.click()
    page.wait_for_url(f"**/cases/{task.pk}/")
    page.wait_for_selector("#case-map[data-points='1']")
    assert sideways_overflow(page) == 0
    assert image_loads(page.locator(".case-media .photos img").first)
    # The map, the photo and the verify action come first, within the first screens of the page.
    page.evaluate("window.scrollTo(0, 0)")
    assert page.locator("#case-map .leaflet-marker-icon, #case-map .leaflet-interactive").count() >= 1
    verify = page.locator("details.action > summary", has_text="核查通过")
    boxes = [page.locator(selector).bounding_box() for selector in ("#case-map", ".case-media .photos img",
                                                                     "#actions", ".case-facts")]
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"] < boxes[3]["y"]
    assert boxes[0]["y"] < 844 and boxes[2]["y"] < 2 * 844

    verify.click()
    with page.expect_navigation():
        page.locator("details.action[open] form button").click()
    assert "已核查通过。" in page.locator(".messages").inner_text()
    assert page.locator("h1 .badge").first.inner_text() == "待结案"
    task.refresh_from_db()
    assert task.state == State.VERIFIED


def test_lists_and_work_queues_fit_a_phone(browser_context, live_server, staff, make_case):
    for state in (State.REPORTED, State.ACCEPTED, State.FILED, State.DISPATCHED, State.HANDLING,
                  State.VERIFYING, State.CLOSED):
        make_case(state, description="人行道上长期堆放建筑垃圾和废旧家具，影响行人通行" * 3)
    assert Notification.objects.filter(recipient=staff.handler_a).exists()
    pages = {
        staff.intake: ["/cases/intake/", "/cases/search/", f"/cases/{Case.objects.first().pk}/"],
        staff.chief: ["/cases/overview/"],
        staff.dispatcher: ["/cases/dispatch/"],
        staff.handler_a: ["/cases/worklist/", "/notifications/"],
        staff.inspector: ["/cases/tasks/"],
    }
    for user, paths in pages.items():
        page = signed_in(browser_context(**PHONE).new_page(), live_server, user.username)
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("load")
            assert page.locator("table.data.cases tbody tr, .task-card, .notice, .timeline li").count() >= 1, path
            assert sideways_overflow(page) == 0, (user.username, path)
        open_menu(page)  # the folded menu opens, and still fits
        assert page.locator(".mainnav a").first.is_visible()
        assert sideways_overflow(page) == 0, user.username


def test_the_header_menu_shows_unfolded_on_a_desktop(browser_context, live_server, staff):
    page = signed_in(browser_context().new_page(), live_server, staff.dispatcher.username)
    assert page.locator(".mainnav").is_visible() and not page.locator(".menu-toggle").is_visible()
    go_to(page, "案件")
    assert page.url.endswith("/cases/dispatch/")
