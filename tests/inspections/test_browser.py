"""Real browser on a phone (390×844): the inspector opens a planned round, fills a toilet check with
a failing item and its photo, sees the result and the case it raised, and the case links back."""
import pytest
from django.utils import timezone

from jingzhi.cases.models import Case
from jingzhi.inspections.services import inspection_submit
from tests.browsing import PHONE, labels_overlap, sideways_overflow, signed_in
from tests.upload_samples import image_bytes

from .conftest import TOILET_FAILING_FLOOR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_inspector_fills_a_toilet_check_on_a_phone(browser_context, live_server, people, toilet, toilet_round,
                                                       categories):
    lon, lat = float(toilet.lon), float(toilet.lat)
    context = browser_context(viewport={"width": 390, "height": 844}, permissions=["geolocation"],
                              geolocation={"longitude": lon, "latitude": lat})
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
    page.click("[data-locate]")  # use my location: the phone's WGS84 position fills the coordinates
    page.wait_for_selector("form[data-located='true']")
    assert float(page.input_value("#id_lon")) == pytest.approx(lon, abs=1e-6)
    page.click("form[data-fill-form] .form-actions button")

    page.wait_for_url(f"{live_server.url}/inspections/*/")
    case = Case.objects.get()
    failed = page.locator(".result.failed")
    assert failed.count() == 1 and "地面、便器无粪便、尿垢、积水" in failed.inner_text()
    assert case.number in failed.locator(".result-case").inner_text()
    assert "77.8" in page.locator(".score").inner_text()
    assert page.locator(".result.failed .photos img").count() == 1
    failed.locator(".result-case a").click()
    page.wait_for_url(f"{live_server.url}/cases/{case.pk}/")
    assert page.locator("a.inspection-link").count() == 1
    assert case.asset == toilet and case.photos.count() == 1
    assert case.inspection_result.inspection.lat == pytest.approx(lat, abs=1e-6)
    assert external == []
    context.close()


def test_the_office_plans_a_round_on_the_desktop(browser_context, live_server, people, toilet, road):
    page = browser_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", people["office"].username)
    page.fill("input[name=password]", "pw-test-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/inspections/")
    page.click("text=安排检查轮次")
    page.select_option("select[name=template]", "toilet_check")
    page.click("form.filters button")
    page.wait_for_selector("input[name=assets]")
    assert [text.strip() for text in page.locator("label.stop-choice").all_inner_texts()] == [
        f"{toilet.name} {toilet.code}"]  # the road is no toilet
    page.fill("input[name=name]", "公厕日督查")
    page.select_option("select[name=inspector]", str(people["inspector"].pk))
    page.check(f"input[name=assets][value='{toilet.pk}']")
    page.click(".plan-form .form-actions button")
    page.wait_for_url(f"{live_server.url}/inspections/rounds/*/")
    assert page.locator(f".stop[data-asset='{toilet.pk}']").count() == 1
    page.goto(f"{live_server.url}/inspections/")
    assert "已检查 0 / 1" in page.locator(".round-card").inner_text()


def test_the_district_records_fit_a_phone_in_english(browser_context, live_server, people, toilet, categories):
    """The inspections behind a district's score, as cards on a phone: a label of two lines ("Inspection
    template") grows its line instead of running over the next one."""
    inspection = inspection_submit(inspector=people["inspector"], template_code="toilet_check", asset=toilet,
                                   values=TOILET_FAILING_FLOOR)
    page = signed_in(browser_context(locale="en-US", **PHONE).new_page(), live_server, people["office"].username,
                     "pw-test-123")
    today = timezone.localdate().isoformat()
    page.goto(f"{live_server.url}/inspections/records/?district={inspection.district_id}&start={today}&end={today}")
    assert page.locator("tr[data-inspection]").count() == 1
    assert "Inspection template" in page.locator("table.data").inner_text()
    assert sideways_overflow(page) == 0 and labels_overlap(page) == 0
