"""A small fixed month of records (March 2026) whose every assessment number is worked by hand
in test_hand_worked.py. Cases and events are written directly (not through the workflow) so each
fact the indicators count is set on purpose, then the daily rollup is rebuilt as after a back-fill;
tests of the workflow's own writes (outcomes, the rollup kept as cases move) are in
test_outcomes.py and test_rollup.py."""
import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from jingzhi.assessment.rollup import rollup_rebuild
from jingzhi.cases.models import Case, CaseEvent, Category, CategoryClass, CategoryKind, DepartmentRule
from jingzhi.cases.workflow import CaseAction as A
from jingzhi.cases.workflow import State
from jingzhi.org.models import Role, UnitKind
from tests.cases.conftest import category, geography, make_case, make_category, staff  # noqa: F401 (fixtures)


def at(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(text))


@dataclass
class World:
    districts: dict
    departments: dict
    users: dict
    cases: list = field(default_factory=list)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db, make_unit, make_user):
    districts = {name: make_unit(name, kind=UnitKind.DISTRICT) for name in ("甲区", "乙区", "丙区", "丁区")}
    departments = {name: make_unit(name) for name in ("环卫处", "市政处", "园林处")}
    users = {
        "I1": make_user(Role.INSPECTOR, username="i1", display_name="监督员一"),
        "I2": make_user(Role.INSPECTOR, username="i2", display_name="监督员二"),
        "C1": make_user(Role.SHIFT_CHIEF, username="c1", display_name="值班长一"),
        "S1": make_user(Role.DISPATCHER, username="s1", display_name="派遣员一"),
        "O1": make_user(Role.INTAKE_OPERATOR, username="o1", display_name="受理员一"),
        "H": make_user(Role.HANDLER, username="h1"),
        "citizen": make_user(Role.CITIZEN, username="cz"),
    }
    klass = CategoryClass.objects.create(kind=CategoryKind.EVENT, code="01", name="市容环境")
    litter = Category.objects.create(category_class=klass, code="0101", name="暴露垃圾",
                                       department_rule=DepartmentRule.DISTRICT, time_limits={})
    w = World(districts, departments, users)
    number = iter(range(1, 1000))
    u = users

    def event(case, action, user, role, when, *, done=None, deadline=None, to=State.HANDLING, **data):
        CaseEvent.objects.create(case=case, action=action, actor=user, actor_role=role, created_at=when,
                                 done_in_time=done, stage_deadline=deadline, to_state=to, data=data)

    def case(district, department, day, *, public=False, end="closed", late_file=False, late_handle=False,
             late_verify=False, verify=False, rework=0, satisfaction="", returned=False, filed=True):
        """One case reported on March ``day`` 09:00, and its events the same day."""
        t = at(f"2026-03-{day:02d} 09:00")
        hour = dt.timedelta(hours=1)
        state = {"closed": State.CLOSED, "not_fixed": State.CLOSED, "rejected": State.REJECTED,
                 "voided": State.VOIDED, "open": State.HANDLING}[end]
        outcome = {"closed": "fixed", "not_fixed": "not_fixed", "rejected": "not_fixed", "voided": "not_fixed"}
        reason = {"not_fixed": "not_feasible", "rejected": "invalid", "voided": "voided"}
        c = Case.objects.create(
            number=f"T{next(number):04d}", category=litter, description="测试", lon=113.6, lat=34.7,
            source="citizen" if public else "inspector", district=district,
            department=department if filed and end != "voided" else None, state=state,
            outcome=outcome.get(end, ""), outcome_reason=reason.get(end, ""), rework_count=rework,
            satisfaction=satisfaction, created_at=t, reject_reason="invalid" if end == "rejected" else "",
        )
        reporter, role = (u["citizen"], Role.CITIZEN) if public else (u["I1"], Role.INSPECTOR)
        event(c, A.REPORT, reporter, role, t, deadline=t + 4 * hour, to=State.REPORTED)
        if public:
            event(c, A.CONFIRM_ASSIGN, u["O1"], Role.INTAKE_OPERATOR, t + 0.25 * hour, deadline=t + 4 * hour)
            event(c, A.CONFIRM, u["I1"], Role.INSPECTOR, t + 0.5 * hour, deadline=t + 4 * hour, problem_exists=True)
        if end == "rejected":
            event(c, A.REJECT, u["O1"], Role.INTAKE_OPERATOR, t + hour, done=True, to=State.REJECTED)
            w.cases.append(c)
            return c
        event(c, A.ACCEPT, u["O1"], Role.INTAKE_OPERATOR, t + hour, deadline=t + 4 * hour, to=State.ACCEPTED)
        event(c, A.FILE, u["C1"], Role.SHIFT_CHIEF, t + 2 * hour, done=not late_file, to=State.FILED)
        if end == "voided":
            event(c, A.VOID, u["C1"], Role.SHIFT_CHIEF, t + 3 * hour, to=State.VOIDED)
            w.cases.append(c)
            return c
        event(c, A.DISPATCH, u["S1"], Role.DISPATCHER, t + 2.2 * hour, done=True, to=State.DISPATCHED)
        if returned:
            event(c, A.RETURN, u["H"], Role.HANDLER, t + 2.4 * hour, done=True, to=State.RETURNED)
            event(c, A.DISPATCH, u["S1"], Role.DISPATCHER, t + 2.5 * hour, done=True, to=State.DISPATCHED)
        event(c, A.HANDLE, u["H"], Role.HANDLER, t + 4 * hour, done=not late_handle, to=State.HANDLED)
        if verify:
            event(c, A.VERIFY_ASSIGN, u["O1"], Role.INTAKE_OPERATOR, t + 4.2 * hour, deadline=t + 5 * hour,
                  to=State.VERIFYING)
            event(c, A.VERIFY_PASS, u["I1"], Role.INSPECTOR, t + 4.5 * hour, done=not late_verify,
                  to=State.VERIFIED)
        if end in ("closed", "not_fixed"):
            event(c, A.CLOSE, u["C1"], Role.SHIFT_CHIEF, t + 5 * hour, to=State.CLOSED)
        w.cases.append(c)
        return c

    d, p = districts, departments
    # 甲区 → 环卫处: six cases closed fixed (one public, rated 满意; three verified on time, one
    # dispatched wrongly and 退回), plus two reports refused as invalid.
    case(d["甲区"], p["环卫处"], 2, public=True, satisfaction="satisfied")
    case(d["甲区"], p["环卫处"], 3, verify=True, returned=True)
    case(d["甲区"], p["环卫处"], 4, verify=True)
    case(d["甲区"], p["环卫处"], 5, verify=True)
    case(d["甲区"], p["环卫处"], 6)
    case(d["甲区"], p["环卫处"], 7)
    case(d["甲区"], None, 8, end="rejected")
    case(d["甲区"], None, 9, end="rejected")
    # 乙区 → 市政处 and 丙区 → 园林处, identical (a tie): six closed, three of them not fixed, one
    # handled late (and 核查 late in 乙区), one reworked.
    for name, department in (("乙区", "市政处"), ("丙区", "园林处")):
        case(d[name], p[department], 10, late_handle=True, verify=name == "乙区", late_verify=True, rework=1)
        case(d[name], p[department], 11, end="not_fixed")
        case(d[name], p[department], 12, end="not_fixed")
        case(d[name], p[department], 13, end="not_fixed")
        case(d[name], p[department], 14)
        case(d[name], p[department], 15)
    # 丁区 → 环卫处: under the minimum volume: two closed (filed late), one voided after 立案.
    case(d["丁区"], p["环卫处"], 16, late_file=True)
    case(d["丁区"], p["环卫处"], 17, late_file=True)
    case(d["丁区"], p["环卫处"], 18, end="voided")
    # An open case of 乙区/市政处 filed in February whose handle deadline passed: overdue, nothing else.
    old = Case.objects.create(number="T0999", category=litter, description="积压", lon=113.6, lat=34.7,
                              source="inspector", district=d["乙区"], department=p["市政处"], state=State.HANDLING,
                              stage="handle", stage_deadline=at("2026-03-01 12:00"),
                              created_at=at("2026-02-20 09:00"))
    w.cases.append(old)
    # Written directly, like a back-fill: the daily rollup is recounted as after one.
    rollup_rebuild(start=dt.date(2026, 2, 1), end=dt.date(2026, 4, 1))
    return w


@pytest.fixture
def people(world, make_user):
    """Readers of the results: the plan office, a leader, 甲区's unit reporter and a citizen."""
    return {
        "office": make_user(Role.PLAN_OFFICE, username="office"),
        "leader": make_user(Role.LEADER, username="leader"),
        "jia": make_user(Role.UNIT_REPORTER, unit=world.districts["甲区"], username="jia"),
        "citizen": world.users["citizen"],
    }
