import pytest

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
    assert page.locator(".error").count() == 1
