"""Token sign-in and sign-out for API clients (phone apps): issue, use, expiry, revocation, and the
same lockout as the login page."""
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from jingzhi.org.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspector(make_user):
    return make_user(Role.INSPECTOR, username="inspector-app")


def token_login(username="inspector-app", password="pw-test-123"):
    # CSRF is enforced as a browser would face it: the token login needs none (it has no session).
    return APIClient(enforce_csrf_checks=True).post("/api/org/token/", {"username": username, "password": password},
                                                    format="json")


def with_token(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_an_app_signs_in_and_uses_its_token(inspector):
    before = timezone.now()
    response = token_login()
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires_at"}
    expires = parse_datetime(body["expires_at"])
    assert before + timedelta(hours=168) <= expires <= timezone.now() + timedelta(hours=168)
    me = with_token(body["token"]).get("/api/org/me/")
    assert me.status_code == 200 and me.json()["roles"] == [Role.INSPECTOR]
    assert User.objects.get(pk=inspector.pk).last_login is not None


def test_signing_in_again_ends_the_previous_token(inspector):
    first = token_login().json()["token"]
    second = token_login().json()["token"]
    assert first != second
    assert with_token(first).get("/api/org/me/").status_code == 401
    assert with_token(second).get("/api/org/me/").status_code == 200


def test_an_expired_token_is_refused(inspector, settings):
    key = token_login().json()["token"]
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(hours=168, seconds=1))
    response = with_token(key).get("/api/org/me/")
    assert response.status_code == 401 and response.json() == {"detail": "认证令牌已过期，请重新登录。"}
    settings.API_TOKEN_TTL_HOURS = 200
    assert with_token(key).get("/api/org/me/").status_code == 200


def test_sign_out_revokes_the_token(inspector):
    client = with_token(token_login().json()["token"])
    assert client.post("/api/org/token/logout/").status_code == 204
    assert client.get("/api/org/me/").status_code == 401
    assert not Token.objects.exists()


def test_wrong_passwords_are_refused_counted_and_lock_like_the_login_page(inspector, client):
    wrong = token_login(password="wrong")
    assert wrong.status_code == 400 and not Token.objects.exists()
    assert wrong.json() == {"non_field_errors": ["无法使用提供的认证信息登录。"]}
    assert token_login(username="nobody").status_code == 400
    answers = [token_login(password="wrong").status_code for _ in range(19)]
    assert answers == [400] * 3 + [429] * 16  # the fifth failure locks
    locked = token_login()
    assert locked.status_code == 429 and locked["Retry-After"] == "1800" and not Token.objects.exists()
    assert "锁定" in locked.json()["detail"]
    # The page login shares the count.
    assert client.post("/login/", {"username": "inspector-app", "password": "pw-test-123"}).status_code == 429


def test_missing_fields_are_field_errors(inspector):
    response = token_login(password="")
    assert response.status_code == 400 and "password" in response.json()


def test_the_token_endpoints_are_in_the_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    login = schema["paths"]["/api/org/token/"]["post"]
    assert set(login["responses"]) >= {"200", "400", "429"}
    assert "security" not in login  # no credentials needed to sign in
    assert schema["paths"]["/api/org/token/logout/"]["post"]["security"][0] == {"tokenAuth": []}
