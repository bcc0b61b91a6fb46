"""Which units a case may be dispatched to is one rule (``selectors.dispatch_units``): the console
offers those units, and the API, the page form and the service refuse any other (issue 7 §1)."""
import pytest
from django.core.exceptions import ValidationError

from jingzhi.cases.acting import case_act
from jingzhi.cases.workflow import CaseAction, State
from jingzhi.org.models import UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(make_unit, geography):
    return make_unit("测试社区", kind=UnitKind.COMMUNITY, parent=geography.district_a)


def assert_unchanged(case):
    events = case.events.count()
    case.refresh_from_db()
    assert case.state == State.FILED and case.department is None and case.events.count() == events


def test_the_api_refuses_a_community_with_a_field_error(api_client_for, staff, make_case, community):
    case = make_case(State.FILED)
    response = api_client_for(staff.dispatcher).post(f"/api/cases/cases/{case.pk}/dispatch/", {
        "department": community.pk, "override_reason": "就近处置"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["department"]
    assert_unchanged(case)


def test_the_page_form_refuses_a_community(client, staff, make_case, community):
    case = make_case(State.FILED)
    client.force_login(staff.dispatcher)
    response = client.post(f"/cases/{case.pk}/act/dispatch/", {"department": community.pk,
                                                               "override_reason": "就近处置"})
    assert response.status_code == 400 and "不能作为处置部门" in response.content.decode()
    assert_unchanged(case)


def test_the_service_refuses_a_community_whoever_calls_it(staff, make_case, community):
    case = make_case(State.FILED)
    with pytest.raises(ValidationError) as refused:
        case_act(case=case, action=CaseAction.DISPATCH, actor=staff.dispatcher, department=community,
                 override_reason="就近处置")
    assert list(refused.value.message_dict) == ["department"]
    assert_unchanged(case)


def test_the_console_and_the_case_page_offer_no_community(client, staff, make_case, community, geography):
    case = make_case(State.FILED)
    client.force_login(staff.dispatcher)
    for url in ("/cases/dispatch/", f"/cases/{case.pk}/"):
        html = client.get(url).content.decode()
        assert f'<option value="{geography.district_b.pk}"' in html
        assert f'<option value="{community.pk}"' not in html
