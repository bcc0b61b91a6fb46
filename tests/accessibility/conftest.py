"""The accessibility tests reuse the case and plan tests' fixtures: the test geography, categories, one
user per role, cases driven through the services, a small plan; ``world`` puts records in every queue."""
import datetime as dt
from decimal import Decimal

import pytest

from jingzhi.cases.models import Case
from jingzhi.cases.reporter_keys import reporter_key
from jingzhi.cases.workflow import State
from jingzhi.org.models import Role
from jingzhi.plans.models import Indicator
from jingzhi.plans.services import progress_report_create
from tests.cases.conftest import (  # noqa: F401 (fixtures)
    _fast_password_hashing,
    category,
    clock,
    geography,
    make_case,
    make_category,
    photo,
    staff,
)
from tests.plans.conftest import REVIEW_DATE, people, progress, small_plan, units  # noqa: F401 (fixtures)


@pytest.fixture
def world(staff, make_case, make_user, units, small_plan, geography):  # noqa: F811 (the fixtures above)
    """The records the pages show: cases in each queue, a plan with progress (lagging, on track, done)."""
    cgj = make_user(Role.UNIT_REPORTER, unit=units["市城管局"], username="cgj-a11y")
    yuanlin = make_user(Role.UNIT_REPORTER, unit=units["市园林局"], username="yuanlin-a11y")
    for user, code, value in ((cgj, "toilets", "850"), (cgj, "class1-share", "31"), (yuanlin, "old-areas", "9")):
        indicator = Indicator.objects.get(code=code)
        progress_report_create(user=user, indicator=indicator, value=Decimal(value), measure_unit=indicator.unit,
                               measured_on=REVIEW_DATE - dt.timedelta(days=10), evidence=[])
    lagging, own = Indicator.objects.get(code="old-areas").task_id, Indicator.objects.get(code="toilets").task_id
    closed = make_case(State.CLOSED, description="人行道井盖缺失")
    anonymous = make_case(State.CLOSED, description="路灯不亮")  # reported on the portal without an account:
    Case.objects.filter(pk=anonymous.pk).update(reporter=None)  # rated through its receipt's private link
    anonymous.refresh_from_db()
    handling = make_case(State.HANDLING)
    reported = make_case(State.REPORTED, reporter=staff.inspector)
    for until in (State.ACCEPTED, State.FILED, State.DISPATCHED, State.HANDLED, State.VERIFYING):
        make_case(until)
    users = {"citizen": staff.citizen, "leader": staff.leader, "intake": staff.intake, "chief": staff.chief,
             "dispatcher": staff.dispatcher, "inspector": staff.inspector, "handler": staff.handler_a,
             "office": make_user(Role.PLAN_OFFICE, username="office-a11y"), "cgj": cgj}
    return {
        "users": users,
        "closed_number": closed.number, "closed_case": closed.pk, "handling_case": handling.pk,
        "reported_case": reported.pk, "anonymous_number": anonymous.number,
        "anonymous_key": reporter_key(anonymous), "lagging_task": lagging, "cgj_task": own,
    }
