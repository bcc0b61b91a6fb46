"""API token authentication: DRF's rules, with the caller's roles read in the same query."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from jingzhi.org.models import Role, RoleGrant

pytestmark = pytest.mark.django_db


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_authenticates_its_user_with_all_their_roles_in_one_query(make_user):
    user = make_user(Role.DISPATCHER, display_name="派遣员小赵")
    RoleGrant.objects.create(user=user, role=Role.SHIFT_CHIEF)
    token = Token.objects.create(user=user)
    with CaptureQueriesContext(connection) as captured:
        response = _client(token.key).get("/api/org/me/")
    assert response.status_code == 200
    assert response.json()["username"] == user.username
    assert response.json()["roles"] == [Role.DISPATCHER, Role.SHIFT_CHIEF]
    assert len(captured.captured_queries) == 1


@pytest.mark.parametrize("superuser, roles", [(False, []), (True, [Role.PLATFORM_ADMIN])])
def test_users_without_grants_have_no_role_unless_superusers(make_user, superuser, roles):
    token = Token.objects.create(user=make_user(is_superuser=superuser))
    response = _client(token.key).get("/api/org/me/")
    assert response.status_code == 200 and response.json()["roles"] == roles


def test_unknown_tokens_and_inactive_users_are_refused(make_user):
    user = make_user(Role.INTAKE_OPERATOR)
    token = Token.objects.create(user=user)
    # 401 with the challenge: token authentication comes first and names its scheme.
    response = _client("0" * 40).get("/api/org/me/")
    assert response.status_code == 401 and response.json() == {"detail": "认证令牌无效。"}
    assert response["WWW-Authenticate"] == "Token"
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = _client(token.key).get("/api/org/me/")
    assert response.status_code == 401 and response.json() == {"detail": "用户未激活或者已删除。"}


def test_a_revoked_token_stops_working_at_once(make_user):
    token = Token.objects.create(user=make_user(Role.INTAKE_OPERATOR))
    client = _client(token.key)
    assert client.get("/api/org/me/").status_code == 200
    token.delete()
    assert client.get("/api/org/me/").status_code == 401
