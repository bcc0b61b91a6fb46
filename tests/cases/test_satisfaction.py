"""回访评价 of closed public reports, and the 值班长's reopening of a 不满意 case (12345 loop)."""
import pytest

from jingzhi.cases.models import Case, CaseEvent, Notification
from jingzhi.cases.workflow import State

from .conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db


def evaluate(client, case, satisfaction="dissatisfied", comment="垃圾又堆起来了"):
    return client.post(f"/api/cases/cases/{case.pk}/evaluate/", {"satisfaction": satisfaction, "comment": comment},
                       format="json")


def snapshot(case):
    case = Case.objects.get(pk=case.pk)
    return case.state, case.satisfaction, case.rework_count, case.events.count()


def test_the_reporting_citizen_rates_once_and_dissatisfaction_reaches_the_shift_chief(staff, make_case,
                                                                                     api_client_for):
    case = make_case(State.CLOSED)
    client = api_client_for(staff.citizen)
    assert "evaluate" in client.get(f"/api/cases/cases/{case.pk}/").json()["actions"]
    response = evaluate(client, case)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["state"], data["satisfaction"]) == ("closed", "dissatisfied")
    event = data["events"][-1]
    assert (event["action"], event["actor"], event["comment"]) == ("evaluate", staff.citizen.pk, "垃圾又堆起来了")
    assert event["data"] == {"satisfaction": "dissatisfied"}
    assert Notification.objects.filter(recipient=staff.chief, case=case, kind="evaluate").count() == 1
    assert not Notification.objects.filter(recipient=staff.citizen, kind="evaluate").exists()

    before = snapshot(case)
    again = evaluate(client, case, "satisfied")
    assert again.status_code == 409 and "不能重复评价" in again.json()["detail"]
    assert evaluate(api_client_for(staff.intake), case, "satisfied").status_code == 409
    assert snapshot(case) == before


def test_a_satisfied_rating_notifies_nobody_and_cannot_be_reopened(staff, make_case, api_client_for):
    case = make_case(State.CLOSED)
    assert evaluate(api_client_for(staff.citizen), case, "fairly_satisfied", "").status_code == 200
    assert not Notification.objects.filter(kind="evaluate").exists()
    before = snapshot(case)
    response = api_client_for(staff.chief).post(f"/api/cases/cases/{case.pk}/reopen/", {"comment": "重办"},
                                                format="json")
    assert response.status_code == 409 and "不满意" in response.json()["detail"]
    assert snapshot(case) == before


def test_the_intake_operator_records_a_hotline_call_back(staff, make_case, api_client_for):
    case = make_case(State.CLOSED, reporter=staff.intake)  # a 12345 hotline case
    assert case.source == "hotline_12345"
    response = evaluate(api_client_for(staff.intake), case, "satisfied", "电话回访：已清理")
    assert response.status_code == 200
    assert response.json()["events"][-1]["actor_role"] == "intake_operator"


def test_refusals_other_citizen_before_closure_inspector_source_wrong_role_bad_input(staff, make_case,
                                                                                   api_client_for):
    closed = make_case(State.CLOSED)
    before = snapshot(closed)
    assert evaluate(api_client_for(staff.other_citizen), closed).status_code == 404  # not theirs: invisible
    assert evaluate(api_client_for(staff.handler_a), closed).status_code == 403  # sees it, wrong role
    bad = evaluate(api_client_for(staff.citizen), closed, "very_happy")
    assert bad.status_code == 400 and "satisfaction" in bad.json()
    assert snapshot(closed) == before

    verified = make_case(State.VERIFIED)
    before = snapshot(verified)
    response = evaluate(api_client_for(staff.citizen), verified)
    assert response.status_code == 409 and "待结案" in response.json()["detail"]
    assert snapshot(verified) == before

    own_find = make_case(State.CLOSED, reporter=staff.inspector)  # not a public report
    before = snapshot(own_find)
    response = evaluate(api_client_for(staff.intake), own_find)
    assert response.status_code == 409 and "市民或热线" in response.json()["detail"]
    assert snapshot(own_find) == before


