"""大字模式 (适老化): the header's switch is remembered in a cookie that the server reads, so the larger,
higher-contrast page is drawn from the first paint; without JavaScript the switch posts to /display/."""
import pytest
from django.test import Client

from jingzhi.org.models import Role

pytestmark = pytest.mark.django_db


def test_the_switch_is_in_every_header_and_off_by_default(client):
    page = client.get("/login/").content.decode()
    assert '<html lang="zh-hans">' in page
    assert 'action="/display/"' in page and 'aria-pressed="false"' in page


def test_the_switch_remembers_the_mode_and_goes_back(client):
    answer = client.post("/display/", {"next": "/p/track/"})
    assert answer.status_code == 302 and answer["Location"] == "/p/track/"
    cookie = answer.cookies["jz_text"]
    assert cookie.value == "large" and cookie["max-age"] == 365 * 24 * 3600 and cookie["samesite"] == "Lax"
    page = client.get("/p/track/").content.decode()
    assert '<html lang="zh-hans" class="large-text">' in page and 'aria-pressed="true"' in page
    # Pressed again: the mode is off and forgotten.
    answer = client.post("/display/", {"next": "/p/track/"})
    assert answer.cookies["jz_text"].value == "" and answer.cookies["jz_text"]["max-age"] == 0
    assert 'class="large-text"' not in client.get("/p/track/").content.decode()


def test_a_staff_page_is_drawn_large_from_the_cookie(client, make_user):
    client.force_login(make_user(Role.DISPATCHER))
    client.cookies["jz_text"] = "large"
    assert '<html lang="zh-hans" class="large-text">' in client.get("/").content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", ""])
def test_the_switch_never_sends_the_user_off_the_site(client, target):
    answer = client.post("/display/", {"next": target})
    assert answer["Location"] == "/"


def test_the_switch_takes_only_a_post_with_its_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    assert strict.get("/display/").status_code == 405
    assert strict.post("/display/", {"next": "/"}).status_code == 403
