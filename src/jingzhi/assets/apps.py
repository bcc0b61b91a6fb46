from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "jingzhi.assets"
    verbose_name = _("设施台账")

    def ready(self):
        """Offer the registries' plan measures to ``plans.live`` and their point layers to the staff map."""
        from jingzhi.geo.map_layers import point_layers_register

        from .map_layers import layers_for
        from .plan_sources import plan_sources_register

        plan_sources_register()
        point_layers_register("assets", layers_for)

    def navigation(self):
        """The registries in the shell's menu (``core.navigation``), for every staff role."""
        from jingzhi.core.navigation import NavEntry
        from jingzhi.org.selectors import STAFF_ROLES

        return [NavEntry(55, "assets:index", _("设施台账"), STAFF_ROLES)]
