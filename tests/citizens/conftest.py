"""Fixtures for the citizens' tests: the case fixtures (geography, staff, cases, a frozen clock) and
every text going through the test SMS gateway (``sms_gateway`` in tests/conftest.py)."""
import pytest
from rest_framework.test import APIClient

from tests.cases.conftest import (  # noqa: F401  (fixtures, re-exported)
    _fast_password_hashing,
    category,
    clock,
    geography,
    make_case,
    make_category,
    staff,
)


@pytest.fixture(autouse=True)
def sms(settings, sms_gateway):
    """Texts leave through the gateway backend to the test gateway; returns the gateway."""
    settings.SMS_BACKEND = "jingzhi.core.sms.GatewayBackend"
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN = sms_gateway.url, "t0ken"
    return sms_gateway


@pytest.fixture
def anon():
    """An anonymous API client from one address; ``anon(ip)`` for another."""
    def make(ip="203.0.113.7"):
        return APIClient(REMOTE_ADDR=ip)
    return make


@pytest.fixture
def sign_in(anon, sms):
    """Sign a phone in through the API (code by SMS, code for a token), ``typed`` as the citizen types it;
    returns the API token."""
    def run(phone, *, typed=None, client=None):
        client, typed = client or anon(), typed or phone
        assert client.post("/api/citizens/code/", {"phone": typed}, format="json").status_code == 202
        response = client.post("/api/citizens/token/", {"phone": typed, "code": sms.code(phone)}, format="json")
        assert response.status_code == 200, response.content
        return response.json()["token"]
    return run
