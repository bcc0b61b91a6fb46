"""May this user take this action on this case now? The one answer, and the table's query API.

``workflow.TRANSITIONS`` says which role may take which action from which state. This module
asks it (``transitions_from``, ``transitions_for``, ``transition_find``, ``states_worked_by``,
``next_roles``) and adds what the table cannot say:

* ``actor_may_act``: who *within* a role may act (the handlers of the assigned department, the
  inspector the task was sent to, the citizen who reported);
* ``PRECONDITIONS``: conditions beyond the state, read from the case without queries so a list's
  buttons stay cheap (回访评价 once per closure of a public report, 重办 after 不满意, 到场登记 only
  for categories with on-site steps);
* ``GUARDS``: conditions that read the case's on-site steps, checked when the action is taken
  (under the case's row lock) and refused per field like bad input (HTTP 400).

``case_action_decide`` is the predicate: ``case_actions_for`` (the buttons, the API's ``actions``)
keeps the actions it allows, ``case_action_check`` (``acting.case_act``) raises its refusal. The
work queues (``states_worked_by``) and the next-actor notification (``next_roles``) read the same
rows. Nothing here writes.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jingzhi.org.models import Role, User
from jingzhi.org.selectors import user_roles, user_unit_ids

from .errors import CaseActionError, CaseActionForbidden, CaseTransitionIllegal
from .models import PUBLIC_SOURCES, Case, OutcomeReason, RejectReason, Satisfaction
from .workflow import ACTION_SPECS, REPORT_SOURCES, TERMINAL_STATES, TRANSITIONS, CaseAction, State, Transition

#: The longest 延期 a department may ask for at once, in working days (the form's bound too).
MAX_POSTPONE_DAYS = 30
#: The reasons 不予受理 takes; 重复上报 is recorded only by 合并重复, which names the original case.
REJECT_REASONS = (RejectReason.INVALID, RejectReason.OUT_OF_SCOPE)
#: The reasons a 值班长 may give for closing a case that was not fixed (the others are set by
#: 不予受理, 合并重复 and 作废).
CLOSE_NOT_FIXED_REASONS = (OutcomeReason.NOT_FEASIBLE, OutcomeReason.OUT_OF_SCOPE)


# ── the table's query API ───────────────────────────────────────────────────────────────


def transitions_from(state: str | None) -> tuple[Transition, ...]:
    """The rows leaving ``state`` by a person's action (creation: ``None``; the job's 超时升级 aside)."""
    return tuple(t for t in TRANSITIONS if t.source == state and t.action != CaseAction.ESCALATE)


def transitions_for(*, action: str, roles: Iterable[str]) -> tuple[Transition, ...]:
    """The rows of ``action`` open to a holder of any of ``roles``, from any state."""
    roles = set(roles)
    return tuple(t for t in TRANSITIONS if t.action == action and t.role in roles)


def transition_find(*, source: str | None, action: str, roles: Iterable[str]) -> Transition | None:
    """The row allowing ``action`` from ``source`` to a holder of any of ``roles``, if any."""
    return next((t for t in transitions_for(action=action, roles=roles) if t.source == source), None)


def report_sources(roles: Iterable[str]) -> set[str]:
    """The sources a holder of ``roles`` may register a case with (``workflow.REPORT_SOURCES``)."""
    return {source for role in roles for source in REPORT_SOURCES.get(role, ())}


def case_may_create(*, action: str, roles: Iterable[str]) -> bool:
    """Whether a holder of ``roles`` may create a case by ``action`` (上报, 自处理上报)."""
    return transition_find(source=None, action=action, roles=roles) is not None


def next_roles(state: str) -> set[str]:
    """The roles that may act on a case in ``state`` (whom the next-actor notice may concern)."""
    return {t.role for t in transitions_from(state) if t.action in ACTION_SPECS}


def states_worked_by(role: str) -> list[str]:
    """The states in which ``role`` has work to do, read from the workflow table (作废 aside,
    which the 值班长 may do from any state, and the follow-ups of finished cases such as 回访评价,
    which would fill a queue with every closed case; see ``selectors.cases_dissatisfied``)."""
    states = []
    for transition in TRANSITIONS:
        if (transition.role == role and transition.action in ACTION_SPECS and transition.action != CaseAction.VOID
                and transition.source not in TERMINAL_STATES and transition.source not in states):
            states.append(transition.source)
    return states


# ── who within a role ───────────────────────────────────────────────────────────────────


def actor_may_act(*, case: Case, role: str, user: User | None) -> bool:
    """Within a role, who may act: the handlers of the assigned department (or a unit above
    it), the inspector the 核实/核查 task was sent to, and the citizen who reported."""
    if role == Role.HANDLER:
        return case.department_id is not None and case.department_id in user_unit_ids(user=user)
    if role == Role.INSPECTOR:
        return case.inspector_id == user.pk
    if role == Role.CITIZEN:  # no user: the anonymous reporter, whose key acting.case_act checked
        return case.reporter_id == (user.pk if user is not None else None)
    return True


# ── conditions beyond the state ─────────────────────────────────────────────────────────


def _evaluate_refusal(case: Case) -> str:
    if case.source not in PUBLIC_SOURCES:
        return _("只有市民或热线来源的案件需要回访评价。")
    if case.satisfaction:
        return _("本次结案已回访评价，不能重复评价。")
    return ""


def _reopen_refusal(case: Case) -> str:
    return "" if case.satisfaction == Satisfaction.DISSATISFIED else _("只有回访评价为“不满意”的案件才能重办。")


def _on_site_arrive_refusal(case: Case) -> str:
    return "" if case.category.on_site_steps else _("本案件的类别没有到场环节，无需到场登记。")


#: Conditions beyond the state that an action needs (checked without queries, so the action
#: buttons of a list stay cheap); each returns why the action is refused (HTTP 409), or "".
PRECONDITIONS: dict[str, Callable[[Case], str]] = {
    CaseAction.EVALUATE: _evaluate_refusal,
    CaseAction.REOPEN: _reopen_refusal,
    CaseAction.ON_SITE_ARRIVE: _on_site_arrive_refusal,  # else a button that can only be refused
}


def _on_site_step_pending(case: Case) -> None:
    if not case.on_site_steps.filter(arrived_at__isnull=True).exists():
        raise ValidationError({"step": [_("本案件没有待登记的到场环节。")]})


def _first_arrival_recorded(case: Case) -> None:
    """处置反馈 needs the first on-site arrival (双十: the first step is the one that counts)."""
    first_step = case.on_site_steps.order_by("order").first()
    if first_step is not None and first_step.arrived_at is None:
        raise ValidationError({"step": [_("请先登记“%(name)s”的到场时间。") % {"name": first_step.name}]})


#: Conditions that read the case's on-site steps: checked when the action is taken, refused
#: with a ValidationError keyed by field (HTTP 400), since the user can put them right.
GUARDS: dict[str, Callable[[Case], None]] = {
    CaseAction.ON_SITE_ARRIVE: _on_site_step_pending,
    CaseAction.HANDLE: _first_arrival_recorded,
}


# ── the predicate ───────────────────────────────────────────────────────────────────────


def case_action_decide(*, case: Case, action: str, user: User | None) -> Transition | CaseActionError:
    """The row ``user`` takes ``action`` by on ``case`` now, or the refusal saying why not:
    forbidden (the role never has the action, or the case is not theirs to act on) or illegal
    (not from this state, or a precondition fails). No queries beyond the user's roles and units.
    ``user`` None is the anonymous reporter (a citizen, as in ``reporting.case_report``)."""
    roles = user_roles(user=user) if user is not None else {Role.CITIZEN}
    label = CaseAction(action).label
    if action not in ACTION_SPECS or not transitions_for(action=action, roles=roles):
        return CaseActionForbidden(_("您的角色不能执行“%(action)s”。") % {"action": label})
    candidates = [t for t in transitions_from(case.state) if t.action == action and t.role in roles]
    if not candidates:
        return CaseTransitionIllegal(_("案件当前状态为“%(state)s”，不能执行“%(action)s”。") % {
            "state": State(case.state).label, "action": label})
    for transition in candidates:
        if actor_may_act(case=case, role=transition.role, user=user):
            check = PRECONDITIONS.get(action)
            refusal = check(case) if check else ""
            return CaseTransitionIllegal(refusal) if refusal else transition
    return CaseActionForbidden(_("本案件不属于您的单位或不是派给您的任务，不能执行“%(action)s”。") % {"action": label})


def case_actions_for(*, case: Case, user: User) -> list[str]:
    """The actions ``user`` may take on ``case`` now: the UI's buttons and the API's ``actions``."""
    actions = dict.fromkeys(t.action for t in transitions_from(case.state) if t.action in ACTION_SPECS)
    return [action for action in actions
            if isinstance(case_action_decide(case=case, action=action, user=user), Transition)]


def case_action_check(*, case: Case, action: str, user: User | None) -> Transition:
    """The row to take, or raise: ``CaseActionForbidden``, ``CaseTransitionIllegal``, or a
    ``ValidationError`` from a guard. Called with the case locked, so the answer holds."""
    decision = case_action_decide(case=case, action=action, user=user)
    if isinstance(decision, CaseActionError):
        raise decision
    guard = GUARDS.get(action)
    if guard:
        guard(case)
    return decision
