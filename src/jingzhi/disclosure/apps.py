from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "jingzhi.disclosure"
    verbose_name = _("信息公开")

    def navigation(self):
        """内容审核 in the shell's menu for the moderators (``selectors.MODERATOR_ROLES``)."""
        from jingzhi.core.navigation import NavEntry

        from .selectors import MODERATOR_ROLES

        return [NavEntry(45, "moderation:queue", _("内容审核"), frozenset(MODERATOR_ROLES))]
