"""The axe-core walk shared by the accessibility tests: open each page as its user in Debian chromium at
desktop (1280×800) and phone (390×844) size, run axe-core (npm, pinned in package-lock.json, read from
node_modules and evaluated in the page: no CDN) and list every critical or serious violation, and every
request that tried to leave 127.0.0.1 (aborted). One browser context per user and size; the signed-in
session is a cookie made by Django's test client, so no login form is filled per page."""
from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.test import Client

AXE = Path(settings.NODE_MODULES_DIR) / "axe-core" / "axe.min.js"
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
FAILING = ("critical", "serious")
LOCAL = re.compile(r"^(https?://(127\.0\.0\.1|localhost)[:/]|data:|blob:|about:)")


def axe_violations(page) -> list[dict]:
    """axe-core's critical and serious violations of the page as it is now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [violation for violation in result["violations"] if violation["impact"] in FAILING]


def describe(violation) -> str:
    nodes = "; ".join(" ".join(node["target"]) + " " + node["html"][:120] for node in violation["nodes"][:3])
    return f'{violation["id"]} ({violation["impact"]}, {len(violation["nodes"])}×): {nodes}'


def session_cookie(user, origin: str) -> list[dict]:
    client = Client()
    client.force_login(user)
    return [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
             "url": origin}]


def axe_walk(browser_context, origin: str, pages, world: dict) -> tuple[list[str], list[str]]:
    """Walk ``pages`` (pages.Page) with paths filled from ``world`` and users from ``world["users"]``;
    returns (violations, external requests), each a readable line."""
    assert AXE.is_file(), "axe-core is missing from node_modules: run npm ci"
    found, external = [], []
    by_user: dict = {}
    for spec in pages:
        by_user.setdefault(spec.user, []).append(spec)
    for user, specs in by_user.items():
        cookies = session_cookie(world["users"][user], origin) if user else []
        for size, viewport in SIZES.items():
            context = browser_context(viewport=viewport)
            context.add_cookies(cookies)
            context.route(lambda url: not LOCAL.match(url),
                          lambda route: (external.append(route.request.url), route.abort()))
            page = context.new_page()
            for spec in specs:
                path = spec.path.format(**world)
                response = page.goto(origin + path)
                assert response.status == 200, f"{path} as {user or 'a visitor'}: {response.status}"
                if spec.ready:
                    page.wait_for_selector(spec.ready)
                page.wait_for_load_state("load")
                found += [f"{path} as {user or 'a visitor'} ({size}): {describe(violation)}"
                          for violation in axe_violations(page)]
            context.close()
    return found, external