def test_dissatisfaction_lets_the_shift_chief_reopen_for_rework(staff, make_case, api_client_for, clock):
    # Friday; the weekend and Monday 2024-06-10 (端午节) are off, so the handle stage's
    # 2 working days end on Wednesday 15:00.
    clock.set("2024-06-07 15:00")
    case = make_case(State.CLOSED)
    assert evaluate(api_client_for(staff.citizen), case).status_code == 200
    before = snapshot(case)
    refused = api_client_for(staff.dispatcher).post(f"/api/cases/cases/{case.pk}/reopen/", {"comment": "重办"},
                                                    format="json")
    assert refused.status_code == 403
    assert api_client_for(staff.chief).post(f"/api/cases/cases/{case.pk}/reopen/", {},
                                            format="json").status_code == 400  # comment required
    assert snapshot(case) == before

    response = api_client_for(staff.chief).post(f"/api/cases/cases/{case.pk}/reopen/",
                                                {"comment": "市民不满意，重办"}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["state"], data["rework_count"], data["closed_at"]) == ("handling", 1, None)
    assert data["stage"] == "handle" and data["stage_deadline"].startswith("2024-06-12T15:00")
    event = CaseEvent.objects.filter(case=case).last()
    assert (event.action, event.from_state, event.to_state, event.actor) == ("reopen", "closed", "handling",
                                                                            staff.chief)
    assert Notification.objects.filter(recipient=staff.handler_a, case=case, kind="reopen").exists()

    # After the rework is closed again, the citizen is asked once more.
    for action, user, payload in [
        ("handle", staff.handler_a, None), ("verify_assign", staff.intake, {"inspector": staff.inspector.pk}),
        ("verify_pass", staff.inspector, {}), ("close", staff.chief, {}),
    ]:
        client = api_client_for(user)
        url = f"/api/cases/cases/{case.pk}/{action}/"
        if payload is None:
            answer = client.post(url, {"after_photos": [jpeg_with_gps()]}, format="multipart")
        else:
            answer = client.post(url, payload, format="json")
        assert answer.status_code == 200, answer.content
    assert evaluate(api_client_for(staff.citizen), case, "satisfied", "").status_code == 200
    assert Case.objects.get(pk=case.pk).satisfaction == "satisfied"
    ratings = CaseEvent.objects.filter(case=case, action="evaluate").values_list("data__satisfaction", flat=True)
    assert list(ratings) == ["dissatisfied", "satisfied"]


def test_the_detail_page_offers_the_rating_and_shows_it(staff, make_case, client):
    case = make_case(State.CLOSED)
    client.force_login(staff.citizen)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert '/act/evaluate/' in page and 'value="fairly_satisfied"' in page
    response = client.post(f"/cases/{case.pk}/act/evaluate/", {"satisfaction": "dissatisfied", "comment": "没修好"})
    assert response.status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-satisfaction="dissatisfied"' in page and '/act/evaluate/' not in page
    client.force_login(staff.chief)
    assert '/act/reopen/' in client.get(f"/cases/{case.pk}/").content.decode()
    overview = client.get("/cases/overview/").content.decode()
    assert "回访不满意" in overview and case.number in overview


def test_the_call_back_list_holds_closed_public_cases_until_rated(staff, make_case, api_client_for, client):
    hotline = make_case(State.CLOSED, reporter=staff.intake, description="热线：路灯不亮")
    citizen = make_case(State.CLOSED, description="市民：垃圾满溢")
    inspector = make_case(State.CLOSED, reporter=staff.inspector, description="巡查：井盖破损")
    still_open = make_case(State.HANDLING, reporter=staff.intake, description="热线：仍在处置")
    client.force_login(staff.intake)

    def listed() -> list[str]:
        page = client.get("/cases/intake/").content.decode()
        section = page[page.index('id="call-backs"'):]
        return [case.number for case in (hotline, citizen, inspector, still_open) if case.number in section]

    assert listed() == [hotline.number, citizen.number]  # the inspector's own report needs no 回访
    assert evaluate(api_client_for(staff.intake), hotline, "satisfied", "电话回访：已修复").status_code == 200
    assert listed() == [citizen.number]
    client.force_login(staff.chief)  # the 值班长 shares the intake page, not the 回访 work
    assert 'id="call-backs"' not in client.get("/cases/intake/").content.decode()
