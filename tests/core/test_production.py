"""Production settings are safe by default: `check --deploy` is clean, every page carries the
Content-Security-Policy, nothing personal is cached, and errors show no traceback."""
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import include, path
from rest_framework.authtoken.models import Token

from jingzhi.org.models import Role
from jingzhi.settings import _origin

pytestmark = pytest.mark.django_db

PROJECT_DIR = settings.PROJECT_DIR


def production_env(tmp_path, **overrides) -> dict:
    """The environment of a production host, and nothing from the developer's shell."""
    return {
        "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8",
        "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "jingzhi.example.gov.cn",
        "DATABASE_URL": "postgres://jingzhi@db.example.gov.cn:5432/jingzhi", "REDIS_URL": "redis://127.0.0.1:6379/0",
        "MAP_TILE_URL": "https://{s}.tiles.example.gov.cn/{z}/{x}/{y}.png", "JINGZHI_VAR_DIR": str(tmp_path / "var"),
        **overrides,
    }


def directives(response) -> dict[str, list[str]]:
    """The response's Content-Security-Policy as {directive: sources} (django-csp orders them freely)."""
    return {name: sources for name, *sources in
            (part.split() for part in response["Content-Security-Policy"].split(";"))}


def manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=env,
                          capture_output=True, text=True, timeout=60)


def test_check_deploy_passes_with_production_variables(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_plain_http_is_an_explicit_choice_that_check_deploy_reports(tmp_path):
    """HTTPS=0 (the embedded demo on http://127.0.0.1) gives up exactly the HTTPS-only settings."""
    result = manage("check", "--deploy", env=production_env(tmp_path, HTTPS="0"))
    reported = sorted({word.strip("():") for word in result.stderr.split() if word.startswith("(security.")})
    assert reported == ["security.W004", "security.W008", "security.W012", "security.W016"], result.stderr


def test_the_policy_names_the_tile_server():
    assert _origin("https://{s}.tiles.example.gov.cn/{z}/{x}/{y}.png") == ["https://*.tiles.example.gov.cn"]
    assert _origin("http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png") == ["http://10.1.2.3:8080"]
    assert _origin("/tiles/{z}/{x}/{y}.png") == [] and _origin("") == []


@pytest.fixture
def office(client, make_user):
    user = make_user(Role.PLAN_OFFICE)
    client.force_login(user)
    return user


@pytest.mark.parametrize("url", ["/", "/cases/search/", "/geo/"])
def test_pages_carry_the_policy_and_are_never_stored(client, office, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == policy["style-src"] == policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == policy["object-src"] == ["'none'"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_api_answers_are_never_stored(office):
    api = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=office).key}")
    for url in ("/api/org/me/", "/api/plans/tasks/", "/api/cases/cases/", "/api/schema/"):
        response = api.get(url)
        assert response.status_code == 200 and "no-store" in response["Cache-Control"], url
    refused = Client().get("/api/cases/cases/")
    assert refused.status_code in (401, 403) and "no-store" in refused["Cache-Control"]


def test_the_login_page_and_static_files(client):
    login = client.get("/login/")
    assert "no-store" in login["Cache-Control"] and directives(login)["script-src"] == ["'self'"]
    static = client.get("/static/core/jingzhi.css")  # WhiteNoise, ahead of the no-store rule
    assert static.status_code == 200 and "no-store" not in static.get("Cache-Control", "")
    assert "Content-Security-Policy" not in static


def test_the_api_docs_relax_the_policy_for_themselves_only(client, office):
    swagger = directives(client.get("/api/docs/"))
    assert swagger["img-src"] == ["'self'", "data:"] and swagger["script-src"] == swagger["style-src"] == ["'self'"]
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    redoc = directives(client.get("/api/redoc/"))
    assert redoc["style-src"] == ["'self'", "'unsafe-inline'"] and redoc["script-src"] == ["'self'"]


def boom(request):
    raise RuntimeError("secret detail of a failure")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [path("boom/", boom), path("forbidden/", forbidden), path("", include("jingzhi.urls"))]


@pytest.mark.urls(__name__)
def test_a_server_error_shows_a_chinese_page_without_traceback():
    response = Client(raise_request_exception=False).get("/boom/")
    text = response.content.decode()
    assert response.status_code == 500 and "服务器出错" in text
    assert "secret detail" not in text and "Traceback" not in text and "SECRET_KEY" not in text
    assert "no-store" in response["Cache-Control"] and response["Content-Security-Policy"]


@pytest.mark.urls(__name__)
def test_forbidden_shows_a_chinese_page(client):
    response = client.get("/forbidden/")
    assert response.status_code == 403 and "无权访问" in response.content.decode()


def test_a_missing_page_shows_a_chinese_page(client, office):
    response = client.get("/no/such/page/")
    text = response.content.decode()
    assert response.status_code == 404 and "页面不存在" in text and "返回工作台" in text
    assert "Traceback" not in text and "URLconf" not in text
