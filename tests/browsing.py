"""Helpers for real-browser tests (Playwright over Debian chromium), shared by every app's tests.

- ``PHONE``: the context options of a 390×844 phone (``browser_context(**PHONE)``).
- ``signed_in(page, live_server, username)``: sign in through the login form; back on the home page.
- ``open_menu(page)``: unfold the header's menu when it is folded (a phone), else nothing.
- ``go_to(page, label)``: follow a main-menu entry by its label, on a phone or a desktop.
- ``sideways_overflow(page)``: how many pixels the page scrolls sideways (0 when it fits).
"""
from __future__ import annotations

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PASSWORD = "pw-test-123"  # what the test fixtures (make_user) give every user


def signed_in(page, live_server, username: str, password: str = PASSWORD):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def open_menu(page) -> None:
    toggle = page.locator("#topbar .menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.locator("#topbar-menu").wait_for(state="visible")


def go_to(page, label: str) -> None:
    open_menu(page)
    with page.expect_navigation():
        page.click(f".mainnav a:text-is('{label}')")


def sideways_overflow(page) -> int:
    """Measured against the layout viewport (``clientWidth``), not ``innerWidth``: in a mobile context
    (``is_mobile``) chromium zooms out to show a page that is too wide, and ``innerWidth`` grows with
    it, so ``scrollWidth <= innerWidth`` holds even for a page that scrolls sideways."""
    return page.evaluate("document.scrollingElement.scrollWidth - document.documentElement.clientWidth")


def image_loads(image) -> bool:
    """Whether an <img> shows a picture. A lazy image starts loading only when it nears the screen, and
    may still be on its way when the page is ready, so scroll to it and wait for it to load or fail."""
    image.scroll_into_view_if_needed()
    return image.evaluate("""img => img.complete && img.naturalWidth > 0 || new Promise(done => {
        img.addEventListener('load', () => done(img.naturalWidth > 0));
        img.addEventListener('error', () => done(false)); })""")


def labels_overlap(page) -> int:
    """How many cells of the lists reflowed to cards (under 700 px) are shorter than their column's
    label: a label of two lines on a one-line value would run over the next line of the card."""
    return page.evaluate("""() => [...document.querySelectorAll('table.data tbody td[data-label]')].filter(td =>
        td.getBoundingClientRect().height + 0.5 < parseFloat(getComputedStyle(td, '::before').height)).length""")
