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

    def home_panels(self, request):
        """The office's to-do on the home page (``core.panels``): the drafts awaiting its commentary
        and publication, and the latest published bulletin."""
        from jingzhi.core.panels import HomePanel
        from jingzhi.org.selectors import user_has_role

        from .access import OFFICE_ROLES
        from .models import Status
        from .selectors import assessments_visible

        if not user_has_role(user=request.user, roles=OFFICE_ROLES):
            return []
        visible = assessments_visible(user=request.user)
        return [HomePanel(15, "assessment/panel_office.html", {
            "drafts": list(visible.exclude(status=Status.PUBLISHED).order_by("-start")[:6]),
            "published": visible.filter(status=Status.PUBLISHED).order_by("-published_at").first(),
        })]
