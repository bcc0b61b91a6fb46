"""A real browser (Debian chromium) signs in and opens the plan overview."""
import pytest

from jingzhi.org.models import Role
from tests.browsing import sideways_overflow, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def colour(locator):
    return locator.evaluate("element => getComputedStyle(element).backgroundColor")


def test_the_overview_lists_tasks_in_status_colours(browser_login, make_user, progress, live_server):
    page = browser_login(make_user(Role.LEADER, username="leader-browser"))
    page.click("nav.mainnav >> text=工作方案")
    page.wait_for_url(f"{live_server.url}/plans/")
    assert page.locator("h1").inner_text() == "测试工作方案"
    rows = page.locator("table.tasks tbody tr")
    assert rows.count() == 5
    assert rows.nth(0).locator("td").nth(1).inner_text() == "公厕建设"
    assert colour(page.locator("tr[data-task='1'] .badge")) == "rgb(31, 95, 168)"    # on track: blue
    assert colour(page.locator("tr[data-task='2'] .badge")) == "rgb(192, 57, 43)"    # overdue: red
    assert colour(page.locator("tr[data-task='3'] .badge")) == "rgb(86, 99, 111)"    # not started: grey (--muted)

    with page.expect_navigation():
        page.click("text=公厕建设")
    assert page.locator("h1").inner_text().startswith("任务 1 公厕建设")
    assert page.locator("svg.trend polyline.reported").count() == 2  # toilets, class-1 share


def test_the_office_sends_a_reply_back_and_the_history_stays(browser_login, people, progress, live_server,
                                                             tmp_path):
    from datetime import date

    from jingzhi.plans.models import SupervisionNotice, Task
    from jingzhi.plans.services import notice_reply

    task = Task.objects.get(number="2")
    notice = SupervisionNotice.objects.create(
        task=task, to_unit=task.units.get(name="市园林局"), text="请说明原因。", reply_due=date(2018, 10, 10),
        issued_by=people["office"], issued_on=date(2018, 9, 20))
    notice_reply(user=people["yuanlin"], notice=notice, text="已召开推进会。", on=date(2018, 9, 25))
    page = browser_login(people["office"], password="pw-test-123")
    page.goto(f"{live_server.url}/plans/tasks/{task.pk}/#notices")
    form = page.locator(f"[data-notice='{notice.pk}'] form.review-form")
    form.locator("input[value=return]").check()
    form.locator("textarea[name=text]").fill("请补充具体整改时间。")
    form.locator("button").click()
    page.wait_for_selector(f"[data-notice='{notice.pk}'] .notice-history")
    card = page.locator(f"[data-notice='{notice.pk}']")
    page.screenshot(path=str(tmp_path / "notice.png"), full_page=True)
    assert "退回重办" in card.locator(".badge").inner_text()
    assert card.locator(".notice-history li").all_inner_texts()[1].endswith("退回（office）：请补充具体整改时间。")
    assert card.locator("form.review-form").count() == 0


@pytest.mark.parametrize("width", [900, 1024])
def test_a_task_page_with_its_tables_fits_a_desktop_window(browser_context, people, progress, live_server, width):
    """Between the phone layout (≤ 800 px, where every card scrolls) and a wide screen, the indicators'
    and the reports' tables scroll inside their own box; the page itself never scrolls sideways."""
    from jingzhi.plans.models import Task

    page = signed_in(browser_context(viewport={"width": width, "height": 800}).new_page(), live_server, "office")
    page.goto(f"{live_server.url}/plans/tasks/{Task.objects.get(number='1').pk}/")
    assert page.locator("#indicators table.indicators tbody tr").count() == 3
    assert page.locator("#reports table.reports tbody tr").count() == 2
    assert sideways_overflow(page) == 0
