"""Honest outcomes: every way a case ends records how (fixed, or not fixed with a reason), through
the API; 结案 without a fix needs a reason; 重办 clears the outcome until the case ends again."""
import pytest

from jingzhi.cases.models import Case
from jingzhi.cases.workflow import State


def act(client, case, action, **data):
    return client.post(f"/api/cases/cases/{case.pk}/{action}/", data, format="json")


def test_close_defaults_to_fixed(staff, make_case, api_client_for):
    case = make_case(State.VERIFIED)
    assert act(api_client_for(staff.chief), case, "close").status_code == 200
    case.refresh_from_db()
    assert (case.state, case.outcome, case.outcome_reason) == (State.CLOSED, "fixed", "")
    assert case.events.last().data == {"outcome": "fixed", "outcome_reason": ""}


def test_close_not_fixed_needs_a_reason(staff, make_case, api_client_for):
    case = make_case(State.VERIFIED)
    chief = api_client_for(staff.chief)
    response = act(chief, case, "close", outcome="not_fixed")
    assert response.status_code == 400 and "outcome_reason" in response.json()
    case.refresh_from_db()
    assert case.state == State.VERIFIED and case.outcome == ""
    # 重复上报 is not a reason a 值班长 gives at 结案 (合并重复 records it).
    assert act(chief, case, "close", outcome="not_fixed", outcome_reason="duplicate").status_code == 400
    assert act(chief, case, "close", outcome="not_fixed", outcome_reason="not_feasible").status_code == 200
    case.refresh_from_db()
    assert (case.state, case.outcome, case.outcome_reason) == (State.CLOSED, "not_fixed", "not_feasible")


@pytest.mark.parametrize(("action", "data", "reason"), [
    ("reject", {"reason": "out_of_scope", "comment": "不归城管"}, "out_of_scope"),
    ("void", {"comment": "立案有误"}, "voided"),
])
def test_refusals_and_voids_are_not_fixed(staff, make_case, api_client_for, action, data, reason):
    case = make_case(State.REPORTED if action == "reject" else State.FILED)
    user = staff.intake if action == "reject" else staff.chief
    assert act(api_client_for(user), case, action, **data).status_code == 200
    case.refresh_from_db()
    assert (case.outcome, case.outcome_reason) == ("not_fixed", reason)


def test_merge_is_a_duplicate_not_fixed(staff, make_case, api_client_for):
    original, duplicate = make_case(State.FILED), make_case()
    response = act(api_client_for(staff.intake), duplicate, "merge", duplicate_of=original.number)
    assert response.status_code == 200
    duplicate.refresh_from_db()
    assert (duplicate.outcome, duplicate.outcome_reason) == ("not_fixed", "duplicate")
    assert Case.objects.get(pk=original.pk).outcome == ""


def test_reopen_clears_the_outcome(staff, make_case, api_client_for):
    case = make_case(State.CLOSED)
    assert case.outcome == "fixed"
    assert act(api_client_for(staff.citizen), case, "evaluate", satisfaction="dissatisfied").status_code == 200
    assert act(api_client_for(staff.chief), case, "reopen", comment="群众不满意").status_code == 200
    case.refresh_from_db()
    assert (case.state, case.outcome) == (State.HANDLING, "")
