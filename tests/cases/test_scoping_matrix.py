"""Every case page and API endpoint, tried by people outside a case's scope: another
department's handler, another district's staff, an inspector with neither the report nor the
task, another citizen, and an anonymous visitor. Refusals are 403/404 (pages: a login
redirect for anonymous), nothing is written, and what is visible masks others' personal data."""
import io

import pytest
from openpyxl import load_workbook

from jingzhi.cases.models import Case, CaseEvent, Notification
from jingzhi.cases.workflow import CASE_ACTIONS, State
from jingzhi.org.models import Role, UnitKind

pytestmark = pytest.mark.django_db

ROLE_PAGES = ["intake", "dispatch", "worklist", "tasks", "overview", "new"]


@pytest.fixture
def world(staff, geography, make_case, make_unit, make_user):
    gardens = make_unit("市园林局", kind=UnitKind.CITY_BUREAU)
    case = make_case(State.DISPATCHED, where="a")  # citizen 张三丰's report, dispatched to district A
    return {
        "case": case,
        "gardens_case": make_case(State.DISPATCHED, where="a", department=gardens, reporter=staff.inspector),
        "outsiders": {
            "other department": make_user(Role.HANDLER, unit=gardens, username="gardener"),
            "other district handler": staff.handler_b,
            "other district reporter": make_user(Role.UNIT_REPORTER, unit=geography.district_b, username="b_rep"),
            "other inspector": staff.other_inspector,
            "other citizen": staff.other_citizen,
        },
        "notification": Notification.objects.filter(recipient=staff.handler_a).first(),
    }


def written():
    return Case.objects.count(), CaseEvent.objects.count(), list(Case.objects.values_list("state", flat=True))


def test_outsiders_get_404_for_the_case_and_its_actions_on_pages_and_api(world, api_client_for, client):
    case, before = world["case"], written()
    for name, user in world["outsiders"].items():
        api = api_client_for(user)
        assert api.get(f"/api/cases/cases/{case.pk}/").status_code == 404, name
        assert case.number not in {row["number"] for row in api.get("/api/cases/cases/").json()["results"]}, name
        for action in CASE_ACTIONS:
            assert api.post(f"/api/cases/cases/{case.pk}/{action}/", {}, format="json").status_code == 404, (
                name, action)
        assert api.post(f"/api/cases/notifications/{world['notification'].pk}/read/").status_code == 404, name
        client.force_login(user)
        assert client.get(f"/cases/{case.pk}/").status_code == 404, name
        assert client.post(f"/cases/{case.pk}/act/receive/", {}).status_code == 404, name
        assert case.number not in client.get("/cases/search/").content.decode(), name
        sheet = load_workbook(io.BytesIO(client.get("/cases/export/").content)).active
        assert case.number not in [row[0] for row in sheet.iter_rows(values_only=True)], name
    assert written() == before
    assert Notification.objects.get(pk=world["notification"].pk).read_at is None


def test_role_pages_are_refused_to_other_roles(world, staff, client):
    allowed = {
        "other department": {"worklist"}, "other district handler": {"worklist"}, "other district reporter": set(),
        "other inspector": {"tasks", "new"}, "other citizen": set(),
    }
    redirected = {("other citizen", "new"): "/p/report/"}  # a citizen reports on the portal's form
    for name, user in world["outsiders"].items():
        client.force_login(user)
        for page in ROLE_PAGES:
            response = client.get(f"/cases/{page}/")
            if (name, page) in redirected:
                assert response.status_code == 302 and response["Location"] == redirected[name, page]
                continue
            assert response.status_code == (200 if page in allowed[name] else 403), (name, page)
            assert world["case"].number not in response.content.decode(), (name, page)


def test_an_inspector_reads_own_reports_and_tasks_only(world, staff, api_client_for, client):
    api = api_client_for(staff.inspector)
    assert api.get(f"/api/cases/cases/{world['gardens_case'].pk}/").status_code == 200  # own report
    assert api.get(f"/api/cases/cases/{world['case'].pk}/").status_code == 404
    client.force_login(staff.inspector)
    assert client.get(f"/cases/{world['gardens_case'].pk}/").status_code == 200
    assert client.get(f"/cases/{world['case'].pk}/").status_code == 404


def test_a_citizen_reads_own_case_and_staff_see_the_citizen_masked(world, staff, api_client_for, client):
    case = world["case"]
    own = api_client_for(staff.citizen).get(f"/api/cases/cases/{case.pk}/").json()
    assert own["events"][0]["actor_name"] == "张三丰" and own["reporter_phone"] == "13700002222"
    seen = api_client_for(staff.handler_a).get(f"/api/cases/cases/{case.pk}/").json()
    assert seen["events"][0]["actor_name"] == "张**" and seen["reporter_phone"] == "137****2222"
    assert "张三丰" not in str(seen)
    client.force_login(staff.handler_a)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "张三丰" not in page and "13700002222" not in page and "张**" in page
    client.force_login(staff.dispatcher)
    assert "张三丰" in client.get(f"/cases/{case.pk}/").content.decode()


def test_anonymous_visitors_are_refused_everything(world, geography, client):
    case, before = world["case"], written()
    for url in ["/cases/", "/cases/search/", "/cases/export/", f"/cases/{case.pk}/",
                *(f"/cases/{page}/" for page in ROLE_PAGES)]:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    assert client.post(f"/cases/{case.pk}/act/accept/").status_code == 302
    for url in ["/api/cases/cases/", f"/api/cases/cases/{case.pk}/", "/api/cases/categories/",
                "/api/cases/notifications/"]:
        assert client.get(url).status_code in (401, 403), url
    lon, lat = geography.inside_a
    report = {"category": "E0102", "source": "citizen", "description": "x", "lon": lon, "lat": lat}
    assert client.post("/api/cases/cases/", report, content_type="application/json").status_code in (401, 403)
    for action in CASE_ACTIONS:
        assert client.post(f"/api/cases/cases/{case.pk}/{action}/").status_code in (401, 403), action
    assert written() == before
