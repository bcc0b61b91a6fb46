"""The lifecycle of an inspection round (检查轮次) as ONE table, like ``cases/workflow.py``.

A round is planned by the office (日督查: a route over assets on a date, for one inspector). It
starts when its first inspection is submitted and is done when every stop has one; the office may
cancel a round that is not done. The services (``services.round_*``), the pages' buttons and the
tests read ``ROUND_TRANSITIONS``; nothing else lists who may move a round.

An inspection itself has no states: it is written once, when the inspector submits it, with its
computed results (an inspection is a record of what was seen, never edited afterwards).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhi.org.models import Role

#: The services move a round on their own (first inspection, last stop) as this pseudo-role.
SYSTEM = "system"


class RoundState(models.TextChoices):
    PLANNED = "planned", _("待检查")
    IN_PROGRESS = "in_progress", _("检查中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class RoundAction(models.TextChoices):
    START = "start", _("开始检查")
    FINISH = "finish", _("完成")
    CANCEL = "cancel", _("取消")


@dataclass(frozen=True)
class RoundTransition:
    source: str
    action: str
    role: str
    target: str


#: Who plans and cancels rounds (the plan office, the platform admin).
PLANNER_ROLES = frozenset({Role.PLAN_OFFICE, Role.PLATFORM_ADMIN})

ROUND_TRANSITIONS: tuple[RoundTransition, ...] = (
    RoundTransition(RoundState.PLANNED, RoundAction.START, SYSTEM, RoundState.IN_PROGRESS),
    RoundTransition(RoundState.IN_PROGRESS, RoundAction.FINISH, SYSTEM, RoundState.DONE),
    # A one-stop round is done by its first inspection.
    RoundTransition(RoundState.PLANNED, RoundAction.FINISH, SYSTEM, RoundState.DONE),
    *(RoundTransition(state, RoundAction.CANCEL, role, RoundState.CANCELLED)
      for state in (RoundState.PLANNED, RoundState.IN_PROGRESS) for role in sorted(PLANNER_ROLES)),
)

#: States in which the assigned inspector may still submit inspections of the round.
OPEN_ROUND_STATES = (RoundState.PLANNED, RoundState.IN_PROGRESS)


def round_transition(*, state: str, action: str, roles) -> RoundTransition | None:
    """The row taking a round in ``state`` by ``action`` for a holder of ``roles``, if any."""
    roles = set(roles)
    return next((row for row in ROUND_TRANSITIONS
                 if row.source == state and row.action == action and row.role in roles), None)
