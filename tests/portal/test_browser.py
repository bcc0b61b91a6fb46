"""Real browser at a phone's size (390×844): an anonymous citizen reports with a photo using the
phone's location, is shown a nearby open case first, and reaches the receipt; a report written
offline is kept on the phone and sent once when the network returns; an inspector reports on the
same form. Every page runs under the Content-Security-Policy (``browser_context``)."""
import io
import re
import time

import pytest
from PIL import Image

from jingzhi.cases.models import Case, CasePhoto
from jingzhi.cases.reporting import case_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _jpeg() -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, format="JPEG")
    return {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def _phone(browser_context, geography):
    lon, lat = geography.inside_a
    return browser_context(viewport=PHONE, geolocation={"longitude": lon, "latitude": lat},
                           permissions=["geolocation"], is_mobile=True, has_touch=True)


def _fill_report(page, *, description: str):
    page.fill("[data-category-search]", "暴露")
    page.locator("label.category-tile:visible").first.click()
    page.click("[data-locate]")
    page.wait_for_selector("form[data-located='true']")  # (wait_for_function would eval: the CSP refuses it)
    page.fill("textarea[name=description]", description)


def test_an_anonymous_citizen_reports_with_a_photo_and_the_phones_location(browser_context, live_server, geography,
                                                                             category, staff):
    lon, lat = geography.inside_a
    nearby = case_report(reporter=staff.inspector, source="inspector", category=category, description="巡查发现",
                         lon=lon, lat=lat + 0.001)
    page = _phone(browser_context, geography).new_page()
    page.goto(f"{live_server.url}/p/")
    with page.expect_navigation():
        page.click("text=我要上报")
    assert page.locator("input[name=category]:checked").count() == 0  # nothing chosen for the citizen
    _fill_report(page, description="小区门口垃圾堆积")
    page.wait_for_selector("[data-duplicates][data-count='1']")
    assert nearby.number in page.locator("[data-duplicate-list]").inner_text()
    assert "约 111 米" in page.locator("[data-duplicate-list]").inner_text()
    assert page.locator("[data-duplicate-list] button", has_text="我也遇到了").count() == 1
    page.set_input_files("input[name=photos]", files=[_jpeg()])
    page.click(".form-actions button")
    page.wait_for_url(f"{live_server.url}/p/report/receipt/**")
    case = Case.objects.exclude(pk=nearby.pk).get()
    assert case.number in page.locator("[data-number]").inner_text()
    assert case.reporter is None and case.source == "citizen" and case.coord_system == "wgs84"
    assert (round(case.lon, 6), round(case.lat, 6)) == (round(lon, 6), round(lat, 6))
    assert CasePhoto.objects.filter(case=case).count() == 1
    assert page.locator("[data-rate-link] a").is_visible()  # no account: the private link to rate it later
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # the report found again by its number on the tracking page, as the receipt says
    page.goto(f"{live_server.url}/p/")
    page.click("text=查进度")
    page.fill("input[name=number]", case.number.lower())
    page.press("input[name=number]", "Enter")
    page.wait_for_url(f"{live_server.url}/p/cases/{case.number}/")
    assert case.number in page.locator("main").inner_text() and "已收到" in page.locator("main").inner_text()
    assert "小区门口垃圾堆积" in page.locator("main").inner_text()  # the automatic check passed it
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_report_written_offline_is_sent_once_when_the_network_returns(browser_context, live_server, geography,
                                                                        category):
    context = _phone(browser_context, geography)
    page = context.new_page()
    page.goto(f"{live_server.url}/p/report/")
    _fill_report(page, description="路灯不亮（离线时上报）")
    context.set_offline(True)
    page.click(".form-actions button")
    page.wait_for_selector("form[data-saved='true']")
    assert "已保存在手机上" in page.locator("[data-report-notice]").inner_text()
    assert Case.objects.count() == 0
    context.set_offline(False)  # the browser's "online" event sends the draft
    page.wait_for_selector("[data-draft-notice][data-state='sent']")
    assert Case.objects.count() == 1
    page.locator("[data-draft-notice] a").click()
    page.wait_for_url(f"{live_server.url}/p/report/receipt/**")
    # opening a page again sends nothing twice: the draft is gone (and its key would replay anyway)
    page.goto(f"{live_server.url}/p/")
    time.sleep(0.5)
    assert page.evaluate("window.jingzhiDrafts.count()") == 0 and Case.objects.count() == 1


def test_an_inspector_reports_on_the_same_form_at_phone_size(browser_context, live_server, geography, category,
                                                              staff):
    page = _phone(browser_context, geography).new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", staff.inspector.username)
    page.fill("input[name=password]", "pw-test-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/cases/new/")
    locate = page.locator("[data-locate]").bounding_box()
    button = page.locator(".form-actions button").bounding_box()
    map_box = page.locator("#case-map").bounding_box()
    assert locate["y"] < map_box["y"] < button["y"]  # location first, the map before the button
    assert not page.locator("#id_lon").is_visible()  # the coordinates sit behind the map
    assert page.locator("input[name=reporter_phone]").count() == 0  # caller fields: hotline intake only
    _fill_report(page, description="井盖破损（监督员上报）")
    page.click(".form-actions button")
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get()
    assert case.reporter == staff.inspector and case.source == "inspector"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _controlled(page) -> None:
    """Wait until the portal's service worker controls the page (it claims its clients on activation)."""
    for _ in range(300):  # it first fetches and keeps two pages and their static files
        if page.evaluate("Boolean(navigator.serviceWorker && navigator.serviceWorker.controller)"):
            return
        time.sleep(0.1)
    raise AssertionError("the service worker never took control of the page")


def test_the_report_page_opens_offline_and_its_draft_is_sent_once(browser_context, live_server, geography, category,
                                                                  make_category):
    context = _phone(browser_context, geography)
    page = context.new_page()
    page.goto(f"{live_server.url}/p/")  # the first visit installs the worker, which keeps the report page
    _controlled(page)
    make_category("0501", "无照经营游商")  # a page rendered from now on would offer it
    context.set_offline(True)
    opened = page.goto(f"{live_server.url}/p/report/")
    assert opened.from_service_worker and opened.ok
    assert page.locator("form[data-report-form]").is_visible()
    assert page.locator("label.category-tile", has_text="无照经营游商").count() == 0  # the kept copy, not the server
    _fill_report(page, description="路灯不亮（断网时打开的上报页）")
    page.click(".form-actions button")
    page.wait_for_selector("form[data-saved='true']")
    assert page.evaluate("window.jingzhiDrafts.count()") == 1 and Case.objects.count() == 0
    context.set_offline(False)  # the browser's "online" event sends the draft
    page.wait_for_selector("[data-draft-notice][data-state='sent']")
    case = Case.objects.get()
    assert case.description == "路灯不亮（断网时打开的上报页）" and case.reporter is None
    page.goto(f"{live_server.url}/p/report/")  # online again: from the server (the new category), nothing resent
    assert page.locator("label.category-tile", has_text="无照经营游商").count() == 1
    time.sleep(0.5)
    assert page.evaluate("window.jingzhiDrafts.count()") == 0 and Case.objects.count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
