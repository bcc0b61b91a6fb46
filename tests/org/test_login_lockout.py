"""Login lockout (django-axes): wrong passwords for a username from one address lock that pair on
the login page, the admin's login and the API token login alike; cool-off and admin unlock."""
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.db.models import F

from jingzhi.org.models import Role

pytestmark = pytest.mark.django_db

PASSWORD = "pw-test-123"


@pytest.fixture
def leader(make_user):
    return make_user(Role.LEADER, username="leader-lock")


def sign_in(client, username, password, url="/login/", **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def test_twenty_wrong_passwords_lock_the_login_page_and_the_right_one_then_fails(client, leader):
    answers = [sign_in(client, "leader-lock", "wrong").status_code for _ in range(20)]
    assert answers == [200] * 4 + [429] * 16  # the fifth failure locks
    response = sign_in(client, "leader-lock", PASSWORD)
    assert response.status_code == 429 and response["Retry-After"] == "1800"
    html = response.content.decode()
    assert "账户已锁定" in html and "30 分钟后再试" in html
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_the_admin_login_and_the_token_login_are_locked_too(client, leader, make_user):
    for _ in range(5):
        sign_in(client, "leader-lock", "wrong", url="/admin/login/")
    assert sign_in(client, "leader-lock", PASSWORD, url="/admin/login/").status_code == 429
    assert sign_in(client, "leader-lock", PASSWORD).status_code == 429
    assert sign_in(client, "leader-lock", PASSWORD, url="/api/org/token/").status_code == 429


def test_other_users_and_the_same_user_elsewhere_are_not_locked(client, leader, make_user):
    make_user(Role.LEADER, username="leader-other")
    for _ in range(6):
        sign_in(client, "leader-lock", "wrong")
    assert sign_in(client, "leader-other", PASSWORD).status_code == 302
    # The lock is per username and client address: a stranger cannot lock the user out everywhere.
    assert sign_in(client, "leader-lock", PASSWORD, REMOTE_ADDR="10.1.2.3").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, leader):
    for _ in range(5):
        sign_in(client, "leader-lock", "wrong")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=29))
    assert sign_in(client, "leader-lock", PASSWORD).status_code == 429  # and the cool-off starts again
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=31))
    assert sign_in(client, "leader-lock", PASSWORD).status_code == 302


def test_an_administrator_unlocks_with_the_command(client, leader):
    for _ in range(5):
        sign_in(client, "leader-lock", "wrong")
    call_command("axes_reset_username", "leader-lock", stdout=open("/dev/null", "w"))
    assert sign_in(client, "leader-lock", PASSWORD).status_code == 302


def test_an_administrator_unlocks_in_the_admin(client, admin_client, leader):
    for _ in range(5):
        sign_in(client, "leader-lock", "wrong")
    attempt = AccessAttempt.objects.get(username="leader-lock")
    assert "leader-lock" in admin_client.get("/admin/axes/accessattempt/").content.decode()
    response = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not AccessAttempt.objects.exists()
    assert sign_in(client, "leader-lock", PASSWORD).status_code == 302
