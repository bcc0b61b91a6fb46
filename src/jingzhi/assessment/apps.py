from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "jingzhi.assessment"
    label = "assessment"
    verbose_name = _("考核评价")

    def navigation(self):
        """月考核·季点评 (whose pages lead to the bulletins) and 日督查 in the shell's menu (``core.navigation``)."""
        from jingzhi.core.navigation import NavEntry
        from jingzhi.org.models import Role
        from jingzhi.org.selectors import GLOBAL_READ_ROLES

        from .access import READER_ROLES

        daily = GLOBAL_READ_ROLES | {Role.SHIFT_CHIEF, Role.UNIT_REPORTER, Role.HANDLER}
        return [NavEntry(35, "assessment:index", _("考核"), READER_ROLES),
                NavEntry(36, "assessment:daily", _("日督查"), daily)]

    def ready(self):
        """Keep the daily rollup in step with every write of the case loop (``cases.watch``)."""
        from jingzhi.cases.watch import case_watcher_register

        from .rollup import rollup_watch

        case_watcher_register(rollup_watch)
