from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The staff web shell: layout, navigation, home page and demo set-up."""

    name = "jingzhi.core"
    verbose_name = _("平台")
