"""Write-side rules of `org`: creating and loading units, creating people, their API tokens."""
from __future__ import annotations

from pathlib import Path

import yaml
from axes.utils import reset as axes_reset
from django.db import transaction
from rest_framework.authtoken.models import Token

from .models import RoleGrant, Unit, User


def unit_get_or_create(*, name: str, kind: str, code: str = "", parent: Unit | None = None) -> Unit:
    """The unit called ``name`` (a unit's name is its identity), created with the other fields when
    there is none; an existing unit is returned as it is."""
    unit, _created = Unit.objects.get_or_create(name=name, defaults={"kind": kind, "code": code, "parent": parent})
    return unit


def unit_get_or_create_by_code(*, kind: str, code: str, name: str, parent: Unit | None = None) -> Unit:
    """The unit of ``kind`` with the administrative ``code`` (区划代码), created when missing.

    Geography names repeat across districts (two 东风路街道) but unit names are unique, so a new unit
    whose plain name is taken is called after its parent (中牟县东风路街道), else after its code.
    """
    unit = Unit.objects.filter(kind=kind, code=code).order_by("pk").first()
    if unit is not None:
        return unit
    candidates = [name, f"{parent.name}{name}" if parent else name, f"{name}{code}"]
    taken = set(Unit.objects.filter(name__in=candidates).values_list("name", flat=True))
    unique_name = next((candidate for candidate in candidates if candidate not in taken), f"{name}{code}")
    return Unit.objects.create(name=unique_name, kind=kind, code=code, parent=parent)


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
