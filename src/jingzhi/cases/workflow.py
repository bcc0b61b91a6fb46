"""The 数字城管 case workflow as ONE table.

Every allowed step is a row ``(from_state, action, role) → to_state`` in ``TRANSITIONS``.
The services (``acting.case_act``, with ``rules``), the staff UI buttons, the API's per-action routes, the
docs (``docs/cases.md``) and the tests all read this table; no other module lists who may do
what.  Who *within* a role may act (the handler of the assigned department, the inspector the
task was sent to) and what an action needs beyond the state are ``rules``' to say.

The split of roles follows the national standard (see docs/domain.md §2–§3 [S]):
受理员 accepts or refuses reports and sends 核实/核查 tasks, 值班长 files, voids and closes,
派遣员 dispatches and approves return, postponement and suspension, 处置人员 of the department
handles, 监督员 reports, confirms (核实) and verifies (核查).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhi.org.models import Role

#: The periodic escalation job acts as this pseudo-role; no user holds it.
SYSTEM = "system"


class State(models.TextChoices):
    REPORTED = "reported", _("待受理")
    SELF_HANDLED = "self_handled", _("自处理待审核")
    CONFIRMING = "confirming", _("核实中")
    ACCEPTED = "accepted", _("待立案")
    FILED = "filed", _("待派遣")
    DISPATCHED = "dispatched", _("待签收")
    HANDLING = "handling", _("处置中")
    RETURNED = "returned", _("退回待审")
    POSTPONE_REQUESTED = "postpone_requested", _("延期待批")
    SUSPEND_REQUESTED = "suspend_requested", _("挂账待批")
    SUSPENDED = "suspended", _("已挂账")
    HANDLED = "handled", _("待核查")
    VERIFYING = "verifying", _("核查中")
    VERIFY_FAILED = "verify_failed", _("核查未通过")
    VERIFIED = "verified", _("待结案")
    CLOSED = "closed", _("已结案")
    REJECTED = "rejected", _("不予受理")
    VOIDED = "voided", _("已作废")


class Stage(models.TextChoices):
    """Timed stages; each has a limit per category and urgency (data/cases/catalogue.yaml)."""

    INTAKE = "intake", _("受理立案")
    DISPATCH = "dispatch", _("派遣")
    HANDLE = "handle", _("处置")
    VERIFY = "verify", _("核查")


class CaseAction(models.TextChoices):
    REPORT = "report", _("上报")
    SELF_HANDLE = "self_handle", _("自处理上报")
    SELF_APPROVE = "self_approve", _("自处理审核通过")
    SELF_REFUSE = "self_refuse", _("自处理审核不通过")
    CONFIRM_ASSIGN = "confirm_assign", _("派发核实")
    CONFIRM = "confirm", _("核实")
    ACCEPT = "accept", _("受理")
    REJECT = "reject", _("不予受理")
    MERGE = "merge", _("合并重复")
    FILE = "file", _("立案")
    DISPATCH = "dispatch", _("派遣")
    RECEIVE = "receive", _("签收")
    RETURN = "return", _("退回")
    RETURN_REFUSE = "return_refuse", _("驳回退回")
    ON_SITE_ARRIVE = "on_site_arrive", _("到场登记")
    HANDLE = "handle", _("处置反馈")
    POSTPONE_REQUEST = "postpone_request", _("申请延期")
    POSTPONE_APPROVE = "postpone_approve", _("批准延期")
    POSTPONE_REFUSE = "postpone_refuse", _("驳回延期")
    SUSPEND_REQUEST = "suspend_request", _("申请挂账")
    SUSPEND_APPROVE = "suspend_approve", _("批准挂账")
    SUSPEND_REFUSE = "suspend_refuse", _("驳回挂账")
    RESUME = "resume", _("恢复处置")
    VERIFY_ASSIGN = "verify_assign", _("派发核查")
    VERIFY_PASS = "verify_pass", _("核查通过")
    VERIFY_FAIL = "verify_fail", _("核查不通过")
    REWORK = "rework", _("返工")
    CLOSE = "close", _("结案")
    EVALUATE = "evaluate", _("回访评价")
    REOPEN = "reopen", _("不满意重办")
    VOID = "void", _("作废")
    ESCALATE = "escalate", _("超时升级")


#: The stage whose clock runs while a case is in a state. A stage starts (deadline computed)
#: when a case enters a state of another stage, and ends (done in time or not) when it leaves.
#: 受理立案 runs from the report to 立案 (through 核实 and the 值班长's 自处理审核 if any), so a report
#: nobody accepts or files is overdue like any other stage (按时立案率 counts it).
#: 核查未通过 waits for the dispatcher's 返工 (a re-dispatch), so it runs on the dispatch clock.
STATE_STAGE: dict[str, str] = {
    State.REPORTED: Stage.INTAKE,
    State.SELF_HANDLED: Stage.INTAKE,
    State.CONFIRMING: Stage.INTAKE,
    State.ACCEPTED: Stage.INTAKE,
    State.FILED: Stage.DISPATCH,
    State.RETURNED: Stage.DISPATCH,
    State.VERIFY_FAILED: Stage.DISPATCH,
    State.DISPATCHED: Stage.HANDLE,
    State.HANDLING: Stage.HANDLE,
    State.POSTPONE_REQUESTED: Stage.HANDLE,
    State.SUSPEND_REQUESTED: Stage.HANDLE,
    State.HANDLED: Stage.VERIFY,
    State.VERIFYING: Stage.VERIFY,
}

TERMINAL_STATES = frozenset({State.CLOSED, State.REJECTED, State.VOIDED})
OPEN_STATES = tuple(state for state in State.values if state not in TERMINAL_STATES)


@dataclass(frozen=True)
class Transition:
    source: str | None  # None: the case does not exist yet (creation by reporting)
    action: str
    role: str
    target: str


def _row(source, action, role, target) -> Transition:
    return Transition(source, action, role, target)


TRANSITIONS: tuple[Transition, ...] = (
    # 信息收集: inspectors report directly; the public's reports come in through the 受理员
    # (hotline, sensors, inspection failures, leaders' instructions) or the citizen app.
    _row(None, CaseAction.REPORT, Role.INSPECTOR, State.REPORTED),
    _row(None, CaseAction.REPORT, Role.CITIZEN, State.REPORTED),
    _row(None, CaseAction.REPORT, Role.INTAKE_OPERATOR, State.REPORTED),
    # 自处理 (docs/domain.md §3): an inspector reports a simple problem already handled on
    # the spot, with before/after photos; the 值班长 审核 it: approved → 结案, refused → the
    # normal path from 待受理.
    _row(None, CaseAction.SELF_HANDLE, Role.INSPECTOR, State.SELF_HANDLED),
    _row(State.SELF_HANDLED, CaseAction.SELF_APPROVE, Role.SHIFT_CHIEF, State.CLOSED),
    _row(State.SELF_HANDLED, CaseAction.SELF_REFUSE, Role.SHIFT_CHIEF, State.REPORTED),
    # 受理: the 受理员 may send a 核实 task to an inspector first.
    _row(State.REPORTED, CaseAction.CONFIRM_ASSIGN, Role.INTAKE_OPERATOR, State.CONFIRMING),
    _row(State.CONFIRMING, CaseAction.CONFIRM, Role.INSPECTOR, State.REPORTED),
    _row(State.REPORTED, CaseAction.ACCEPT, Role.INTAKE_OPERATOR, State.ACCEPTED),
    _row(State.REPORTED, CaseAction.REJECT, Role.INTAKE_OPERATOR, State.REJECTED),
    _row(State.REPORTED, CaseAction.MERGE, Role.INTAKE_OPERATOR, State.REJECTED),
    # 立案 by the 值班长 against the category's filing criteria.
    _row(State.ACCEPTED, CaseAction.FILE, Role.SHIFT_CHIEF, State.FILED),
    # 派遣; a re-dispatch of a returned case approves the return.
    _row(State.FILED, CaseAction.DISPATCH, Role.DISPATCHER, State.DISPATCHED),
    _row(State.RETURNED, CaseAction.DISPATCH, Role.DISPATCHER, State.DISPATCHED),
    _row(State.RETURNED, CaseAction.RETURN_REFUSE, Role.DISPATCHER, State.DISPATCHED),
    # The department signs for the case or returns it as wrongly dispatched (回退).
    _row(State.DISPATCHED, CaseAction.RECEIVE, Role.HANDLER, State.HANDLING),
    _row(State.DISPATCHED, CaseAction.RETURN, Role.HANDLER, State.RETURNED),
    _row(State.HANDLING, CaseAction.RETURN, Role.HANDLER, State.RETURNED),
    # On-site arrival (双十 standard); arriving implies signing for the case.
    _row(State.DISPATCHED, CaseAction.ON_SITE_ARRIVE, Role.HANDLER, State.HANDLING),
    _row(State.HANDLING, CaseAction.ON_SITE_ARRIVE, Role.HANDLER, State.HANDLING),
    _row(State.HANDLING, CaseAction.HANDLE, Role.HANDLER, State.HANDLED),
    # 延期 and 挂账/缓办: requested by the department, approved by the 派遣员.
    _row(State.HANDLING, CaseAction.POSTPONE_REQUEST, Role.HANDLER, State.POSTPONE_REQUESTED),
    _row(State.POSTPONE_REQUESTED, CaseAction.POSTPONE_APPROVE, Role.DISPATCHER, State.HANDLING),
    _row(State.POSTPONE_REQUESTED, CaseAction.POSTPONE_REFUSE, Role.DISPATCHER, State.HANDLING),
    _row(State.HANDLING, CaseAction.SUSPEND_REQUEST, Role.HANDLER, State.SUSPEND_REQUESTED),
    _row(State.SUSPEND_REQUESTED, CaseAction.SUSPEND_APPROVE, Role.DISPATCHER, State.SUSPENDED),
    _row(State.SUSPEND_REQUESTED, CaseAction.SUSPEND_REFUSE, Role.DISPATCHER, State.HANDLING),
    _row(State.SUSPENDED, CaseAction.RESUME, Role.DISPATCHER, State.HANDLING),
    # 核查: the 受理员 sends the task, the inspector checks the result on site.
    _row(State.HANDLED, CaseAction.VERIFY_ASSIGN, Role.INTAKE_OPERATOR, State.VERIFYING),
    _row(State.VERIFYING, CaseAction.VERIFY_PASS, Role.INSPECTOR, State.VERIFIED),
    _row(State.VERIFYING, CaseAction.VERIFY_FAIL, Role.INSPECTOR, State.VERIFY_FAILED),
    # 返工 is a re-dispatch to the same department (hence the 派遣员).
    _row(State.VERIFY_FAILED, CaseAction.REWORK, Role.DISPATCHER, State.HANDLING),
    _row(State.VERIFIED, CaseAction.CLOSE, Role.SHIFT_CHIEF, State.CLOSED),
    # 回访/评价 (12345 closed loop): the citizen who reported, or the 受理员 recording a
    # call-back, rates a closed public report once per closure; 不满意 lets the 值班长
    # reopen it for rework by the same department.
    _row(State.CLOSED, CaseAction.EVALUATE, Role.CITIZEN, State.CLOSED),
    _row(State.CLOSED, CaseAction.EVALUATE, Role.INTAKE_OPERATOR, State.CLOSED),
    _row(State.CLOSED, CaseAction.REOPEN, Role.SHIFT_CHIEF, State.HANDLING),
    # 作废 by the 值班长 from any open state.
    *(_row(state, CaseAction.VOID, Role.SHIFT_CHIEF, State.VOIDED) for state in OPEN_STATES),
    # The periodic job flags a stage that passed its limit (once per stage); the state stays.
    *(_row(state, CaseAction.ESCALATE, SYSTEM, state) for state in STATE_STAGE),
)


#: Which sources each reporting role may enter (监督员 report their own finds and the failed items
#: of their inspections, ``inspections.services``; citizens their own reports; the 受理员 registers
#: hotline calls, sensor alarms, inspection findings and leaders' instructions). Values are
#: ``models.Source`` codes.
REPORT_SOURCES: dict[str, tuple[str, ...]] = {
    Role.INSPECTOR: ("inspector", "inspection_failure"),
    Role.CITIZEN: ("citizen",),
    Role.INTAKE_OPERATOR: ("hotline_12345", "hotline_12319", "sensor", "inspection_failure", "leader_instruction"),
}


@dataclass(frozen=True)
class ActionSpec:
    """What an action asks for, so the API serializers and the HTML forms agree."""

    fields: tuple[str, ...] = ()
    comment_required: bool = False
    danger: bool = False


ACTION_SPECS: dict[str, ActionSpec] = {
    CaseAction.CONFIRM_ASSIGN: ActionSpec(fields=("inspector",)),
    CaseAction.CONFIRM: ActionSpec(fields=("problem_exists", "photos")),
    CaseAction.ACCEPT: ActionSpec(),
    CaseAction.REJECT: ActionSpec(fields=("reason",), comment_required=True, danger=True),
    CaseAction.MERGE: ActionSpec(fields=("duplicate_of",), danger=True),
    CaseAction.FILE: ActionSpec(),
    CaseAction.DISPATCH: ActionSpec(fields=("department", "override_reason")),
    CaseAction.RECEIVE: ActionSpec(),
    CaseAction.RETURN: ActionSpec(comment_required=True, danger=True),
    CaseAction.RETURN_REFUSE: ActionSpec(comment_required=True),
    CaseAction.ON_SITE_ARRIVE: ActionSpec(fields=("step", "arrived_at")),
    CaseAction.HANDLE: ActionSpec(fields=("before_photos", "after_photos")),
    CaseAction.POSTPONE_REQUEST: ActionSpec(fields=("extra_working_days",), comment_required=True),
    CaseAction.POSTPONE_APPROVE: ActionSpec(),
    CaseAction.POSTPONE_REFUSE: ActionSpec(comment_required=True),
    CaseAction.SUSPEND_REQUEST: ActionSpec(comment_required=True),
    CaseAction.SUSPEND_APPROVE: ActionSpec(),
    CaseAction.SUSPEND_REFUSE: ActionSpec(comment_required=True),
    CaseAction.RESUME: ActionSpec(),
    CaseAction.VERIFY_ASSIGN: ActionSpec(fields=("inspector",)),
    CaseAction.VERIFY_PASS: ActionSpec(fields=("photos",)),
    CaseAction.VERIFY_FAIL: ActionSpec(fields=("photos",), comment_required=True, danger=True),
    CaseAction.REWORK: ActionSpec(),
    CaseAction.CLOSE: ActionSpec(fields=("outcome", "outcome_reason")),
    CaseAction.EVALUATE: ActionSpec(fields=("satisfaction",)),
    CaseAction.REOPEN: ActionSpec(comment_required=True),
    CaseAction.SELF_APPROVE: ActionSpec(),
    CaseAction.SELF_REFUSE: ActionSpec(comment_required=True, danger=True),
    CaseAction.VOID: ActionSpec(comment_required=True, danger=True),
}

#: The actions that create a case (``reporting.case_report``).
CREATE_ACTIONS = (CaseAction.REPORT, CaseAction.SELF_HANDLE)

#: Actions a person performs on an existing case (everything but creation and the job's escalation).
CASE_ACTIONS = tuple(ACTION_SPECS)


def stage_of(state: str) -> str:
    return STATE_STAGE.get(state, "")


def transitions_markdown() -> str:
    """The transition table as Markdown, for docs/cases.md (a test keeps the two identical)."""
    def state(value: str | None) -> str:
        return f"{State(value).label} `{value}`" if value else "（新案件）"

    def role(value: str) -> str:
        return "系统（定时任务） `system`" if value == SYSTEM else f"{Role(value).label} `{value}`"

    def line(source: str, row: Transition, target: str) -> str:
        return f"| {source} | {CaseAction(row.action).label} `{row.action}` | {role(row.role)} | {target} |"

    lines = ["| 原状态 | 动作 | 角色 | 新状态 |", "|---|---|---|---|"]
    lines += [line(state(row.source), row, state(row.target)) for row in TRANSITIONS
              if row.action not in (CaseAction.VOID, CaseAction.ESCALATE)]
    void = next(row for row in TRANSITIONS if row.action == CaseAction.VOID)
    escalate = next(row for row in TRANSITIONS if row.action == CaseAction.ESCALATE)
    lines.append(line("任一未办结状态", void, state(void.target)))
    lines.append(line("任一计时状态", escalate, "（状态不变，通知值班长）"))
    return "\n".join(lines) + "\n"
