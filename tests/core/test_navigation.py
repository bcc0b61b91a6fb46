"""The menu is assembled from the apps' own entries (``AppConfig.navigation``), in their order,
each shown to the roles its app names."""
import pytest

from jingzhi.core.navigation import nav_entries, navigation
from jingzhi.org.models import Role


def labels(rf, user):
    request = rf.get("/")
    request.user = user
    return [str(entry["label"]) for entry in navigation(request)["nav_entries"]]


def test_every_app_contributes_its_entries_in_order():
    assert [entry.url_name for entry in nav_entries()] == [
        "home", "dashboards:leader", "dashboards:unit", "plans:overview", "plans:my-tasks", "plans:lagging",
        "assessment:index", "assessment:daily", "cases:list", "moderation:queue", "inspections:rounds", "geo:map", "assets:index",
        "citizens:mine"]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), [
    (Role.UNIT_REPORTER, ["首页", "本单位", "工作方案", "我的任务", "考核", "日督查", "案件", "地图", "设施台账"]),
    (Role.DISPATCHER, ["首页", "工作方案", "考核", "案件", "地图", "设施台账"]),
    (Role.LEADER, ["首页", "领导驾驶舱", "工作方案", "滞后任务", "考核", "日督查", "案件", "检查", "地图", "设施台账"]),
    (Role.PLAN_OFFICE, ["首页", "领导驾驶舱", "工作方案", "滞后任务", "考核", "日督查", "检查", "地图", "设施台账"]),
    (Role.CITIZEN, ["首页", "我的上报"]),
    (Role.INTAKE_OPERATOR, ["首页", "工作方案", "考核", "案件", "内容审核", "地图", "设施台账"]),  # moderates
])
def test_each_role_sees_the_pages_its_apps_give_it(rf, make_user, role, expected):
    assert labels(rf, make_user(role)) == expected
