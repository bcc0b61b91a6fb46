import pytest

from jingzhi.org.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_user_changes_their_password_from_the_header(browser_login, make_user, live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # four hashes: keep them cheap
    page = browser_login(make_user(Role.DISPATCHER, username="dispatcher-pw"))
    page.click(".account >> text=修改密码")
    page.fill("input[name=old_password]", "pw-test-123")
    page.fill("input[name=new_password1]", "Xin-mima-2024")
    page.fill("input[name=new_password2]", "Xin-mima-2024")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/password/done/")
    assert page.locator("h1").inner_text() == "密码已修改"
    page.click(".account >> text=退出")
    page.fill("input[name=username]", "dispatcher-pw")
    page.fill("input[name=password]", "Xin-mima-2024")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
