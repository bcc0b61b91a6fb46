"""The 督办 notice lifecycle as ONE table, like the case workflow (``cases/workflow.py``).

Every allowed step is a row ``(from_status, action, actor) → to_status`` in ``NOTICE_STEPS``::

    (none)          ──发出督办── 精细办      ──▶ open      待回复
    open, returned  ──回复──────  被督办单位 ──▶ replied   已回复
    replied         ──办结──────  精细办      ──▶ closed    已办结
    replied         ──退回──────  精细办      ──▶ returned  退回重办

The services (``services.notice_issue / notice_reply / notice_review``), the task page's reply
and review forms, the API's writer roles and its ``actions`` field, the docs (``docs/plans.md``)
and the tests all read this table. Who *within* the actor's roles may act (the unit the notice is
addressed to) and "may this user take this action on this notice now" are answered by
``selectors.notice_actor_is`` and ``selectors.notice_actions_for``; the table itself is pure data.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhi.org.models import Role


class NoticeStatus(models.TextChoices):
    OPEN = "open", _("待回复")
    REPLIED = "replied", _("已回复")
    RETURNED = "returned", _("退回重办")
    CLOSED = "closed", _("已办结")


class NoticeAction(models.TextChoices):
    """What is done to a notice. After issuing, each action is kept as a ``NoticeEvent`` of the same kind."""

    ISSUE = "issue", _("发出督办")
    REPLY = "reply", _("回复")
    ACCEPT = "accept", _("办结")
    RETURN = "return", _("退回")


class NoticeActor(models.TextChoices):
    """Who takes a step: a set of platform roles, and for the addressee also a unit relation."""

    OFFICE = "office", _("精细办")
    ADDRESSEE = "addressee", _("被督办单位")


#: The platform roles of each actor. The addressee must also report for the unit the notice is
#: addressed to (or a unit above it), see ``selectors.notice_actor_is``.
ACTOR_ROLES: dict[str, tuple[str, ...]] = {
    NoticeActor.OFFICE: (Role.PLAN_OFFICE, Role.PLATFORM_ADMIN),
    NoticeActor.ADDRESSEE: (Role.UNIT_REPORTER,),
}


@dataclass(frozen=True)
class NoticeStep:
    source: str | None  # None: the notice does not exist yet (issuing it)
    action: str
    actor: str
    target: str


NOTICE_STEPS: tuple[NoticeStep, ...] = (
    NoticeStep(None, NoticeAction.ISSUE, NoticeActor.OFFICE, NoticeStatus.OPEN),
    NoticeStep(NoticeStatus.OPEN, NoticeAction.REPLY, NoticeActor.ADDRESSEE, NoticeStatus.REPLIED),
    # A returned notice is answered again; the earlier reply stays in the notice's events.
    NoticeStep(NoticeStatus.RETURNED, NoticeAction.REPLY, NoticeActor.ADDRESSEE, NoticeStatus.REPLIED),
    NoticeStep(NoticeStatus.REPLIED, NoticeAction.ACCEPT, NoticeActor.OFFICE, NoticeStatus.CLOSED),
    NoticeStep(NoticeStatus.REPLIED, NoticeAction.RETURN, NoticeActor.OFFICE, NoticeStatus.RETURNED),
)

#: The office's decision on a reply: one form, two actions.
REVIEW_ACTIONS = (NoticeAction.ACCEPT, NoticeAction.RETURN)


def step_find(*, source: str | None, action: str) -> NoticeStep | None:
    """The row for taking ``action`` from ``source``, or None if the table has no such step."""
    return next((s for s in NOTICE_STEPS if s.source == source and s.action == action), None)


def steps_from(source: str | None) -> tuple[NoticeStep, ...]:
    """The steps a notice in ``source`` may take next (by anyone)."""
    return tuple(s for s in NOTICE_STEPS if s.source == source)


def action_actor(action: str) -> str:
    """Who takes ``action``: the same actor in every row of an action (tests/plans/test_notice_workflow.py)."""
    return next(s.actor for s in NOTICE_STEPS if s.action == action)


def action_roles(action: str) -> tuple[str, ...]:
    """The roles that may ever take ``action``: checked before any notice or input is looked at."""
    return ACTOR_ROLES[action_actor(action)]


#: The statuses in which the addressed unit owes a reply (shown as pending, counted late past the due date).
AWAITING_REPLY = frozenset(s.source for s in NOTICE_STEPS if s.action == NoticeAction.REPLY)
