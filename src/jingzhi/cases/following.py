"""Following a case someone else reported ("我也遇到了"): the citizen who finds their problem
already reported follows that case instead of reporting it again, and is told when it moves
(``notify.next_actor_notify``)."""
from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhi.org.models import Role, User
from jingzhi.org.selectors import user_has_role

from .errors import CaseTransitionIllegal
from .models import Case, CaseFollower
from .workflow import TERMINAL_STATES


def case_follow(*, case: Case, user: User, now: dt.datetime | None = None) -> CaseFollower:
    """Make ``user`` a follower of the open ``case``; following again changes nothing.

    Refused (409) for a finished case: nothing will move any more."""
    if case.state in TERMINAL_STATES:
        raise CaseTransitionIllegal(_("该案件已办结，无需关注。"))
    existing = CaseFollower.objects.filter(case=case, user=user).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return CaseFollower.objects.create(case=case, user=user, created_at=now or timezone.now())
    except IntegrityError:  # a double tap raced this one
        return CaseFollower.objects.get(case=case, user=user)


def case_unfollow(*, case: Case, user: User) -> None:
    """Stop following ``case`` (nothing happens if ``user`` did not follow it)."""
    CaseFollower.objects.filter(case=case, user=user).delete()


def followers_carry_over(*, duplicate: Case, original: Case, now: dt.datetime) -> int:
    """合并重复: the people waiting on the merged report (its citizen reporter and its followers)
    follow the original instead, so they still hear how their problem ends. Returns how many
    new followers the original got; nothing if the original is finished."""
    if original.state in TERMINAL_STATES:
        return 0
    users = {follower.user_id for follower in CaseFollower.objects.filter(case=duplicate)}
    if duplicate.reporter_id and user_has_role(user=duplicate.reporter, roles=(Role.CITIZEN,)):
        users.add(duplicate.reporter_id)
    users -= {original.reporter_id}
    users -= set(CaseFollower.objects.filter(case=original, user_id__in=users).values_list("user_id", flat=True))
    CaseFollower.objects.bulk_create(CaseFollower(case=original, user_id=user, created_at=now) for user in users)
    return len(users)
