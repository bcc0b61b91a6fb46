"""Reporting a case on an asset: the report form prefilled from its record, the case on the asset with
its maintaining unit suggested, and the asset's keepers told when the case is filed."""
import pytest

from jingzhi.assets.services import asset_create, asset_keeper_add
from jingzhi.cases.acting import case_act
from jingzhi.cases.models import Case, Category, CategoryClass, CategoryKind, DepartmentRule, Notification
from jingzhi.cases.reporting import case_report
from jingzhi.cases.workflow import CaseAction
from jingzhi.org.models import Role

from .conftest import point

pytestmark = pytest.mark.django_db
LIMITS = {stage: {"value": 2, "unit": "working_days"} for stage in ("intake", "dispatch", "handle", "verify")}


@pytest.fixture
def categories(db):
    def make(kind, class_code, code, name):
        category_class, _ = CategoryClass.objects.get_or_create(kind=kind, code=class_code, defaults={"name": "大类"})
        return Category.objects.create(category_class=category_class, code=code, name=name,
                                       department_rule=DepartmentRule.DISTRICT,
                                       time_limits={"normal": LIMITS, "urgent": LIMITS})
    return {"C0301": make(CategoryKind.COMPONENT, "03", "0301", "公共厕所"),
            "E0104": make(CategoryKind.EVENT, "01", "0104", "道路不洁"),
            "E0501": make(CategoryKind.EVENT, "05", "0501", "无照经营游商")}


@pytest.fixture
def toilet(geography, make_unit, make_user):
    asset = asset_create(kind="toilet", code="GC1", name="人民公园公厕", geometry=point(geography.inside_b),
                         attributes={"toilet_class": "一类"}, department=make_unit("市环卫中心"))
    asset_keeper_add(asset=asset, user=make_user(Role.UNIT_REPORTER, username="keeper"))
    return asset


def test_the_report_form_opens_prefilled_from_the_asset(client, make_user, toilet, categories):
    client.force_login(make_user(Role.INSPECTOR))
    record = client.get(f"/assets/toilet/{toilet.pk}/").content.decode()
    assert f'href="/cases/new/?asset={toilet.pk}"' in record and "上报问题" in record
    body = client.get(f"/cases/new/?asset={toilet.pk}").content.decode()
    assert f'name="asset" value="{toilet.pk}"' in body and "人民公园公厕（GC1）" in body
    assert f'value="{toilet.lon}"' in body and f'value="{toilet.lat}"' in body
    # Only the kind's categories (C0301 公共厕所, E0104 道路不洁) are offered.
    assert 'value="C0301"' in body and 'value="E0104"' in body and 'value="E0501"' not in body


def test_a_case_reported_on_the_asset_is_on_it_with_its_department_suggested(client, make_user, toilet, categories):
    client.force_login(make_user(Role.INSPECTOR))
    response = client.post("/cases/new/", {"category": "C0301", "source": "inspector", "description": "门坏了",
                                           "lon": toilet.lon, "lat": toilet.lat, "asset": toilet.pk})
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.asset == toilet and case.suggested_department.name == "市环卫中心"
    assert case.district.name == "测试乙区"
    assert case.number in client.get(f"/assets/toilet/{toilet.pk}/").content.decode()
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'href="/assets/toilet/{toilet.pk}/">人民公园公厕（GC1）</a>' in page


def test_an_asset_the_reporter_may_not_see_is_refused(api_client_for, make_user, toilet, categories):
    client = api_client_for(make_user(Role.CITIZEN))
    response = client.post("/api/cases/cases/", {"category": "C0301", "source": "citizen", "description": "x",
                                                 "lon": 113.6, "lat": 34.75, "asset": toilet.pk}, format="json")
    assert response.status_code == 400 and "asset" in response.json()
    assert not Case.objects.exists()


def test_the_keepers_hear_of_the_case_when_it_is_filed(make_user, toilet, categories):
    intake, chief = make_user(Role.INTAKE_OPERATOR), make_user(Role.SHIFT_CHIEF)
    case = case_report(reporter=make_user(Role.INSPECTOR), source="inspector", category=categories["C0301"],
                       description="门坏了", lon=float(toilet.lon), lat=float(toilet.lat), asset=toilet)
    case_act(case=case, action=CaseAction.ACCEPT, actor=intake)
    assert not Notification.objects.filter(recipient__username="keeper").exists()
    case_act(case=case, action=CaseAction.FILE, actor=chief)
    [notice] = Notification.objects.filter(recipient__username="keeper")
    assert notice.case == case and case.number in notice.message
