"""Real browser: the whole case loop through the staff pages, each role in its own browser, filling
only what a form requires, as a person would (issue 7 §1). The inspector and the handlers work on
a phone (390×844); the desk roles on a desktop screen. Each test asserts the state and the
timeline that the case page shows at the end, and what was stored."""
import io
import re

import pytest
from PIL import Image

from jingzhi.cases.models import Case, PhotoKind
from jingzhi.cases.workflow import State
from tests.browsing import PHONE, go_to, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASE_PAGE = re.compile(r"/cases/\d+/$")


def photo_file() -> dict:
    """What a phone camera hands the file input: a small JPEG."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 110, 90)).save(buffer, format="JPEG")
    return {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


@pytest.fixture
def sign_in(browser_context, live_server):
    """A signed-in page of ``user`` in a browser context of its own (own cookies), phone or desktop;
    the same page again, back on the user's case list, when the same person comes back."""
    pages = {}

    def open_as(user, *, phone=False):
        if user.pk in pages:  # the same person again, in the same browser
            page = pages[user.pk]
            go_to(page, "案件")
            return page
        context = browser_context(**(PHONE if phone else {}))  # the pages must also obey the CSP
        page = pages[user.pk] = signed_in(context.new_page(), live_server, user.username)
        go_to(page, "案件")  # to the user's own case page (through the 菜单 on a phone)
        return page

    return open_as


def send(page, button):
    """Click a form's button and wait for the answer: the case page (the form was accepted)."""
    with page.expect_navigation():
        button.click()
    assert CASE_PAGE.search(page.url), page.locator(".messages").inner_text()


def open_case(page, case):
    """From a list page to the case, by its number."""
    page.locator(f"a[href='/cases/{case.pk}/']").first.click()
    page.wait_for_url(f"**/cases/{case.pk}/")


def act(page, label, fill=None):
    """Open the action's panel on the case page, fill what it requires, send it and see it done."""
    page.locator("details.action > summary", has_text=re.compile(f"^{re.escape(label)}$")).click()
    form = page.locator("details.action[open] form")
    if fill:
        fill(form)
    send(page, form.locator("button"))
    assert f"已{label}。" in page.locator(".messages").inner_text()


def state_on_page(page) -> str:
    return page.locator("h1 .badge").first.inner_text()


def timeline(page) -> list[str]:
    return page.locator(".timeline li").evaluate_all("items => items.map(item => item.dataset.action)")


def tap_inside_district_a(page):
    """Tap the map inside the west district's north half (the part the phone shows)."""
    page.wait_for_selector("#case-map[data-areas='2']")
    page.locator("#case-map").scroll_into_view_if_needed()
    districts = page.locator("#case-map svg path.jingzhi-district")
    west = min((districts.nth(i).bounding_box() for i in range(districts.count())), key=lambda box: box["x"])
    shown = page.locator("#case-map").bounding_box()
    left, right = max(west["x"], shown["x"]), min(west["x"] + west["width"], shown["x"] + shown["width"])
    page.touchscreen.tap((left + right) / 2, west["y"] + west["height"] * 0.25)


def test_the_whole_loop_in_the_browser(sign_in, staff, geography, category):
    # 监督员 on a phone: the report form with a description, a tap on the map and one photo.
    page = sign_in(staff.inspector, phone=True)
    page.click(".case-tabs a:text-is('登记案件')")
    page.fill("[data-category-search]", category.name)  # nothing is chosen until the inspector chooses
    page.locator("label.category-tile:visible", has_text=category.name).click()
    page.fill("textarea[name=description]", "人行道暴露垃圾一堆")
    tap_inside_district_a(page)
    page.set_input_files("input[name=photos]", photo_file())
    send(page, page.locator("form .form-actions button"))
    case = Case.objects.get()
    assert state_on_page(page) == "待受理" and geography.district_a.name in page.locator("table.facts").inner_text()

    page = sign_in(staff.intake)
    open_case(page, case)
    act(page, "受理")
    page = sign_in(staff.chief)
    page.click(".case-tabs a:text-is('受理立案')")
    open_case(page, case)
    act(page, "立案")

    # 派遣员 on the console: the suggested department is already chosen.
    page = sign_in(staff.dispatcher)
    row = page.locator(f"tr[data-case='{case.pk}']")
    assert row.locator(".suggested").inner_text() == geography.district_a.name
    send(page, row.locator("button"))

    # 处置人员 on a phone: sign for it, then only the after photo.
    page = sign_in(staff.handler_a, phone=True)
    open_case(page, case)
    act(page, "签收")
    act(page, "处置反馈", lambda form: form.locator("input[name=after_photos]").set_input_files(photo_file()))

    page = sign_in(staff.intake)
    open_case(page, case)
    act(page, "派发核查")  # the reporting inspector is proposed
    page = sign_in(staff.inspector, phone=True)
    open_case(page, case)
    act(page, "核查通过")  # no photo
    page = sign_in(staff.chief)
    open_case(page, case)
    act(page, "结案")

    assert state_on_page(page) == "已结案"
    assert timeline(page) == ["report", "accept", "file", "dispatch", "receive", "handle", "verify_assign",
                              "verify_pass", "close"]
    case.refresh_from_db()
    assert case.state == State.CLOSED and case.department == geography.district_a
    assert sorted(case.photos.values_list("kind", flat=True)) == [PhotoKind.AFTER, PhotoKind.REPORT]


def test_return_and_rework_in_the_browser(sign_in, staff, geography, make_case):
    case = make_case(State.DISPATCHED)  # to district A, as suggested

    page = sign_in(staff.handler_a, phone=True)
    open_case(page, case)
    act(page, "退回", lambda form: form.locator("textarea[name=comment]").fill("不属于本区，应由乙区处置"))
    assert state_on_page(page) == "退回待审"

    # The dispatcher sends it to the other district, with the reason the form asks for.
    page = sign_in(staff.dispatcher)
    row = page.locator(f"tr[data-case='{case.pk}']")
    row.locator("[data-all-departments]").click()  # the row's list holds the suggestion until asked for all
    row.locator("select[name=department]").select_option(label=geography.district_b.name)
    row.locator("input[name=override_reason]").fill("位置在乙区")
    send(page, row.locator("button"))

    page = sign_in(staff.handler_b, phone=True)
    open_case(page, case)
    act(page, "签收")
    act(page, "处置反馈", lambda form: form.locator("input[name=after_photos]").set_input_files(photo_file()))
    page = sign_in(staff.intake)
    open_case(page, case)
    act(page, "派发核查")
    page = sign_in(staff.inspector, phone=True)
    open_case(page, case)
    act(page, "核查不通过", lambda form: form.locator("textarea[name=comment]").fill("垃圾仍未清运"))
    page = sign_in(staff.dispatcher)
    open_case(page, case)
    act(page, "返工")

    page = sign_in(staff.handler_b, phone=True)  # back on the department's list, marked as rework
    assert "返工1" in page.locator(f"tr[data-case='{case.pk}']").inner_text()
    open_case(page, case)
    assert state_on_page(page) == "处置中"
    assert timeline(page) == ["report", "accept", "file", "dispatch", "return", "dispatch", "receive", "handle",
                              "verify_assign", "verify_fail", "rework"]
    facts = page.locator("table.facts").inner_text()
    assert geography.district_b.name in facts and "返工次数\t1" in facts
    case.refresh_from_db()
    assert (case.state, case.department, case.rework_count) == (State.HANDLING, geography.district_b, 1)
