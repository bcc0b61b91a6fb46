"""Units (单位) and the people who work for them.

A user belongs to at most one unit and holds any number of roles. Roles are rows,
not boolean flags, so new duties (the case-handling roles, citizens) are new enum
values rather than schema changes.
"""
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    CITY_BUREAU = "city_bureau", _("市局/委")
    DISTRICT = "district", _("区/管委会")
    SUBDISTRICT = "subdistrict", _("办事处/街道")
    COMMUNITY = "community", _("社区")
    STATE_COMPANY = "state_company", _("国有企业")
    UTILITY = "utility", _("公用事业单位")
    OTHER = "other", _("其他")


class Unit(models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True)
    full_name = models.CharField(_("全称"), max_length=200, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    code = models.CharField(
        _("区划代码"), max_length=20, blank=True, db_index=True,
        help_text=_("行政区划代码（如 410105），没有可留空"),
    )

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["kind", "code", "name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """Every role of the platform.

    Plan roles: platform admin, plan office, unit reporter, leader. Case roles
    follow the national 数字城管 split (see docs/glossary.md).
    """

    PLATFORM_ADMIN = "platform_admin", _("平台管理员")
    PLAN_OFFICE = "plan_office", _("精细办工作人员")
    UNIT_REPORTER = "unit_reporter", _("单位填报员")
    LEADER = "leader", _("领导")
    INSPECTOR = "inspector", _("监督员")
    INTAKE_OPERATOR = "intake_operator", _("受理员")
    SHIFT_CHIEF = "shift_chief", _("值班长")
    DISPATCHER = "dispatcher", _("派遣员")
    HANDLER = "handler", _("处置人员")
    CITIZEN = "citizen", _("市民")


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="members",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("角色授予")
        verbose_name_plural = _("角色授予")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"
