"""/favicon.ico answers (browsers ask for it on their own) and every page names the icon."""
import pytest

from jingzhi.org.models import Role

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/core/favicon.ico"
    assert response["Cache-Control"] == "public, max-age=86400"
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and icon["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # the ICO header


@pytest.mark.parametrize("path", ["/login/", "/p/report/"])
def test_pages_name_the_icon(client, path):
    assert '<link rel="icon" href="/static/core/favicon.ico">' in client.get(path).content.decode()


def test_signed_in_pages_name_the_icon_too(client, make_user):
    client.force_login(make_user(Role.LEADER))
    assert '<link rel="icon" href="/static/core/favicon.ico">' in client.get("/").content.decode()
