from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "jingzhi.cases"
    verbose_name = _("案件")

    def ready(self):
        """Offer the case measures of plan indicators (双十, small ads) to ``plans.live``."""
        from .plan_sources import plan_sources_register

        plan_sources_register()

    def navigation(self):
        """案件 in the shell's menu (``core.navigation``) for every role with a case page
        (``views.CASE_PAGE_ROLES``)."""
        from jingzhi.core.navigation import NavEntry

        from .views import CASE_PAGE_ROLES

        return [NavEntry(40, "cases:list", _("案件"), CASE_PAGE_ROLES)]
