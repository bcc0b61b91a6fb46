"""Write-side rules of `org`: loading units, creating people, their API tokens."""
from __future__ import annotations

from pathlib import Path

import yaml
from axes.utils import reset as axes_reset
from django.db import transaction
from rest_framework.authtoken.models import Token

from .models import RoleGrant, Unit, User


@transaction.atomic
def units_load(*, path: Path) -> dict[str, int]:
    """Create or update the units listed in a YAML file; idempotent.

    Returns counts of ``created`` and ``updated`` units so callers can report
    that a re-run changed nothing.
    """
    document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    entries = document["units"]
    created = updated = 0
    created_names = set()
    units = {}
    for entry in entries:
        fields = {
            "full_name": entry.get("full_name") or "",
            "kind": entry["kind"],
            "code": str(entry.get("adcode") or entry.get("code") or ""),
        }
        unit, was_created = Unit.objects.get_or_create(name=entry["name"], defaults=fields)
        units[unit.name] = unit
        if was_created:
            created += 1
            created_names.add(unit.name)
        elif any(getattr(unit, key) != value for key, value in fields.items()):
            for key, value in fields.items():
                setattr(unit, key, value)
            unit.save()
            updated += 1
    for entry in entries:
        parent_name = entry.get("parent")
        unit = units[entry["name"]]
        parent = (units.get(parent_name) or Unit.objects.get(name=parent_name)) if parent_name else None
        if unit.parent_id != (parent.pk if parent else None):
            unit.parent = parent
            unit.save(update_fields=["parent"])
            updated += unit.name not in created_names
    return {"created": created, "updated": updated}


@transaction.atomic
def user_create(
    *, username: str, password: str, unit: Unit | None = None, roles: tuple[str, ...] = (),
    display_name: str = "", phone: str = "", is_superuser: bool = False,
) -> User:
    """Create (or refresh, for idempotent demo loading) a user with the given roles."""
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "unit": unit, "display_name": display_name, "phone": phone,
            "is_superuser": is_superuser, "is_staff": is_superuser,
        },
    )
    user.set_password(password)
    user.save()
    for role in roles:
        RoleGrant.objects.get_or_create(user=user, role=role)
    return user


@transaction.atomic
def token_issue(*, user: User) -> Token:
    """A new API token for ``user``. DRF keeps one token per user, so signing in again (a new
    phone, a stolen token's owner signing in) ends the previous token rather than renewing it."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def token_revoke(*, user: User) -> int:
    """End ``user``'s API token (sign-out); returns how many were deleted (0 or 1)."""
    return Token.objects.filter(user=user).delete()[0]


def credentials_reset(*, user: User) -> None:
    """After a password change: the API token issued under the old password stops working, and a
    login lockout of the username is lifted (an administrator's reset is also the unlock)."""
    token_revoke(user=user)
    axes_reset(username=user.get_username())
