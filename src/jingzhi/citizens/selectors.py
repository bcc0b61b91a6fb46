"""Read-side rules of citizens' accounts: who counts as a citizen-only account, and "我的上报"."""
from __future__ import annotations

from django.db.models import QuerySet

from jingzhi.cases.models import Case
from jingzhi.org.models import Role, User
from jingzhi.org.selectors import user_roles


def user_is_citizen_only(*, user: User) -> bool:
    """Holds the citizen role and no other, and is no admin: the accounts citizens manage themselves
    (SMS sign-in, deletion). A staff member who also reports as a citizen keeps their password."""
    return user_roles(user=user) == {Role.CITIZEN} and not (user.is_staff or user.is_superuser)


def citizen_reports(*, user: User) -> QuerySet[Case]:
    """The cases ``user`` reported, newest first: only their own, whatever else their roles see."""
    return Case.objects.filter(reporter=user).select_related("category", "district") \
        .order_by("-created_at", "-id")
