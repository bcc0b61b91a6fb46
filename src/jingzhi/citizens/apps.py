from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "jingzhi.citizens"
    verbose_name = _("市民账号")

    def navigation(self):
        """我的上报 in the shell's menu for citizens, also those who sign in with a password."""
        from jingzhi.core.navigation import NavEntry
        from jingzhi.org.models import Role

        return [NavEntry(70, "citizens:mine", _("我的上报"), frozenset({Role.CITIZEN}))]
