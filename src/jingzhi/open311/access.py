"""Who may call: API keys (only ``POST requests`` needs one) and the rate limits per key and per IP.

The key comes as the ``api_key`` form field, as the specification says (a query parameter is
accepted too: some clients send it so). A missing or unknown key is refused with 403, never 401:
the specification names 403 and a key is no login, so no ``WWW-Authenticate`` challenge is sent.
Rates are ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["open311_key"]`` and ``["open311_ip"]``.
"""
from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated
from rest_framework.permissions import BasePermission
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ClientApp
from .selectors import client_app_for_key


class ApiKeyAuthentication(BaseAuthentication):
    """``request.user`` is the app's citizen account and ``request.auth`` the app."""

    def authenticate(self, request):
        key = request.data.get("api_key") or request.query_params.get("api_key") or ""
        if not key:
            return None
        app = client_app_for_key(str(key))
        if app is None:
            raise AuthenticationFailed(_("api_key 无效或已吊销。"))
        return app.user, app


class HasApiKey(BasePermission):
    def has_permission(self, request, view):
        if not isinstance(request.auth, ClientApp):
            raise NotAuthenticated(_("提交请求须提供 api_key。"))
        return True


class _Throttle(SimpleRateThrottle):
    def get_rate(self):
        """The rate as the settings say now (DRF reads its class attribute once, at import)."""
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class ClientAppThrottle(_Throttle):
    """Requests per client app (``POST requests``)."""

    scope = "open311_key"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ClientApp):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class ClientIpThrottle(_Throttle):
    """Requests per client IP address (every endpoint)."""

    scope = "open311_ip"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
