"""Issue 2's org requirements: the role model holds the case roles, units of every kind, parent hierarchy."""
import pytest
from django.conf import settings
from rest_framework.test import APIRequestFactory

from jingzhi.org.models import Role, RoleGrant, Unit, UnitKind
from jingzhi.org.permissions import role_required
from jingzhi.org.selectors import unit_subtree_ids, user_has_role, user_reads_everything, user_roles
from jingzhi.org.services import units_load

UNITS_FILE = settings.DATA_DIR / "org" / "zhengzhou-units.yaml"


def test_the_role_enum_holds_the_plan_and_the_case_roles():
    plan_roles = {Role.PLATFORM_ADMIN, Role.PLAN_OFFICE, Role.UNIT_REPORTER, Role.LEADER}
    case_roles = {Role.INSPECTOR, Role.INTAKE_OPERATOR, Role.SHIFT_CHIEF, Role.DISPATCHER, Role.HANDLER,
                  Role.CITIZEN}
    assert set(Role) == plan_roles | case_roles
    assert {str(Role(r).label) for r in case_roles} == {"监督员", "受理员", "值班长", "派遣员", "处置人员", "市民"}
    # a grant stores the role's value: every role fits the column without a schema change
    assert max(len(r.value) for r in Role) <= RoleGrant._meta.get_field("role").max_length


def test_the_unit_kinds_of_the_issue():
    assert {str(k.label) for k in UnitKind} >= {"市局/委", "区/管委会", "办事处/街道", "国有企业", "公用事业单位", "其他"}


@pytest.mark.django_db
def test_a_user_holds_several_roles_and_case_roles_read_nothing_globally(make_user, make_unit):
    user = make_user(Role.DISPATCHER, unit=make_unit("市数字化城管中心"))
    RoleGrant.objects.create(user=user, role=Role.SHIFT_CHIEF)
    user.__dict__.pop("_jingzhi_roles", None)  # the per-request cache
    assert user_roles(user=user) == {Role.DISPATCHER, Role.SHIFT_CHIEF}
    assert user_has_role(user=user, roles=(Role.SHIFT_CHIEF,)) and not user_has_role(user=user, roles=(Role.LEADER,))
    assert not user_reads_everything(user=make_user(Role.CITIZEN))
    assert not user_reads_everything(user=make_user(Role.INSPECTOR))


@pytest.mark.django_db
def test_superusers_are_platform_admins_and_anonymous_users_have_no_role(make_user):
    from django.contrib.auth.models import AnonymousUser

    admin = make_user(is_superuser=True)
    assert user_roles(user=admin) == {Role.PLATFORM_ADMIN} and user_reads_everything(user=admin)
    assert user_roles(user=AnonymousUser()) == frozenset()
    request = APIRequestFactory().get("/")
    request.user = AnonymousUser()
    assert not role_required(Role.LEADER)().has_permission(request, None)


@pytest.mark.django_db
def test_the_shipped_unit_directory_loads_idempotently_with_its_hierarchy():
    first = units_load(path=UNITS_FILE)
    assert first["created"] == Unit.objects.count() > 0
    assert units_load(path=UNITS_FILE) == {"created": 0, "updated": 0}
    kinds = set(Unit.objects.values_list("kind", flat=True))
    assert kinds == {UnitKind.CITY_BUREAU, UnitKind.DISTRICT, UnitKind.STATE_COMPANY, UnitKind.UTILITY,
                     UnitKind.OTHER}  # sub-districts come with the geography (geo), under their districts
    districts = set(Unit.objects.filter(kind=UnitKind.DISTRICT).values_list("name", flat=True))
    assert districts == {"中原区", "二七区", "管城回族区", "金水区", "上街区", "惠济区",
                         "郑东新区管委会", "郑州经济技术开发区管委会", "郑州高新技术产业开发区管委会",
                         "郑州航空港经济综合实验区管委会"}
    assert Unit.objects.get(name="市交警支队").parent.name == "市公安局"


@pytest.mark.django_db
def test_a_district_reaches_its_sub_districts_and_not_the_reverse(make_unit):
    district = make_unit("金水区", kind=UnitKind.DISTRICT)
    street = make_unit("经八路街道", kind=UnitKind.SUBDISTRICT, parent=district)
    assert unit_subtree_ids(unit=district) == {district.pk, street.pk}
    assert unit_subtree_ids(unit=street) == {street.pk}
    assert unit_subtree_ids(unit=None) == set()
