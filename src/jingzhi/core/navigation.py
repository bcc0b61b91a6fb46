"""The navigation shell.

Each entry names a URL and the roles that see it; entries whose URL is not
installed are skipped, so an app adds its pages by adding a line here.
"""
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from jingzhi.org.models import Role
from jingzhi.org.selectors import STAFF_ROLES, user_roles

ANY = None  # anyone signed in (citizens see only the home page: they report through the API)

NAV_ENTRIES = [
    ("home", _("首页"), ANY),
    ("plans:overview", _("工作方案"), STAFF_ROLES),
    ("plans:my-tasks", _("我的任务"), {Role.UNIT_REPORTER}),
    ("plans:lagging", _("滞后任务"), {Role.PLAN_OFFICE, Role.LEADER, Role.PLATFORM_ADMIN}),
    ("cases:list", _("案件"), {Role.INTAKE_OPERATOR, Role.SHIFT_CHIEF, Role.DISPATCHER, Role.HANDLER,
                               Role.INSPECTOR, Role.LEADER, Role.PLATFORM_ADMIN, Role.UNIT_REPORTER}),
    ("geo:map", _("地图"), STAFF_ROLES),
]


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_entries": []}
    roles = user_roles(user=user)
    entries = []
    for url_name, label, allowed in NAV_ENTRIES:
        if allowed is not ANY and not (roles & allowed):
            continue
        try:
            entries.append({"url": reverse(url_name), "label": label, "active": False})
        except NoReverseMatch:
            continue
    # The entry with the longest URL prefix of the current path is the active one,
    # so /plans/lagging/ lights 滞后任务 and not also 工作方案.
    matching = [e for e in entries
                if request.path == e["url"] or (e["url"] != "/" and request.path.startswith(e["url"]))]
    if matching:
        max(matching, key=lambda e: len(e["url"]))["active"] = True
    if user.is_superuser:
        entries.append({"url": reverse("admin:index"), "label": _("系统管理"), "active": False})
    return {"nav_entries": entries}
