import pytest
from playwright.sync_api import expect

from jingzhi.org.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_shows_the_chinese_shell(browser_login, make_user, live_server):
    user = make_user(Role.LEADER, username="leader-b", display_name="李强")
    page = browser_login(user)
    assert page.locator("h1").inner_text() == "工作台"
    assert "李强" in page.locator(".account").inner_text()


def test_wrong_password_stays_on_login(page, live_server, make_user):
    make_user(Role.LEADER, username="leader-c")
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "leader-c")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    assert "/login/" in page.url
    # The refusal is announced (role=alert) and focus moves to it (core/a11y.js).
    summary = page.locator("[data-error-summary]")
    assert summary.get_attribute("role") == "alert" and "请输入一个正确的" in summary.inner_text()
    expect(summary).to_be_focused()
