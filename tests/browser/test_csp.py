"""Real browser: the shell, the admin and the API documentation run under the Content-Security-Policy
without a violation (``browse_as`` fails the test on any; see tests/conftest.py)."""
import pytest

from jingzhi.org.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_shell_admin_and_api_docs_obey_the_policy(browse_as, browser_context, make_user):
    # Redoc shows the Redocly logo from a CDN and hides it when it fails to load: the policy blocks it.
    browser_context.blocked_on_purpose.append("https://cdn.redoc.ly/")
    admin = make_user(Role.PLATFORM_ADMIN, username="admin-csp", is_superuser=True)
    browse_as(admin, {
        "/": None,
        "/api/docs/": "#swagger-ui .opblock",
        "/api/redoc/": "redoc .api-content h2",
        "/admin/": None,
        "/admin/org/user/": None,
        f"/admin/org/user/{admin.pk}/change/": None,
    })
