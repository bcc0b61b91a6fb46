from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "jingzhi.dashboards"
    verbose_name = _("驾驶舱")

    def navigation(self):
        """The dashboards in the shell's menu (``core.navigation``), first after 首页."""
        from jingzhi.core.navigation import NavEntry

        from .access import LEADER_ROLES, UNIT_ROLES

        return [NavEntry(5, "dashboards:leader", _("领导驾驶舱"), LEADER_ROLES),
                NavEntry(6, "dashboards:unit", _("本单位"), UNIT_ROLES)]

    def home_panels(self, request):
        """The user's numbers and to-dos on the home page (``core.panels``)."""
        from .panels import home_panels

        return home_panels(request)
