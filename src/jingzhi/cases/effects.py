"""The actions' own effects, one function per action that does more than move the state.

Each effect validates its parameters (ValidationError keyed by field), changes the case in
memory and returns the data recorded on the event. It runs inside ``acting.case_act``'s
transaction, after ``rules.case_action_check`` said the actor may act.
"""
from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.utils.translation import gettext as _

from jingzhi.org.models import Role, User
from jingzhi.org.selectors import user_has_role

from .calendar import TimeUnit
from .clock import deadline_after
from .following import followers_carry_over
from .models import Case, CaseEvent, OnSiteStep, Outcome, OutcomeReason, PhotoKind, RejectReason, Satisfaction
from .rules import CLOSE_NOT_FIXED_REASONS, MAX_POSTPONE_DAYS, REJECT_REASONS
from .selectors import dispatch_units
from .workflow import CaseAction, State

#: PostgreSQL's SQLSTATE for a row lock refused by NOWAIT (lock_not_available).
LOCK_NOT_AVAILABLE = "55P03"


def _inspector_get(inspector) -> User:
    if inspector is None or not user_has_role(user=inspector, roles=(Role.INSPECTOR,)):
        raise ValidationError({"inspector": [_("请选择一名监督员。")]})
    return inspector


def _assign_inspector(case: Case, *, inspector=None, **_ignored) -> dict:
    case.inspector = _inspector_get(inspector)
    return {"inspector": case.inspector.pk, "inspector_name": str(case.inspector)}


def _confirm(case: Case, *, problem_exists=True, **_ignored) -> dict:
    return {"problem_exists": bool(problem_exists)}


def _reject(case: Case, *, reason="", **_ignored) -> dict:
    if reason not in REJECT_REASONS:
        raise ValidationError({"reason": [_("请选择不予受理原因（重复上报请用“合并重复”）。")]})
    case.reject_reason = reason
    _outcome_set(case, Outcome.NOT_FIXED, reason)
    return {"reason": reason}


def _merge(case: Case, *, duplicate_of=None, actor, now, **_ignored) -> dict:
    """Mark the case a duplicate and record the merge in the original's history too (its
    state does not change, so the event's from and to states are equal); whoever waited on the
    duplicate follows the original (``following.followers_carry_over``). The original is
    locked and read afresh, so it cannot be voided or merged away while it gains a duplicate;
    without waiting (NOWAIT), since a merge holds the duplicate's lock already and two opposite
    merges waiting on each other would deadlock."""
    if duplicate_of is not None:
        try:
            duplicate_of = (Case.objects.select_for_update(of=("self",), nowait=True)
                            .filter(pk=duplicate_of.pk).first())
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) != LOCK_NOT_AVAILABLE:
                raise
            raise ValidationError({"duplicate_of": [_("原案件正在被他人处理，请稍后重试。")]}) from None
    if duplicate_of is None or duplicate_of.pk == case.pk or duplicate_of.state in (State.REJECTED, State.VOIDED):
        raise ValidationError({"duplicate_of": [_("请选择一个有效的原案件。")]})
    case.duplicate_of = duplicate_of
    case.reject_reason = RejectReason.DUPLICATE
    followers_carry_over(duplicate=case, original=duplicate_of, now=now)
    _outcome_set(case, Outcome.NOT_FIXED, OutcomeReason.DUPLICATE)
    CaseEvent.objects.create(
        case=duplicate_of, action=CaseAction.MERGE, from_state=duplicate_of.state, to_state=duplicate_of.state,
        actor=actor, actor_role=Role.INTAKE_OPERATOR, created_at=now, stage_deadline=duplicate_of.stage_deadline,
        data={"merged_case": case.pk, "merged_case_number": case.number},
    )
    return {"duplicate_of": duplicate_of.pk, "duplicate_of_number": duplicate_of.number}


def _on_site_steps_reset(case: Case, now) -> None:
    """(Re)start the category's on-site steps for the department just dispatched."""
    OnSiteStep.objects.filter(case=case).delete()
    due = now
    for order, step in enumerate(case.category.on_site_steps, start=1):
        due = deadline_after(due, value=step["value"], unit=step["unit"]) if order == 1 else None
        OnSiteStep.objects.create(
            case=case, order=order, name=step["name"], limit_value=step["value"], limit_unit=step["unit"],
            due_at=due,
        )


def _dispatch(case: Case, *, department=None, override_reason="", now, **_ignored) -> dict:
    department = department or case.suggested_department
    if department is None:
        raise ValidationError({"department": [_("没有建议部门，请选择处置部门。")]})
    if not dispatch_units().filter(pk=department.pk).exists():
        raise ValidationError({"department": [_("%(unit)s 不能作为处置部门（社区不接受派遣）。") % {"unit": department.name}]})  # noqa: E501 (one translated message)
    if department.pk != case.suggested_department_id and not override_reason.strip():
        raise ValidationError({"override_reason": [_("改派到建议部门以外的单位时，必须说明理由。")]})
    case.department = department
    _on_site_steps_reset(case, now)
    return {
        "department": department.pk, "department_name": department.name,
        "suggested_department": case.suggested_department_id, "override_reason": override_reason.strip(),
    }


