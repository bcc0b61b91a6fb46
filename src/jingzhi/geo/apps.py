from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "jingzhi.geo"
    verbose_name = _("地理与网格")

    def navigation(self):
        """The staff map in the shell's menu (``core.navigation``)."""
        from jingzhi.core.navigation import NavEntry
        from jingzhi.org.selectors import STAFF_ROLES

        return [NavEntry(50, "geo:map", _("地图"), STAFF_ROLES)]
