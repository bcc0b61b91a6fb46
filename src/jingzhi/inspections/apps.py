from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "jingzhi.inspections"
    verbose_name = _("检查考核")

    def ready(self):
        """Offer the mean inspection score per district to the assessment as a term source
        (``assessment.sources``): a scheme version may weight it (docs/inspections.md); and the
        measures of plan indicators (dust, road facilities) to ``plans.live``."""
        from jingzhi.assessment.sources import ScoreSource, score_source_register

        from .plan_sources import plan_sources_register
        from .selectors import district_score_records_url, district_score_source

        plan_sources_register()
        score_source_register(ScoreSource(key="inspections.district_score", label=_("检查考核得分（各区检查平均分）"),
                                          scores=district_score_source, records_url=district_score_records_url))

    def navigation(self):
        """检查 in the shell's menu: the office plans rounds, inspectors fill them, leaders read."""
        from jingzhi.core.navigation import NavEntry
        from jingzhi.org.models import Role
        from jingzhi.org.selectors import GLOBAL_READ_ROLES

        return [NavEntry(47, "inspections:rounds", _("检查"), GLOBAL_READ_ROLES | {Role.INSPECTOR})]
