from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The citizen portal's reporting pages under /p/ (docs/portal.md)."""

    name = "jingzhi.portal"
    verbose_name = _("市民上报")
