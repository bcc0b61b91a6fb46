"""API token authentication that also reads the user's roles, in one query.

Every API request needs the caller's roles (scoping, the workflow table), so DRF's
``TokenAuthentication`` query (token + user) and ``user_roles``' query (the role grants) always
ran back to back. Joining the grants into the token query saves a database round trip on every
token-authenticated request; what it accepts and refuses is DRF's, unchanged.
"""
from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .selectors import user_roles_cache


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
        user_roles_cache(token.user, {row.granted_role for row in rows if row.granted_role})
        return (token.user, token)
