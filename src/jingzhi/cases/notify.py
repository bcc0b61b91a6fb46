"""Who hears of a case action: the next actor when that is a named person or unit, the citizen
who reported and the case's followers at its public milestones, the keepers of the asset a case is
on (路长, 河长 …) when it is filed, the 值班长 when a call-back is 不满意."""
from __future__ import annotations

from django.utils.translation import gettext as _

from jingzhi.org.models import Role, User
from jingzhi.org.selectors import user_has_role

from .models import Case, Satisfaction
from .notifications import notifications_send
from .rules import next_roles
from .selectors import case_followers, users_with_role
from .workflow import TERMINAL_STATES, CaseAction, State, Transition

#: The moves the public is told of besides the end of a case: 立案 and 处置完成 (处置反馈).
PUBLIC_MILESTONES = (CaseAction.FILE, CaseAction.HANDLE)


def next_actor_notify(*, case: Case, transition: Transition, now) -> None:
    """Tell whoever must act next when that is a named person or unit (the command centre
    works from its queues), and tell the citizen who reported and the case's followers
    ("我也遇到了") when it is filed, handled and finished."""
    roles = next_roles(case.state)
    recipients: list[User] = []
    if Role.HANDLER in roles and case.department_id and transition.role != Role.HANDLER:
        recipients += users_with_role(Role.HANDLER, unit_id=case.department_id)
    if Role.INSPECTOR in roles and case.inspector_id and transition.role != Role.INSPECTOR:
        recipients.append(case.inspector)
    finished = case.state in TERMINAL_STATES and transition.source != transition.target
    if finished or transition.action in PUBLIC_MILESTONES:
        if case.reporter_id and user_has_role(user=case.reporter, roles=(Role.CITIZEN,)):
            recipients.append(case.reporter)
        recipients += case_followers(case)
    if transition.action == CaseAction.FILE and case.asset_id:  # 路长, 河长 … of the asset the case is on
        recipients += [keeper.user for keeper in case.asset.keepers.select_related("user")]
    if transition.action == CaseAction.EVALUATE and case.satisfaction == Satisfaction.DISSATISFIED:
        recipients += users_with_role(Role.SHIFT_CHIEF)
    if recipients:
        message = _("案件 %(number)s（%(category)s）%(action)s，当前状态：%(state)s") % {
            "number": case.number, "category": case.category.name,
            "action": CaseAction(transition.action).label, "state": State(case.state).label,
        }
        notifications_send(recipients=recipients, case=case, kind=transition.action, message=message, now=now)
