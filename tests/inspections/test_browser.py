"""Real browser on a phone (390×844): the inspector opens a planned round, fills a toilet check with
a failing item and its photo, sees the result and the case it raised, and the case links back."""
import pytest

from jingzhi.cases.models import Case
from tests.upload_samples import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_inspector_fills_a_toilet_check_on_a_phone(browser_context, live_server, people, toilet, toilet_round,
                                                       categories):
    context = browser_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    external = []
    page.on("request", lambda request: request.url.startswith(live_server.url) or external.append(request.url))
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", people["inspector"].username)
    page.fill("input[name=password]", "pw-test-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/inspections/")
    page.click(f".round-card[data-round='{toilet_round.pk}']")
    page.click(f".stop[data-asset='{toilet.pk}'] .fill-link")
    page.wait_for_selector("form[data-fill-form]")
    for item in ("open_as_posted", "hours_posted", "cleaning_log", "facilities_intact"):
        page.check(f"input[name=item_{item}][value=true]")
    page.check("input[name=item_floor_clean][value=false]")
    page.fill("input[name=item_odour_grade]", "1")
    page.fill("input[name=item_flies]", "2")
    page.set_input_files("input[name=photo_floor_clean]",
                         files=[{"name": "floor.jpg", "mimeType": "image/jpeg", "buffer": image_bytes("JPEG")}])
    page.screenshot(path="/tmp/inspection-fill.png", full_page=True)
    page.click("form[data-fill-form] .form-actions button")

    page.wait_for_url(f"{live_server.url}/inspections/*/")
    case = Case.objects.get()
    failed = page.locator(".result.failed")
    assert failed.count() == 1 and "地面、便器无粪便、尿垢、积水" in failed.inner_text()
    assert case.number in failed.locator(".result-case").inner_text()
    assert "77.8" in page.locator(".score").inner_text()
    assert page.locator(".result.failed .photos img").count() == 1
    page.screenshot(path="/tmp/inspection-result.png", full_page=True)
    failed.locator(".result-case a").click()
    page.wait_for_url(f"{live_server.url}/cases/{case.pk}/")
    assert page.locator("a.inspection-link").count() == 1
    assert case.asset == toilet and case.photos.count() == 1
    assert external == []
    context.close()
