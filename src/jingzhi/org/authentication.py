"""API token authentication that also reads the user's roles, in one query; tokens expire.

Every API request needs the caller's roles (scoping, the workflow table), so DRF's
``TokenAuthentication`` query (token + user) and ``user_roles``' query (the role grants) always
ran back to back. Joining the grants into the token query saves a database round trip on every
token-authenticated request. What it accepts and refuses is DRF's, plus the expiry: a token is
refused ``API_TOKEN_TTL_HOURS`` after it was issued (the issue time comes with the same row).
"""
from __future__ import annotations

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.throttling import BaseThrottle

from .selectors import token_expires_at, user_roles_cache


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        # One row per role grant (one row with role None when there is none).
        rows = list(self.get_model().objects.select_related("user").filter(key=key)
                    .annotate(granted_role=F("user__role_grants__role")))
        if not rows:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = rows[0]
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token_expires_at(token=token) <= timezone.now():
            raise exceptions.AuthenticationFailed(_("认证令牌已过期，请重新登录。"))
        user_roles_cache(user=token.user, granted={row.granted_role for row in rows if row.granted_role})
        return (token.user, token)


def client_ip(request) -> str:
    """The client's address as the API throttles see it (``REMOTE_ADDR``, or ``X-Forwarded-For``
    behind ``NUM_PROXIES`` proxies), so that login lockout records and throttles name the same client."""
    return BaseThrottle().get_ident(request)
