"""Two dispatchers act on the same case at the same moment: exactly one wins (PostgreSQL row lock)."""
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from jingzhi.cases import effects
from jingzhi.cases.acting import case_act
from jingzhi.cases.errors import CaseTransitionIllegal
from jingzhi.cases.models import Case, CaseEvent
from jingzhi.cases.workflow import CaseAction, State
from jingzhi.org.models import Role

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises whole transactions; the row-lock race needs PostgreSQL")


def test_two_dispatchers_at_once_exactly_one_wins(staff, geography, make_case, make_user, monkeypatch):
    case = make_case(State.FILED)
    second_dispatcher = make_user(Role.DISPATCHER, username="dispatcher2")
    slow_dispatch = effects.EFFECTS[CaseAction.DISPATCH]

    def dispatch_slowly(*args, **kwargs):
        time.sleep(0.3)  # widen the window in which both would otherwise read "filed"
        return slow_dispatch(*args, **kwargs)

    monkeypatch.setitem(effects.EFFECTS, CaseAction.DISPATCH, dispatch_slowly)
    start = threading.Barrier(2)
    outcomes = {}

    def dispatch(dispatcher, department):
        start.wait()
        try:
            case_act(case=case.pk, action=CaseAction.DISPATCH, actor=dispatcher, department=department,
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
    assert CaseEvent.objects.filter(case=case, action=CaseAction.DISPATCH).count() == 1
    case.refresh_from_db()
    winner = next(name for name, outcome in outcomes.items() if outcome == "won")
    expected = geography.district_a if winner == "dispatcher" else geography.district_b
    assert case.state == State.DISPATCHED and case.department == expected


def test_a_case_voided_meanwhile_does_not_gain_a_duplicate(staff, make_case, monkeypatch):
    """The 值班长 voids the original while the 受理员 merges a report into it (holding a copy read
    before the void): the merge finds the original locked and is refused, asked to retry."""
    original = make_case(State.FILED)
    duplicate = make_case(State.REPORTED)
    stale_original = Case.objects.get(pk=original.pk)

    def void_slowly(*args, **kwargs):
        time.sleep(0.4)  # hold the original's row lock while the merge arrives
        return {}

    monkeypatch.setitem(effects.EFFECTS, CaseAction.VOID, void_slowly)
    outcomes = {}

    def act(name, **kwargs):
        try:
            case_act(**kwargs)
            outcomes[name] = "done"
        except ValidationError:
            outcomes[name] = "refused"
        finally:
            connection.close()

    void = threading.Thread(target=act, args=("void",), kwargs={
        "case": original.pk, "action": CaseAction.VOID, "actor": staff.chief, "comment": "重复立案"})
    merge = threading.Thread(target=act, args=("merge",), kwargs={
        "case": duplicate.pk, "action": CaseAction.MERGE, "actor": staff.intake, "duplicate_of": stale_original})
    void.start()
    time.sleep(0.15)
    merge.start()
    void.join()
    merge.join()
    assert outcomes == {"void": "done", "merge": "refused"}, outcomes
    assert Case.objects.get(pk=duplicate.pk).state == State.REPORTED
    assert not CaseEvent.objects.filter(action=CaseAction.MERGE).exists()


def test_a_retry_sent_while_the_first_action_runs_gets_the_first_answer(staff, make_case, api_client_for,
                                                                        monkeypatch):
    """A phone times out on 核查通过 and sends it again with the same key while the server is still
    working: the retry waits on the case's lock, finds the case moved on, and answers with the
    first response instead of a 409."""
    case = make_case(State.VERIFYING)
    effect = effects.EFFECTS.get(CaseAction.VERIFY_PASS)

    def verify_slowly(case, **kwargs):
        time.sleep(0.5)
        return effect(case, **kwargs) if effect else {}

    monkeypatch.setitem(effects.EFFECTS, CaseAction.VERIFY_PASS, verify_slowly)
    answers = {}

    def post(name):
        try:
            answers[name] = api_client_for(staff.inspector).post(
                f"/api/cases/cases/{case.pk}/verify_pass/", {"comment": "已整改"}, format="json",
                HTTP_IDEMPOTENCY_KEY="phone-retry-1")
        finally:
            connection.close()

    first = threading.Thread(target=post, args=("first",))
    retry = threading.Thread(target=post, args=("retry",))
    first.start()
    time.sleep(0.2)
    retry.start()
    first.join()
    retry.join()
    assert (answers["first"].status_code, answers["retry"].status_code) == (200, 200)
    assert answers["retry"]["Idempotent-Replayed"] == "true" and answers["retry"].json() == answers["first"].json()
    assert CaseEvent.objects.filter(case=case, action=CaseAction.VERIFY_PASS).count() == 1


def test_two_opposite_merges_at_once_do_not_deadlock(staff, make_case, monkeypatch):
    """A merged into B while B is merged into A: each holds its own case's lock; neither waits for
    the other's (NOWAIT), so one is refused at once instead of a deadlock error (a 500)."""
    first, second = make_case(State.REPORTED), make_case(State.REPORTED)
    merge = effects.EFFECTS[CaseAction.MERGE]

    both_locked = threading.Barrier(2, timeout=10)

    def merge_slowly(*args, **kwargs):
        both_locked.wait()  # both hold their own case's lock before either reaches for the other
        return merge(*args, **kwargs)

    monkeypatch.setitem(effects.EFFECTS, CaseAction.MERGE, merge_slowly)
    outcomes = {}

    def act(case, original):
        try:
            case_act(case=case.pk, action=CaseAction.MERGE, actor=staff.intake, duplicate_of=original)
            outcomes[case.pk] = "merged"
        except ValidationError as error:
            outcomes[case.pk] = error.message_dict["duplicate_of"][0]
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(first, second)), threading.Thread(target=act, args=(second, first))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # The first to reach for the other's row is refused; its rollback frees its own row, so the
    # second may then merge. Never both, never a deadlock error.
    refused = "原案件正在被他人处理，请稍后重试。"
    assert set(outcomes) == {first.pk, second.pk} and list(outcomes.values()).count(refused) >= 1
    merged = [pk for pk, outcome in outcomes.items() if outcome == "merged"]
    assert Case.objects.filter(state=State.REJECTED).count() == len(merged) <= 1
    assert CaseEvent.objects.filter(action=CaseAction.MERGE).count() == 2 * len(merged)  # on both histories
