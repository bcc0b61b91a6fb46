"""The transition table itself: complete, consistent, and the only source of allowed actions."""
from jingzhi.cases.rules import states_worked_by
from jingzhi.cases.workflow import (
    ACTION_SPECS,
    CREATE_ACTIONS,
    OPEN_STATES,
    STATE_STAGE,
    SYSTEM,
    TERMINAL_STATES,
    TRANSITIONS,
    CaseAction,
    State,
    transitions_markdown,
)
from jingzhi.org.models import Role


def test_every_state_is_reachable_from_a_report():
    reached, frontier = set(), {None}
    while frontier:
        reached |= frontier
        frontier = {t.target for t in TRANSITIONS if t.source in frontier} - reached
    assert reached - {None} == set(State.values)


def test_every_open_state_has_a_way_out_and_terminal_states_only_the_call_back():
    for state in OPEN_STATES:
        assert any(t.source == state and t.target != state for t in TRANSITIONS), state
    # A closed case is rated (回访评价, the state stays) and, if 不满意, reopened by the 值班长.
    assert {(t.source, t.action, t.role, t.target) for t in TRANSITIONS if t.source in TERMINAL_STATES} == {
        (State.CLOSED, CaseAction.EVALUATE, Role.CITIZEN, State.CLOSED),
        (State.CLOSED, CaseAction.EVALUATE, Role.INTAKE_OPERATOR, State.CLOSED),
        (State.CLOSED, CaseAction.REOPEN, Role.SHIFT_CHIEF, State.HANDLING),
    }


def test_roles_follow_the_national_split():
    by_action = {}
    for t in TRANSITIONS:
        by_action.setdefault(t.action, set()).add(t.role)
    assert by_action[CaseAction.FILE] == by_action[CaseAction.VOID] == by_action[CaseAction.CLOSE] == {Role.SHIFT_CHIEF}
    for action in (CaseAction.DISPATCH, CaseAction.POSTPONE_APPROVE, CaseAction.SUSPEND_APPROVE,
                   CaseAction.RETURN_REFUSE):
        assert by_action[action] == {Role.DISPATCHER}
    for action in (CaseAction.ACCEPT, CaseAction.REJECT, CaseAction.CONFIRM_ASSIGN, CaseAction.VERIFY_ASSIGN):
        assert by_action[action] == {Role.INTAKE_OPERATOR}
    for action in (CaseAction.CONFIRM, CaseAction.VERIFY_PASS, CaseAction.VERIFY_FAIL):
        assert by_action[action] == {Role.INSPECTOR}
    assert by_action[CaseAction.ESCALATE] == {SYSTEM}
    assert {t.role for t in TRANSITIONS} <= set(Role.values) | {SYSTEM}


def test_every_action_a_person_takes_has_a_spec_and_a_row():
    table_actions = {t.action for t in TRANSITIONS} - {*CREATE_ACTIONS, CaseAction.ESCALATE}
    assert table_actions == set(ACTION_SPECS)


def test_escalation_keeps_the_state_and_only_timed_states_escalate():
    escalations = [t for t in TRANSITIONS if t.action == CaseAction.ESCALATE]
    assert {t.source for t in escalations} == set(STATE_STAGE)
    assert all(t.source == t.target for t in escalations)


def test_queues_are_read_from_the_table():
    assert states_worked_by(Role.SHIFT_CHIEF) == [State.SELF_HANDLED, State.ACCEPTED, State.VERIFIED]
    assert states_worked_by(Role.INSPECTOR) == [State.CONFIRMING, State.VERIFYING]


def test_the_docs_show_the_table():
    from django.conf import settings

    text = (settings.PROJECT_DIR / "docs" / "cases.md").read_text(encoding="utf-8")
    block = text.split("<!-- workflow:start -->\n")[1].split("<!-- workflow:end -->")[0]
    assert block == transitions_markdown()
