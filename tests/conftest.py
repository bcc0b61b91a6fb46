"""Fixtures shared by every app's tests: units, users with roles, API clients."""
import http.server
import itertools
import json
import re
import threading
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from PIL import ImageFile
from rest_framework.test import APIClient

from jingzhi.org.models import Unit, UnitKind
from jingzhi.org.services import user_create

PROJECT_DIR = Path(__file__).resolve().parent.parent
SHARED_DIR = PROJECT_DIR.parent / "shared"
_counter = itertools.count()


@pytest.fixture(scope="session", autouse=True)
def _test_servers_speak_plain_http():
    """The test client and live server speak plain http, as the embedded demo does (HTTPS=0), and
    find static files in the source tree as with DEBUG, so no `collectstatic` is needed
    (docs/production.md)."""
    with override_settings(
        SECURE_SSL_REDIRECT=False, SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False,
        LANGUAGE_COOKIE_SECURE=False, SECURE_HSTS_SECONDS=0,
        STATIC_ROOT=None, WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True,
        STORAGES={**django_settings.STORAGES,
                  "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
    ):
        yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """API throttle counts live in the cache; user ids and the test client's address repeat from
    test to test, so each test starts with none."""
    cache.clear()


@pytest.fixture
def shared_dir():
    """../shared/ from the project root; tests needing it skip with a reason when absent."""
    if not SHARED_DIR.is_dir():
        pytest.skip("../shared/ is not present next to the project (shared data files unavailable)")
    return SHARED_DIR


@pytest.fixture
def make_unit(db):
    def make(name=None, kind=UnitKind.CITY_BUREAU, parent=None, code=""):
        return Unit.objects.create(
            name=name or f"测试单位{next(_counter)}", kind=kind, parent=parent, code=code,
        )
    return make


@pytest.fixture
def make_user(db):
    def make(*roles, unit=None, username=None, **extra):
        return user_create(
            username=username or f"user{next(_counter)}", password="pw-test-123",
            unit=unit, roles=tuple(roles), **extra,
        )
    return make


@pytest.fixture
def api_client_for():
    """An API client authenticated as the given user."""
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client
    return make


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright; never a downloaded browser.

    Skips when chromium is absent on a developer machine, but fails under CI
    (``CI=true``), where ``bin/test`` installs it.
    """
    import os

    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing under CI")
        pytest.skip("Debian chromium (/usr/bin/chromium) is not installed")
    # Playwright's sync API runs an event loop; the ORM calls in fixtures are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield instance
        instance.close()


# Reports each Content-Security-Policy violation of a page to the test (window.jingzhiCspViolation).
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", function (event) {
  window.jingzhiCspViolation(event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
    " at " + event.sourceFile + ":" + event.lineNumber + " on " + document.location.pathname);
});"""


@pytest.fixture
def browser_context(browser):
    """Opens browser contexts (``browser_context(viewport=…)``) whose pages must obey the
    Content-Security-Policy: every violation, seen as a ``securitypolicyviolation`` event or as
    chromium's console error, fails the test when it ends, unless it blocks a URL the test
    lists in ``browser_context.blocked_on_purpose``."""
    contexts, violations = [], []

    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            violations.append(message.text)

    def new_context(**options):
        context = browser.new_context(**{"locale": "zh-CN", **options})
        context.expose_function("jingzhiCspViolation", lambda text: violations.append(text))
        context.add_init_script(CSP_LISTENER)
        context.on("console", on_console)
        contexts.append(context)
        return context

    new_context.blocked_on_purpose = []
    yield new_context
    for context in contexts:
        context.close()
    unexpected = [text for text in violations if not any(url in text for url in new_context.blocked_on_purpose)]
    assert unexpected == [], "Content-Security-Policy violations:\n" + "\n".join(unexpected)


@pytest.fixture
def page(browser_context):
    return browser_context().new_page()


@pytest.fixture
def browser_login(live_server, page):
    """Sign ``user`` in through the real login form; returns the page."""
    def login(user, password="pw-test-123"):
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page
    return login


@pytest.fixture
def browse_as(browser_context, live_server):
    """Sign ``user`` in within a fresh context and open each page of ``pages`` ({path: selector
    that shows its script ran, or None}): each answers 200 under the Content-Security-Policy.
    Returns the last page; ``browser_context`` fails the test on any policy violation."""
    def browse(user, pages: dict, password="pw-test-123"):
        page = browser_context().new_page()
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        for path, ready in pages.items():
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            assert "script-src 'self'" in response.headers["content-security-policy"], path
            if ready:
                page.wait_for_selector(ready)
            page.wait_for_load_state("load")
        return page
    return browse


@pytest.fixture
def decoding_depths(monkeypatch):
    """The transaction depth at every image decode, relative to the test's own (pytest-django's)."""
    depths, load = [], ImageFile.ImageFile.load
    baseline = len(connection.atomic_blocks)

    def recorded(image):
        depths.append(len(connection.atomic_blocks) - baseline)
        return load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", recorded)
    return depths


@pytest.fixture
def sms_gateway():
    """A real HTTP server on 127.0.0.1 standing in for the SMS platform (``core.sms.GatewayBackend``);
    records what it is sent as ``received`` [(Authorization, {"phone", "text"})]; ``status`` sets its
    answer; ``code(phone)`` reads the last 6-digit code texted to ``phone``."""

    class Gateway(http.server.BaseHTTPRequestHandler):
        received: list = []
        status = 200

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            Gateway.received.append((self.headers["Authorization"], json.loads(body)))
            self.send_response(Gateway.status)
            self.end_headers()

        def log_message(self, *args):
            pass

        @classmethod
        def code(cls, phone: str) -> str:
            texts = [body["text"] for _authorization, body in cls.received if body["phone"] == phone]
            assert texts, f"no text was sent to {phone}"
            return re.search(r"\d{6}", texts[-1]).group()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Gateway.url = f"http://127.0.0.1:{server.server_address[1]}/send"
    yield Gateway
    server.shutdown()
