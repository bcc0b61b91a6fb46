"""Password change by every signed-in user, and an administrator's reset; both end the user's API
token, and the administrator's reset also lifts a login lockout."""
import pytest
from axes.models import AccessAttempt
from rest_framework.authtoken.models import Token

from jingzhi.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def handler(make_user):
    return make_user(Role.HANDLER, username="handler-pw")


def test_every_signed_in_user_changes_their_password(client, handler):
    Token.objects.create(user=handler)
    client.force_login(handler)
    home = client.get("/").content.decode()
    assert 'href="/password/"' in home and "修改密码" in home
    assert "旧密码" in client.get("/password/").content.decode()
    refused = client.post("/password/", {"old_password": "wrong", "new_password1": "Xin-mima-2024",
                                         "new_password2": "Xin-mima-2024"})
    assert refused.status_code == 200 and "旧密码不正确" in refused.content.decode()
    handler.refresh_from_db()
    assert handler.check_password("pw-test-123") and Token.objects.exists()
    response = client.post("/password/", {"old_password": "pw-test-123", "new_password1": "Xin-mima-2024",
                                          "new_password2": "Xin-mima-2024"})
    assert response.status_code == 302 and response["Location"] == "/password/done/"
    assert "密码已修改" in client.get("/password/done/").content.decode()
    handler.refresh_from_db()
    assert handler.check_password("Xin-mima-2024")
    assert client.get("/").status_code == 200  # this session stays signed in
    assert not Token.objects.filter(user=handler).exists()  # the phone app must sign in again


def test_the_change_page_needs_a_signed_in_user(client):
    response = client.get("/password/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_an_administrator_resets_a_password_in_the_admin_and_unlocks(admin_client, client, handler):
    Token.objects.create(user=handler)
    for _ in range(5):
        client.post("/login/", {"username": "handler-pw", "password": "wrong"})
    assert AccessAttempt.objects.filter(username="handler-pw").exists()
    form = admin_client.get(f"/admin/org/user/{handler.pk}/password/")
    assert form.status_code == 200
    response = admin_client.post(f"/admin/org/user/{handler.pk}/password/",
                                 {"password1": "Chongzhi-2024", "password2": "Chongzhi-2024"})
    assert response.status_code == 302
    handler.refresh_from_db()
    assert handler.check_password("Chongzhi-2024")
    assert not Token.objects.filter(user=handler).exists()
    assert not AccessAttempt.objects.filter(username="handler-pw").exists()
    assert client.post("/login/", {"username": "handler-pw", "password": "Chongzhi-2024"}).status_code == 302
