"""The citizen's walk on a phone (390×844): sign in by the SMS code (read from the test gateway),
see 我的上报 with their own report, nothing wider than the screen."""
import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_SCREEN = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def shot(page, name):
    """A screenshot for people to look at, when JINGZHI_SCREENSHOTS names a folder."""
    if os.environ.get("JINGZHI_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["JINGZHI_SCREENSHOTS"], f"citizens-{name}.png"), full_page=True)


def test_a_citizen_signs_in_by_sms_code_and_sees_my_reports(browser_context, live_server, staff, make_case, sms):
    case = make_case(description="小区门口垃圾堆放三天无人清理")
    make_case(reporter=staff.other_citizen, description="别人的上报")
    page = browser_context(**PHONE_SCREEN).new_page()
    page.goto(f"{live_server.url}/p/mine/")
    page.wait_for_url("**/p/login/?next=/p/mine/")
    shot(page, "login-phone")
    page.fill("input[name=phone]", "138 1234 5678")  # staff.citizen's number, typed with spaces
    page.click("button[value=send]")
    page.wait_for_selector("input[name=code]")
    assert "138****5678" in page.locator(".sent").inner_text()
    resend = page.locator("button[value=send]")
    assert resend.is_disabled() and "秒后可重新获取" in resend.inner_text()  # the 60-second cool-down
    page.fill("input[name=code]", "000000" if sms.code("13812345678") != "000000" else "000001")
    page.click("button[value=verify]")
    assert "验证码错误，还可再试 4 次。" in page.locator(".field-error").inner_text()
    shot(page, "login-code")
    page.fill("input[name=code]", sms.code("13812345678"))
    page.click("button[value=verify]")
    page.wait_for_url("**/p/mine/")
    assert page.locator("h1").inner_text() == "我的上报"
    assert page.locator(".report .number").all_inner_texts() == [case.number]
    assert "小区门口垃圾堆放" in page.locator(".report").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "mine")
