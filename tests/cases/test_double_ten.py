"""The seed's 双十 standard (task 10): for street vending a manager is on site within 10 minutes,
and if persuasion fails an enforcement officer within another 10 minutes. Both arrivals are
recorded and checked; a missed one escalates before the stage's own 20-minute limit."""
import pytest

from jingzhi.cases.escalation import cases_escalate_overdue
from jingzhi.cases.models import CaseEvent
from jingzhi.cases.workflow import State

from .conftest import at

pytestmark = pytest.mark.django_db

DOUBLE_TEN = [
    {"name": "管理人员到场劝导", "value": 10, "unit": "natural_minutes"},
    {"name": "执法人员到场下达责令整改通知书", "value": 10, "unit": "natural_minutes"},
]


@pytest.fixture
def vending(make_category):
    return make_category("0501", "无照经营游商", on_site_steps=DOUBLE_TEN,
                         dispatch=(5, "natural_minutes"), handle=(20, "natural_minutes"))


def arrive(client, case, **data):
    return client.post(f"/api/cases/cases/{case.pk}/on_site_arrive/", data, format="json")


def test_both_arrivals_are_recorded_and_checked(staff, vending, make_case, api_client_for, clock, photo):
    case = make_case(State.DISPATCHED, category=vending, now=at("2024-06-11 10:00"))
    assert case.stage_deadline == at("2024-06-11 10:20")  # 20 natural minutes
    handler = api_client_for(staff.handler_a)
    clock.set("2024-06-11 10:09")
    data = arrive(handler, case, arrived_at="2024-06-11T10:08:00+08:00").json()
    assert data["state"] == State.HANDLING  # arriving signs for the case
    steps = data["on_site_steps"]
    assert steps[0]["due_at"] == at("2024-06-11 10:10").isoformat() and steps[0]["done_in_time"] is True
    assert steps[1]["due_at"] == at("2024-06-11 10:18").isoformat()  # 10 minutes after the first arrival

    # Persuasion failed; the enforcement officer is late: escalated at 10:19, before the 10:20 stage limit.
    assert cases_escalate_overdue(now=at("2024-06-11 10:19")) == 1
    escalation = CaseEvent.objects.get(case=case, action="escalate")
    assert escalation.data["step"] == 2
    clock.set("2024-06-11 10:21")
    data = arrive(handler, case, step=2, arrived_at="2024-06-11T10:19:30+08:00").json()
    assert data["on_site_steps"][1]["done_in_time"] is False
    assert arrive(handler, case).status_code == 400  # nothing left to record
    clock.set("2024-06-11 10:25")
    response = handler.post(f"/api/cases/cases/{case.pk}/handle/", {"after_photos": [photo()]}, format="multipart")
    assert response.json()["state"] == State.HANDLED


def test_handling_needs_the_first_arrival(staff, vending, make_case, api_client_for, clock, photo):
    case = make_case(State.HANDLING, category=vending, now=at("2024-06-11 10:00"))
    clock.set("2024-06-11 10:09")
    response = api_client_for(staff.handler_a).post(
        f"/api/cases/cases/{case.pk}/handle/", {"after_photos": [photo()]}, format="multipart")
    assert response.status_code == 400 and "管理人员到场劝导" in response.json()["step"][0]


def test_a_missed_first_arrival_escalates_at_ten_minutes(staff, vending, make_case):
    case = make_case(State.DISPATCHED, category=vending, now=at("2024-06-11 10:00"))
    assert cases_escalate_overdue(now=at("2024-06-11 10:10")) == 0
    assert cases_escalate_overdue(now=at("2024-06-11 10:11")) == 1
    assert CaseEvent.objects.get(case=case, action="escalate").data["step"] == 1


def test_arrivals_must_be_in_order_and_in_the_past(staff, vending, make_case, api_client_for, clock):
    case = make_case(State.DISPATCHED, category=vending, now=at("2024-06-11 10:00"))
    handler = api_client_for(staff.handler_a)
    clock.set("2024-06-11 10:05")
    assert arrive(handler, case, step=2).status_code == 400
    assert arrive(handler, case, arrived_at="2024-06-11T10:30:00+08:00").status_code == 400
    assert arrive(handler, case, arrived_at="2024-06-11T09:00:00+08:00").status_code == 400
    assert arrive(handler, case).status_code == 200


def test_a_category_without_on_site_steps_offers_no_arrival(staff, make_case, api_client_for, client):
    case = make_case(State.DISPATCHED)
    response = api_client_for(staff.handler_a).post(f"/api/cases/cases/{case.pk}/on_site_arrive/", {}, format="json")
    assert response.status_code == 409
    client.force_login(staff.handler_a)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-action="receive"' in html and 'data-action="on_site_arrive"' not in html


def test_a_late_arrival_is_overdue_everywhere_before_the_stage_limit(staff, vending, make_case, api_client_for,
                                                                     clock, client):
    """One definition of overdue: a missed 双十 arrival makes the case overdue in the API's field,
    the list filter, the overview and the escalation job alike, while the stage's own limit runs."""
    case = make_case(State.DISPATCHED, category=vending, now=at("2024-06-11 10:00"))
    api = api_client_for(staff.chief)
    clock.set("2024-06-11 10:10")
    assert api.get(f"/api/cases/cases/{case.pk}/").json()["overdue"] is False
    assert api.get("/api/cases/cases/?overdue=true").json()["count"] == 0

    clock.set("2024-06-11 10:11")  # the first arrival is late; the stage ends at 10:20
    assert case.stage_deadline == at("2024-06-11 10:20")
    assert api.get(f"/api/cases/cases/{case.pk}/").json()["overdue"] is True
    listed = api.get("/api/cases/cases/?overdue=true").json()
    assert [row["id"] for row in listed["results"]] == [case.pk] and listed["results"][0]["overdue"] is True
    client.force_login(staff.chief)
    assert case.number in client.get("/cases/search/?overdue=on").content.decode()
    overview = client.get("/cases/overview/").content.decode()
    assert case.number in overview.split("超时案件")[1].split("</section>")[0]
    assert cases_escalate_overdue(now=at("2024-06-11 10:11")) == 1
    # Still overdue once escalated (the job only flags it once).
    assert api.get(f"/api/cases/cases/{case.pk}/").json()["overdue"] is True
