"""Every row of ``workflow.TRANSITIONS`` taken once: a case is driven to the row's source state
through the services, the row's role acts, and the case lands in the row's target state with the
row's event. Also the clock rule of 挂账 (docs/cases.md): it stops the stage clock until 恢复处置
starts a fresh one."""
import datetime as dt

import pytest

from jingzhi.cases.acting import case_act
from jingzhi.cases.escalation import cases_escalate_overdue
from jingzhi.cases.models import CaseEvent
from jingzhi.cases.reporting import case_report
from jingzhi.cases.workflow import REPORT_SOURCES, SYSTEM, TRANSITIONS, CaseAction, Stage, State, Transition
from jingzhi.org.models import Role

from .conftest import at, jpeg_with_gps

#: Rows that drive a case along: everything a person does that changes the state, but the
#: self-handling path (a case closed by 自处理 has no call-back) and the terminal 作废/不予受理.
DRIVING = [t for t in TRANSITIONS if t.source is not None and t.source != t.target and t.role != SYSTEM
           and t.action not in (CaseAction.VOID, CaseAction.REJECT, CaseAction.MERGE, CaseAction.SELF_APPROVE,
                                CaseAction.SELF_REFUSE)]


def _path_to(state: str) -> list[Transition]:
    """The shortest run of driving rows from a citizen's report (待受理) to ``state``."""
    paths = {State.REPORTED: []}
    frontier = [State.REPORTED]
    while frontier:
        following = []
        for source in frontier:
            for row in DRIVING:
                if row.source == source and row.target not in paths:
                    paths[row.target] = [*paths[source], row]
                    following.append(row.target)
        frontier = following
    return paths[state]


def _row_id(row: Transition) -> str:
    return f"{row.source or 'new'}-{row.action}-{row.role}"


@pytest.fixture
def world(staff, make_category, make_case):
    """Who holds each role, what each action asks for, and a category with a 双十 step."""
    arriving = make_category("0501", "无照经营游商", on_site_steps=[
        {"name": "管理人员到场劝导", "value": 10, "unit": "natural_minutes"}])
    actors = {Role.INTAKE_OPERATOR: staff.intake, Role.SHIFT_CHIEF: staff.chief, Role.DISPATCHER: staff.dispatcher,
              Role.INSPECTOR: staff.inspector, Role.HANDLER: staff.handler_a, Role.CITIZEN: staff.citizen}

    def params(action: str) -> dict:
        return {
            CaseAction.CONFIRM_ASSIGN: lambda: {"inspector": staff.inspector},
            CaseAction.VERIFY_ASSIGN: lambda: {"inspector": staff.inspector},
            CaseAction.REJECT: lambda: {"reason": "invalid"},
            CaseAction.MERGE: lambda: {"duplicate_of": make_case(description="原案件")},
            CaseAction.HANDLE: lambda: {"photos": [("after", jpeg_with_gps())]},
            CaseAction.POSTPONE_REQUEST: lambda: {"extra_working_days": 2},
            CaseAction.EVALUATE: lambda: {"satisfaction": "satisfied"},
        }.get(action, dict)()

    def act(case, row: Transition, **extra):
        return case_act(case=case, action=row.action, actor=actors[row.role], comment="测试意见",
                        **{**params(row.action), **extra})

    return actors, arriving, act


@pytest.mark.parametrize("row", TRANSITIONS, ids=_row_id)
def test_every_row_of_the_table(row, world, staff, category, geography):
    actors, arriving, act = world
    lon, lat = geography.inside_a
    if row.source is None:  # creation: each reporting role with its own source
        handled = row.action == CaseAction.SELF_HANDLE
        case = case_report(reporter=actors[row.role], source=REPORT_SOURCES[row.role][0], category=category,
                           description="测试", lon=lon, lat=lat, self_handled=handled,
                           before_photos=[jpeg_with_gps()] if handled else (),
                           after_photos=[jpeg_with_gps()] if handled else ())
    elif row.source == State.SELF_HANDLED:
        case = case_report(reporter=staff.inspector, source="inspector", category=category, description="测试",
                           lon=lon, lat=lat, self_handled=True, before_photos=[jpeg_with_gps()],
                           after_photos=[jpeg_with_gps()])
    else:
        chosen = arriving if row.action == CaseAction.ON_SITE_ARRIVE else category
        case = case_report(reporter=staff.citizen, source="citizen", category=chosen, description="测试",
                           lon=lon, lat=lat)
        for step in _path_to(row.source):
            case = act(case, step)
        if row.action == CaseAction.REOPEN:  # 重办 follows a 不满意 call-back
            evaluate = next(t for t in TRANSITIONS if t.action == CaseAction.EVALUATE)
            case = act(case, evaluate, satisfaction="dissatisfied")
    if row.source is not None:
        assert case.state == row.source
        if row.role == SYSTEM:
            assert cases_escalate_overdue(now=case.stage_deadline + dt.timedelta(minutes=1)) == 1
        else:
            case = act(case, row)
    case.refresh_from_db()
    assert case.state == row.target
    event = CaseEvent.objects.filter(case=case).latest("created_at", "id")
    assert (event.action, event.from_state, event.to_state, event.actor_role) == (
        row.action, row.source or "", row.target, row.role)


def test_suspension_stops_the_clock_until_resumption_starts_a_fresh_one(make_case, staff):
    case = make_case(State.HANDLING, now=at("2024-06-11 10:00"))  # Tue; 处置 limit 2 working days
    assert case.stage == Stage.HANDLE and case.stage_deadline == at("2024-06-13 10:00")
    case = case_act(case=case, action=CaseAction.SUSPEND_REQUEST, actor=staff.handler_a, comment="待拆迁",
                    now=at("2024-06-11 11:00"))
    assert case.stage_deadline == at("2024-06-13 10:00")  # asking runs on the same clock
    case = case_act(case=case, action=CaseAction.SUSPEND_APPROVE, actor=staff.dispatcher, now=at("2024-06-11 14:00"))
    assert (case.state, case.stage, case.stage_deadline, case.stage_started_at) == (State.SUSPENDED, "", None, None)
    assert CaseEvent.objects.filter(case=case).latest("id").done_in_time is True
    assert cases_escalate_overdue(now=at("2024-07-31 10:00")) == 0  # a stopped clock is never late
    case = case_act(case=case, action=CaseAction.RESUME, actor=staff.dispatcher, now=at("2024-08-01 10:00"))  # Thu
    assert (case.state, case.stage, case.stage_started_at) == (State.HANDLING, Stage.HANDLE, at("2024-08-01 10:00"))
    assert case.stage_deadline == at("2024-08-05 10:00")  # two fresh working days, over the weekend
    assert cases_escalate_overdue(now=at("2024-08-05 10:00")) == 0
    assert cases_escalate_overdue(now=at("2024-08-05 10:01")) == 1
