"""Fixtures shared by every app's tests: units, users with roles, API clients."""
import itertools
from pathlib import Path

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from jingzhi.org.models import Unit, UnitKind
from jingzhi.org.services import user_create

PROJECT_DIR = Path(__file__).resolve().parent.parent
SHARED_DIR = PROJECT_DIR.parent / "shared"
_counter = itertools.count()


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


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


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
