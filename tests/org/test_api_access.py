"""Who may call the API and how often: 401 with a challenge, session writes need CSRF, throttles
per user and per anonymous address answer 429 with Retry-After."""
import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from jingzhi.org.models import Role

pytestmark = pytest.mark.django_db


def test_calls_without_credentials_get_401_with_a_challenge_and_pages_redirect(client):
    response = client.get("/api/org/units/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    page = client.get("/plans/")
    assert page.status_code == 302 and page["Location"].startswith("/login/")


def test_session_writes_still_need_the_csrf_token(make_user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(make_user(Role.INSPECTOR))
    response = client.post("/api/org/token/logout/")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


@pytest.fixture
def low_rates(monkeypatch):
    """DRF reads the rates once, at import: patch the table the throttles read."""
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "3/minute")
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "2/minute")


def test_a_user_over_the_rate_gets_429_with_retry_after(low_rates, make_user, api_client_for):
    client = api_client_for(make_user(Role.LEADER))
    assert [client.get("/api/org/me/").status_code for _ in range(3)] == [200] * 3
    response = client.get("/api/org/me/")
    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 60
    assert api_client_for(make_user(Role.LEADER)).get("/api/org/me/").status_code == 200  # per user


def test_an_anonymous_address_over_the_rate_gets_429(low_rates, make_user):
    make_user(Role.INSPECTOR, username="app-user")
    client = APIClient()
    answers = [client.post("/api/org/token/", {"username": "app-user", "password": "wrong"}).status_code
               for _ in range(3)]
    assert answers == [400, 400, 429]
    other = APIClient(REMOTE_ADDR="10.9.8.7")
    assert other.post("/api/org/token/", {"username": "app-user", "password": "pw-test-123"}).status_code == 200
