from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "jingzhi.plans"
    verbose_name = _("工作方案")

    def navigation(self):
        """The plan pages in the shell's menu (``core.navigation``): the plan for all staff, a
        reporter's own tasks, and the lagging list for those who issue 督办 and read everything."""
        from jingzhi.core.navigation import NavEntry
        from jingzhi.org.models import Role
        from jingzhi.org.selectors import GLOBAL_READ_ROLES, STAFF_ROLES

        return [NavEntry(10, "plans:overview", _("工作方案"), STAFF_ROLES),
                NavEntry(20, "plans:my-tasks", _("我的任务"), frozenset({Role.UNIT_REPORTER})),
                NavEntry(30, "plans:lagging", _("滞后任务"), GLOBAL_READ_ROLES)]
