import pytest

from jingzhi.org.models import Role, UnitKind
from jingzhi.org.privacy import mask_name, mask_phone
from jingzhi.org.selectors import unit_subtree_ids, user_has_role, user_reads_everything
from jingzhi.org.services import units_load


def test_masks_phone_and_name():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("张三丰") == "张**"
    assert mask_name("李") == "李*"
    assert mask_phone("123") == "***"


@pytest.mark.django_db
def test_subtree_includes_descendants_only(make_unit):
    district = make_unit("金水区", kind=UnitKind.DISTRICT)
    street = make_unit("经八路街道", kind=UnitKind.SUBDISTRICT, parent=district)
    community = make_unit("某社区", kind=UnitKind.COMMUNITY, parent=street)
    other = make_unit("中原区", kind=UnitKind.DISTRICT)
    assert unit_subtree_ids(unit=district) == {district.pk, street.pk, community.pk}
    assert other.pk not in unit_subtree_ids(unit=district)


@pytest.mark.django_db
def test_roles_are_rows(make_user):
    reporter = make_user(Role.UNIT_REPORTER)
    leader = make_user(Role.LEADER)
    assert user_has_role(user=reporter, roles=(Role.UNIT_REPORTER,))
    assert not user_reads_everything(user=reporter)
    assert user_reads_everything(user=leader)


@pytest.mark.django_db
def test_units_load_is_idempotent(tmp_path):
    path = tmp_path / "units.yaml"
    path.write_text(
        "units:\n"
        "  - {name: 市公安局, kind: city_bureau}\n"
        "  - {name: 市交警支队, kind: city_bureau, parent: 市公安局}\n"
        "  - {name: 金水区, kind: district, adcode: '410105'}\n",
        encoding="utf-8",
    )
    assert units_load(path=path) == {"created": 3, "updated": 0}
    assert units_load(path=path) == {"created": 0, "updated": 0}


@pytest.mark.django_db
def test_login_page_and_shell_in_chinese(client, make_user):
    user = make_user(Role.LEADER, username="boss")
    response = client.get("/login/")
    assert "登录" in response.content.decode()
    assert client.post("/login/", {"username": "boss", "password": "pw-test-123"}).status_code == 302
    home = client.get("/").content.decode()
    assert "工作台" in home and str(user) in home


@pytest.mark.django_db
def test_english_locale(client, make_user):
    make_user(Role.LEADER, username="boss")
    client.post("/login/", {"username": "boss", "password": "pw-test-123"})
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Dashboard" in html


@pytest.mark.django_db
def test_api_requires_login(client):
    assert client.get("/api/org/me/").status_code in (401, 403)


@pytest.mark.django_db
def test_api_me(api_client_for, make_user, make_unit):
    unit = make_unit("市城管局")
    user = make_user(Role.UNIT_REPORTER, unit=unit)
    data = api_client_for(user).get("/api/org/me/").json()
    assert data["unit"]["name"] == "市城管局" and data["roles"] == ["unit_reporter"]


@pytest.mark.django_db
def test_openapi_schema_served(api_client_for, make_user):
    response = api_client_for(make_user(Role.LEADER)).get("/api/schema/")
    assert response.status_code == 200
    assert b"openapi: 3" in response.content


@pytest.mark.django_db
def test_navigation_marks_only_the_most_specific_entry(rf, make_user):
    from jingzhi.core.navigation import navigation

    request = rf.get("/plans/lagging/")
    request.user = make_user(Role.PLAN_OFFICE)
    entries = navigation(request)["nav_entries"]
    assert [str(e["label"]) for e in entries if e["active"]] == ["滞后任务"]
    assert "工作方案" in [str(e["label"]) for e in entries]


@pytest.mark.django_db
def test_citizens_get_no_staff_navigation(rf, make_user):
    from jingzhi.core.navigation import navigation

    request = rf.get("/")
    request.user = make_user(Role.CITIZEN)
    # A citizen's menu holds the home page and their own reports, nothing of the staff's.
    assert [str(e["label"]) for e in navigation(request)["nav_entries"]] == ["首页", "我的上报"]
    request.user = make_user(Role.HANDLER)
    assert {"工作方案", "案件", "地图"} <= {str(e["label"]) for e in navigation(request)["nav_entries"]}


@pytest.mark.django_db
def test_unit_directory_is_for_staff_not_citizens(api_client_for, make_user, make_unit):
    make_unit("市城管局")
    assert api_client_for(make_user(Role.CITIZEN)).get("/api/org/units/").status_code == 403
    response = api_client_for(make_user(Role.HANDLER)).get("/api/org/units/")
    assert response.status_code == 200 and response.json()["results"][0]["name"] == "市城管局"
