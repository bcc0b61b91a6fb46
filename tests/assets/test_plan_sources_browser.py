"""Real browser: a leader on the task page follows 未达标记录 beside the class-1 toilet share and reads
the toilets that were not 一类 on the review date, the filter shown on the registry page; clearing it
lists every toilet counted. On a phone the registry page with that filter does not scroll sideways."""
import pytest

from jingzhi.org.models import Role
from tests.browsing import PHONE, sideways_overflow, signed_in

from .test_plan_sources import plan_with_registry_sources, toilets

__all__ = ["plan_with_registry_sources", "toilets"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def listed(page) -> list[str]:
    return sorted(page.locator("table.data tbody tr td:first-child a").all_inner_texts())


def test_a_leader_opens_the_toilets_that_missed_the_class_1_share(plan_with_registry_sources, make_user,
                                                                  browser_context, live_server):
    make_user(Role.LEADER, username="leader")
    page = signed_in(browser_context().new_page(), live_server, "leader")
    page.goto(f"{live_server.url}/plans/")
    page.locator("a[href^='/plans/tasks/']").first.click()
    cell = page.locator("tr[data-indicator='class1-share']")
    assert "2 座达标" in cell.inner_text()
    with page.expect_navigation():
        cell.get_by_role("link", name="未达标记录").click()
    assert listed(page) == ["T1", "T6", "T7"] and "共 3 条" in page.inner_text("main")
    negated = page.get_by_label("公厕等级（不是）")
    assert negated.input_value() == "一类" and page.get_by_label("状态日期").input_value() == "2018-09-30"
    negated.select_option("")
    with page.expect_navigation():
        page.get_by_role("button", name="查询").click()
    assert listed(page) == ["T1", "T2", "T3", "T6", "T7"]  # every toilet counted on 2018-09-30
    assert page.get_by_label("公厕等级（不是）").count() == 0

    phone = signed_in(browser_context(**PHONE).new_page(), live_server, "leader")
    phone.goto(f"{live_server.url}/assets/toilet/?as_of=2018-09-30&not.toilet_class=一类")
    assert listed(phone) == ["T1", "T6", "T7"] and sideways_overflow(phone) == 0
