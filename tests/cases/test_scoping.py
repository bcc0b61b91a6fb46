"""Who sees which cases, and whose personal data is masked."""
import pytest

from jingzhi.cases.workflow import State
from jingzhi.org.models import Role, UnitKind

pytestmark = pytest.mark.django_db


def numbers(client, **params):
    response = client.get("/api/cases/cases/", params)
    assert response.status_code == 200
    return {row["number"] for row in response.json()["results"]}


@pytest.fixture
def cases(staff, geography, make_case, make_unit, make_user):
    gardens = make_unit("市园林局", kind=UnitKind.CITY_BUREAU)
    return {
        "a_reported": make_case(State.REPORTED, where="a"),
        "a_dispatched": make_case(State.DISPATCHED, where="a"),
        "b_dispatched": make_case(State.DISPATCHED, where="b", reporter=staff.other_citizen),
        "a_to_gardens": make_case(State.DISPATCHED, where="a", department=gardens, reporter=staff.inspector),
        "b_verifying": make_case(State.VERIFYING, where="b", reporter=staff.other_citizen),
        "gardens_handler": make_user(Role.HANDLER, unit=gardens),
    }


def test_the_command_centre_and_leaders_see_everything(staff, cases, api_client_for):
    everything = {c.number for c in cases.values() if hasattr(c, "number")}
    for user in (staff.intake, staff.chief, staff.dispatcher, staff.leader):
        assert numbers(api_client_for(user)) == everything


def test_a_department_sees_only_cases_dispatched_to_it(cases, api_client_for):
    assert numbers(api_client_for(cases["gardens_handler"])) == {cases["a_to_gardens"].number}


def test_a_district_sees_cases_in_its_area(staff, cases, api_client_for):
    assert numbers(api_client_for(staff.handler_b)) == {cases["b_dispatched"].number, cases["b_verifying"].number}
    seen_by_a = numbers(api_client_for(staff.handler_a))
    assert seen_by_a == {cases["a_reported"].number, cases["a_dispatched"].number, cases["a_to_gardens"].number}


def test_an_inspector_sees_own_reports_and_tasks(staff, cases, api_client_for):
    assert numbers(api_client_for(staff.inspector)) == {cases["a_to_gardens"].number, cases["b_verifying"].number}
    assert numbers(api_client_for(staff.other_inspector)) == set()


def test_a_citizen_sees_only_own_reports(staff, cases, api_client_for):
    assert numbers(api_client_for(staff.other_citizen)) == {cases["b_dispatched"].number,
                                                            cases["b_verifying"].number}
    client = api_client_for(staff.citizen)
    assert client.get(f"/api/cases/cases/{cases['b_dispatched'].pk}/").status_code == 404


def test_personal_data_is_masked_outside_the_command_centre(staff, cases, api_client_for):
    case = cases["b_dispatched"]  # reporter_name 王五, phone 13700002222
    url = f"/api/cases/cases/{case.pk}/"
    for user in (staff.handler_b, staff.leader):
        data = api_client_for(user).get(url).json()
        assert (data["reporter_name"], data["reporter_phone"]) == ("王*", "137****2222")
    for user in (staff.intake, staff.dispatcher, staff.other_citizen):
        data = api_client_for(user).get(url).json()
        assert (data["reporter_name"], data["reporter_phone"]) == ("王五", "13700002222")


def test_the_list_filters(staff, cases, geography, api_client_for):
    client = api_client_for(staff.intake)
    assert numbers(client, state="verifying") == {cases["b_verifying"].number}
    assert numbers(client, district=geography.district_b.pk) == {cases["b_dispatched"].number,
                                                                 cases["b_verifying"].number}
    assert numbers(client, grid=geography.grid_code_b[:12]) == numbers(client, district=geography.district_b.pk)
    assert numbers(client, source="inspector") == {cases["a_to_gardens"].number}
    assert numbers(client, q=cases["a_reported"].number) == {cases["a_reported"].number}
    assert numbers(client, date_from="2099-01-01") == set()
