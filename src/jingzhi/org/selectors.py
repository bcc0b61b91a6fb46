"""Read-side rules of `org`: who holds which role and which units a user may see.

Every app scopes its queries through these functions so the rule
"a unit sees only what concerns it" is written once. Like every selector, they take their
arguments by keyword (``user=``), so a call reads the same in every app.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from rest_framework.authtoken.models import Token

from .models import Role, Unit, User

#: Every role but the citizen's: who may use the staff pages and the unit directory.
STAFF_ROLES = frozenset(Role.values) - {Role.CITIZEN}

#: Roles that may read everything (but not necessarily write).
GLOBAL_READ_ROLES = frozenset({Role.PLATFORM_ADMIN, Role.PLAN_OFFICE, Role.LEADER})


def user_roles(*, user: User) -> frozenset[str]:
    """The user's roles, cached on the instance for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_jingzhi_roles", None)
    if cached is None:
        cached = user_roles_cache(user=user, granted=user.role_grants.values_list("role", flat=True))
    return cached


def user_roles_cache(*, user: User, granted: Iterable[str]) -> frozenset[str]:
    """Cache the roles granted to ``user`` (already read by the caller) on the instance for the
    request; a superuser is also a platform admin."""
    roles = frozenset(granted)
    if user.is_superuser:
        roles = roles | {Role.PLATFORM_ADMIN}
    user._jingzhi_roles = roles
    return roles


def user_has_role(*, user: User, roles: Iterable[str]) -> bool:
    """Whether ``user`` holds any of ``roles``."""
    return bool(user_roles(user=user) & set(roles))


def user_reads_everything(*, user: User) -> bool:
    return user_has_role(user=user, roles=GLOBAL_READ_ROLES)


def unit_subtree_ids(*, unit: Unit | None) -> set[int]:
    """The unit and all its descendants (district → sub-districts → communities)."""
    if unit is None:
        return set()
    ids = {unit.pk}
    frontier = [unit.pk]
    while frontier:
        frontier = list(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.update(frontier)
    return ids


def user_unit_ids(*, user: User) -> frozenset[int]:
    """The user's unit and the units below it, cached on the instance for the request (like
    ``user_roles``): a page checks it once per notice or case, and each computation costs one
    query per level of the unit tree."""
    cached = getattr(user, "_jingzhi_unit_ids", None)
    if cached is None:
        cached = frozenset(unit_subtree_ids(unit=user.unit) if user.unit_id else ())
        user._jingzhi_unit_ids = cached
    return cached


def token_expires_at(*, token: Token) -> datetime:
    """When an API token stops working: ``API_TOKEN_TTL_HOURS`` after it was issued."""
    return token.created + timedelta(hours=settings.API_TOKEN_TTL_HOURS)
