"""合并重复: the duplicate is closed as 不予受理 and both histories record the merge."""
import pytest

from jingzhi.cases.models import Case, CaseEvent
from jingzhi.cases.workflow import State

pytestmark = pytest.mark.django_db


def merge(client, case, number):
    return client.post(f"/api/cases/cases/{case.pk}/merge/", {"duplicate_of": number, "comment": "同一处垃圾"},
                       format="json")


def history(case):
    return list(CaseEvent.objects.filter(case=case).values_list("action", "from_state", "to_state"))


def test_merging_records_the_merge_on_both_cases(staff, make_case, api_client_for, client):
    original = make_case(State.DISPATCHED, reporter=staff.other_citizen)
    duplicate = make_case(State.REPORTED)
    original_before = Case.objects.get(pk=original.pk)
    response = merge(api_client_for(staff.intake), duplicate, original.number)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["state"], data["reject_reason"], data["duplicate_of"]) == ("rejected", "duplicate", original.pk)

    original.refresh_from_db()
    assert (original.state, original.stage_deadline, original.updated_at) == (
        original_before.state, original_before.stage_deadline, original_before.updated_at)
    event = CaseEvent.objects.filter(case=original).last()
    assert (event.action, event.from_state, event.to_state, event.actor, event.actor_role) == (
        "merge", "dispatched", "dispatched", staff.intake, "intake_operator")
    assert event.data == {"merged_case": duplicate.pk, "merged_case_number": duplicate.number}
    assert event.stage_deadline == original.stage_deadline
    assert history(duplicate)[-1] == ("merge", "reported", "rejected")

    client.force_login(staff.intake)
    page = client.get(f"/cases/{original.pk}/").content.decode()
    assert f'href="/cases/{duplicate.pk}/">{duplicate.number}</a>' in page


@pytest.mark.parametrize("target", ["self", "rejected", "unknown"])
def test_bad_originals_are_refused_and_nothing_is_written(staff, make_case, api_client_for, target):
    duplicate = make_case(State.REPORTED)
    rejected = make_case(State.REPORTED)
    Case.objects.filter(pk=rejected.pk).update(state=State.REJECTED)
    number = {"self": duplicate.number, "rejected": rejected.number, "unknown": "E9999200001010"}[target]
    before = (history(duplicate), history(rejected))
    response = merge(api_client_for(staff.intake), duplicate, number)
    assert response.status_code == 400 and "duplicate_of" in response.json()
    assert (history(duplicate), history(rejected)) == before
    assert Case.objects.get(pk=duplicate.pk).state == State.REPORTED


def test_only_the_intake_operator_merges(staff, make_case, api_client_for):
    original = make_case(State.FILED)
    duplicate = make_case(State.REPORTED)
    before = (history(original), history(duplicate))
    for user in (staff.dispatcher, staff.chief):
        assert merge(api_client_for(user), duplicate, original.number).status_code == 403
    assert (history(original), history(duplicate)) == before