def _on_site_arrive(case: Case, *, step=None, arrived_at=None, now, **_ignored) -> dict:
    steps = list(case.on_site_steps.order_by("order"))
    current = next(s for s in steps if s.arrived_at is None)  # rules.GUARDS: there is one
    if step is not None and step != current.order:
        raise ValidationError({"step": [_("请按顺序登记到场环节，下一个是第 %(order)s 步。") % {"order": current.order}]})  # noqa: E501 (one translated message)
    arrived_at = arrived_at or now
    earliest = case.stage_started_at or case.created_at
    if arrived_at > now or arrived_at < earliest:
        raise ValidationError({"arrived_at": [_("到场时间须在派遣之后、当前时间之前。")]})
    current.arrived_at = arrived_at
    current.done_in_time = arrived_at <= current.due_at
    current.save(update_fields=["arrived_at", "done_in_time"])
    following = next((s for s in steps if s.order == current.order + 1), None)
    if following is not None:
        following.due_at = deadline_after(arrived_at, value=following.limit_value,
                                                       unit=following.limit_unit)
        following.save(update_fields=["due_at"])
    return {
        "step": current.order, "name": current.name, "arrived_at": arrived_at.isoformat(),
        "due_at": current.due_at.isoformat(), "done_in_time": current.done_in_time,
    }


def _handle(case: Case, *, photos, **_ignored) -> dict:
    if not any(kind == PhotoKind.AFTER for kind, _upload in photos):
        raise ValidationError({"after_photos": [_("处置反馈须上传至少一张处置后照片。")]})
    return {}


def _postpone_request(case: Case, *, extra_working_days=None, **_ignored) -> dict:
    if not isinstance(extra_working_days, int) or not 1 <= extra_working_days <= MAX_POSTPONE_DAYS:
        raise ValidationError({"extra_working_days": [
            _("延期天数须为 1 到 %(max)s 个工作日。") % {"max": MAX_POSTPONE_DAYS}]})
    return {"extra_working_days": extra_working_days}


def _postpone_approve(case: Case, **_ignored) -> dict:
    request = case.events.filter(action=CaseAction.POSTPONE_REQUEST).order_by("-created_at", "-id").first()
    days = request.data["extra_working_days"]
    old_deadline = case.stage_deadline
    case.stage_deadline = deadline_after(old_deadline, value=days, unit=TimeUnit.WORKING_DAYS)
    case.escalated_at = None
    return {"extra_working_days": days, "old_deadline": old_deadline.isoformat()}


def _rework(case: Case, **_ignored) -> dict:
    case.rework_count += 1
    return {"rework_count": case.rework_count}


def _outcome_set(case: Case, outcome: str, reason: str = "") -> dict:
    case.outcome, case.outcome_reason = outcome, reason
    return {"outcome": outcome, "outcome_reason": reason}


def _close(case: Case, *, now, outcome=Outcome.FIXED, outcome_reason="", **_ignored) -> dict:
    """结案 records how the case ended: fixed (the default after a passed 核查), or not fixed
    with one of ``rules.CLOSE_NOT_FIXED_REASONS``."""
    outcome = outcome or Outcome.FIXED
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [_("请选择办结结果。")]})
    if outcome == Outcome.FIXED:
        outcome_reason = ""
    elif outcome_reason not in CLOSE_NOT_FIXED_REASONS:
        raise ValidationError({"outcome_reason": [_("未解决结案须选择原因。")]})
    case.closed_at = now
    return _outcome_set(case, outcome, outcome_reason)


def _self_approve(case: Case, *, now, **_ignored) -> dict:
    return _close(case, now=now)


def _void(case: Case, **_ignored) -> dict:
    return _outcome_set(case, Outcome.NOT_FIXED, OutcomeReason.VOIDED)


def _evaluate(case: Case, *, satisfaction="", **_ignored) -> dict:
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": [_("请选择满意度。")]})
    case.satisfaction = satisfaction
    return {"satisfaction": satisfaction}


def _reopen(case: Case, **_ignored) -> dict:
    case.satisfaction = ""  # the next closure gets its own 回访评价
    case.closed_at = None
    _outcome_set(case, "")
    return _rework(case)


EFFECTS: dict[str, Callable[..., dict]] = {
    CaseAction.CONFIRM_ASSIGN: _assign_inspector,
    CaseAction.CONFIRM: _confirm,
    CaseAction.REJECT: _reject,
    CaseAction.MERGE: _merge,
    CaseAction.DISPATCH: _dispatch,
    CaseAction.ON_SITE_ARRIVE: _on_site_arrive,
    CaseAction.HANDLE: _handle,
    CaseAction.POSTPONE_REQUEST: _postpone_request,
    CaseAction.POSTPONE_APPROVE: _postpone_approve,
    CaseAction.VERIFY_ASSIGN: _assign_inspector,
    CaseAction.REWORK: _rework,
    CaseAction.CLOSE: _close,
    CaseAction.SELF_APPROVE: _self_approve,
    CaseAction.VOID: _void,
    CaseAction.EVALUATE: _evaluate,
    CaseAction.REOPEN: _reopen,
}
