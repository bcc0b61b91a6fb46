"""Client apps' keys: issued by the command and the admin, shown once, stored as a digest, revoked."""
import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jingzhi.open311.models import ClientApp
from jingzhi.open311.selectors import client_app_for_key
from jingzhi.org.selectors import user_roles

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("open311_key", *args, stdout=out)
    return out.getvalue().strip()


def test_the_command_creates_rotates_and_revokes_a_key():
    key = run("create", "市民城管通")
    app = ClientApp.objects.get(name="市民城管通")
    assert key.startswith("o311_") and len(key) > 40
    assert key not in str(ClientApp.objects.values().get())  # only the digest is kept
    assert app.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert client_app_for_key(key) == app
    assert user_roles(user=app.user) == {"citizen"}
    assert app.user.display_name == "" and app.user.phone == ""  # no name to leak onto its cases
    with pytest.raises(CommandError):
        run("create", "市民城管通")
    new_key = run("rotate", "市民城管通")
    assert client_app_for_key(key) is None and client_app_for_key(new_key) == app
    run("revoke", "市民城管通")
    assert client_app_for_key(new_key) is None
    with pytest.raises(CommandError):
        run("revoke", "没有这个应用")


def test_a_key_of_the_right_shape_but_unknown_is_refused():
    key = run("create", "甲")
    assert client_app_for_key(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
    assert client_app_for_key("") is None and client_app_for_key("o311_" + "x" * 200) is None


def test_the_admin_issues_a_key_once_and_revokes(admin_client):
    response = admin_client.post("/admin/open311/clientapp/add/", {"name": "合作方系统", "contact": "李工"},
                                 follow=True)
    assert response.status_code == 200
    [message] = [str(m) for m in response.context["messages"] if "o311_" in str(m)]
    key = message.rsplit("：", 1)[1]
    app = ClientApp.objects.get(name="合作方系统")
    assert client_app_for_key(key) == app
    response = admin_client.post("/admin/open311/clientapp/", {"action": "revoke", "_selected_action": [app.pk]},
                                 follow=True)
    assert response.status_code == 200
    assert client_app_for_key(key) is None
    response = admin_client.post("/admin/open311/clientapp/", {"action": "rotate", "_selected_action": [app.pk]},
                                 follow=True)
    [message] = [str(m) for m in response.context["messages"] if "o311_" in str(m)]
    new_key = message.rsplit("：", 1)[1]
    assert client_app_for_key(new_key) == app


def test_the_demo_prints_a_working_key_on_every_run():
    from jingzhi.open311.demo import load_demo
    first, second = io.StringIO(), io.StringIO()
    load_demo(stdout=first)
    load_demo(stdout=second)
    old, new = (out.getvalue().split()[-1] for out in (first, second))
    assert client_app_for_key(old) is None and client_app_for_key(new).name == "演示客户端"
