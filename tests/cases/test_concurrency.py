"""Two dispatchers act on the same case at the same moment: exactly one wins (PostgreSQL row lock)."""
import threading
import time

import pytest
from django.db import connection

from jingzhi.cases import services
from jingzhi.cases.models import CaseEvent
from jingzhi.cases.services import CaseTransitionIllegal, case_act
from jingzhi.cases.workflow import Action, State
from jingzhi.org.models import Role

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises whole transactions; the row-lock race needs PostgreSQL")


def test_two_dispatchers_at_once_exactly_one_wins(staff, geography, make_case, make_user, monkeypatch):
    case = make_case(State.FILED)
    second_dispatcher = make_user(Role.DISPATCHER, username="dispatcher2")
    slow_dispatch = services.EFFECTS[Action.DISPATCH]

    def dispatch_slowly(*args, **kwargs):
        time.sleep(0.3)  # widen the window in which both would otherwise read "filed"
        return slow_dispatch(*args, **kwargs)

    monkeypatch.setitem(services.EFFECTS, Action.DISPATCH, dispatch_slowly)
    start = threading.Barrier(2)
    outcomes = {}

    def dispatch(dispatcher, department):
        start.wait()
        try:
            case_act(case=case.pk, action=Action.DISPATCH, actor=dispatcher, department=department,
                     override_reason="并发测试")
            outcomes[dispatcher.username] = "won"
        except CaseTransitionIllegal:
            outcomes[dispatcher.username] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatch, args=(staff.dispatcher, geography.district_a)),
               threading.Thread(target=dispatch, args=(second_dispatcher, geography.district_b))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["refused", "won"]
    assert CaseEvent.objects.filter(case=case, action=Action.DISPATCH).count() == 1
    case.refresh_from_db()
    winner = next(name for name, outcome in outcomes.items() if outcome == "won")
    expected = geography.district_a if winner == "dispatcher" else geography.district_b
    assert case.state == State.DISPATCHED and case.department == expected
