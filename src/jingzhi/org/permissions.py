"""DRF permission classes built on the org selectors."""
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from .selectors import user_has_role


def role_required(*roles: str) -> type[BasePermission]:
    """A permission class admitting users holding any of ``roles``."""

    class HasRole(BasePermission):
        message = _("您没有执行此操作的角色权限。")

        def has_permission(self, request, view) -> bool:
            return user_has_role(user=request.user, roles=roles)

    HasRole.__name__ = "HasRole_" + "_".join(roles)
    return HasRole
