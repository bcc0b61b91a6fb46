from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "jingzhi.assets"
    verbose_name = _("设施台账")

    def navigation(self):
        """The registries in the shell's menu (``core.navigation``), for every staff role."""
        from jingzhi.core.navigation import NavEntry
        from jingzhi.org.selectors import STAFF_ROLES

        return [NavEntry(55, "assets:index", _("设施台账"), STAFF_ROLES)]
