"""Refusals: wrong role (403), wrong unit (403/404), illegal transition (409) — and nothing changes."""
import pytest
from django.db import connection

from jingzhi.cases.models import AppendOnlyError, Case, CaseEvent
from jingzhi.cases.workflow import State

pytestmark = pytest.mark.django_db


def snapshot(case):
    case = Case.objects.get(pk=case.pk)
    return (case.state, case.department_id, case.stage_deadline, case.events.count())


def post(client, case, action, **data):
    return client.post(f"/api/cases/cases/{case.pk}/{action}/", data, format="json")


def test_it_refuses_a_role_without_the_action(staff, make_case, api_client_for):
    case = make_case(State.ACCEPTED)
    before = snapshot(case)
    response = post(api_client_for(staff.dispatcher), case, "file")
    assert response.status_code == 403
    assert "立案" in response.json()["detail"]
    assert post(api_client_for(staff.citizen), case, "accept").status_code == 403
    assert snapshot(case) == before


def test_it_refuses_closing_an_undispatched_case(staff, make_case, api_client_for):
    case = make_case(State.FILED)
    before = snapshot(case)
    response = post(api_client_for(staff.chief), case, "close")
    assert response.status_code == 409
    assert response.json()["detail"] == "案件当前状态为“待派遣”，不能执行“结案”。"
    assert snapshot(case) == before


def test_it_hides_other_departments_cases(staff, make_case, api_client_for):
    case = make_case(State.DISPATCHED)  # located in A, dispatched to A
    before = snapshot(case)
    assert post(api_client_for(staff.handler_b), case, "receive").status_code == 404
    assert api_client_for(staff.handler_b).get(f"/api/cases/cases/{case.pk}/").status_code == 404
    assert snapshot(case) == before


def test_it_refuses_a_district_that_sees_but_does_not_own_the_case(staff, geography, make_case, api_client_for):
    # Located in B (so B's district staff see it) but dispatched to A.
    case = make_case(State.DISPATCHED, where="b", department=geography.district_a)
    before = snapshot(case)
    assert api_client_for(staff.handler_b).get(f"/api/cases/cases/{case.pk}/").status_code == 200
    response = post(api_client_for(staff.handler_b), case, "receive")
    assert response.status_code == 403 and "不属于您的单位" in response.json()["detail"]
    assert snapshot(case) == before


def test_it_refuses_an_inspector_the_task_was_not_sent_to(staff, make_case, api_client_for):
    case = make_case(State.VERIFYING, reporter=staff.other_inspector)  # reporter sees it, task is another's
    before = snapshot(case)
    response = post(api_client_for(staff.other_inspector), case, "verify_pass")
    assert response.status_code == 403
    assert snapshot(case) == before


def test_it_requires_a_reason_to_override_the_suggested_department(staff, geography, make_case, api_client_for):
    case = make_case(State.FILED)
    before = snapshot(case)
    response = post(api_client_for(staff.dispatcher), case, "dispatch", department=geography.district_b.pk)
    assert response.status_code == 400 and "override_reason" in response.json()
    assert snapshot(case) == before


def test_it_requires_a_comment_to_return(staff, make_case, api_client_for):
    case = make_case(State.DISPATCHED)
    response = post(api_client_for(staff.handler_a), case, "return")
    assert response.status_code == 400 and "comment" in response.json()


def test_it_requires_an_after_photo_to_handle(staff, make_case, api_client_for):
    case = make_case(State.HANDLING)
    before = snapshot(case)
    response = post(api_client_for(staff.handler_a), case, "handle", comment="done")
    assert response.status_code == 400 and "after_photos" in response.json()
    assert snapshot(case) == before


def test_it_refuses_a_citizen_entering_a_hotline_case(staff, geography, category, api_client_for):
    lon, lat = geography.inside_a
    response = api_client_for(staff.citizen).post("/api/cases/cases/", {
        "category": "E0102", "source": "hotline_12345", "description": "x", "lon": lon, "lat": lat})
    assert response.status_code == 400 and "source" in response.json()
    assert api_client_for(staff.dispatcher).post("/api/cases/cases/", {
        "category": "E0102", "source": "hotline_12345", "description": "x", "lon": lon, "lat": lat,
    }).status_code == 403
    assert not Case.objects.exists()


def test_it_requires_login(client, make_case):
    case = make_case()
    assert client.get("/api/cases/cases/").status_code in (401, 403)
    assert client.post(f"/api/cases/cases/{case.pk}/accept/").status_code in (401, 403)


def test_http_basic_credentials_are_refused_and_create_nothing(staff, geography, category, client):
    """A cross-site form can send a browser's saved Basic credentials, and Basic skipped CSRF."""
    import base64

    lon, lat = geography.inside_a
    basic = base64.b64encode(b"intake:pw-test-123").decode()
    response = client.post("/api/cases/cases/", {
        "category": "E0102", "source": "hotline_12345", "description": "跨站提交", "lon": lon, "lat": lat,
    }, HTTP_AUTHORIZATION=f"Basic {basic}", HTTP_ORIGIN="http://evil.example")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert not Case.objects.exists()


def test_the_history_is_append_only(make_case):
    case = make_case(State.ACCEPTED)
    event = case.events.first()
    event.comment = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(case=case).update(comment="x")
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.filter(case=case).delete()
    assert CaseEvent.objects.get(pk=event.pk).comment == ""


def test_the_database_refuses_history_updates_on_postgresql(make_case):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    from django.db import DatabaseError, transaction

    case = make_case(State.ACCEPTED)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_caseevent SET comment = 'x' WHERE case_id = %s", [case.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_caseevent WHERE case_id = %s", [case.pk])


def test_refusals_carry_a_stable_code(staff, make_case, api_client_for):
    """The body shape of core.errors: the message for the user and a word for the client."""
    case = make_case(State.FILED)
    illegal = post(api_client_for(staff.chief), case, "close").json()
    assert illegal == {"detail": "案件当前状态为“待派遣”，不能执行“结案”。", "code": "illegal_transition"}
    assert post(api_client_for(staff.intake), case, "file").json()["code"] == "permission_denied"
