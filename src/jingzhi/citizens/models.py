"""One-time sign-in codes sent by SMS to citizens (see services.py for the rules)."""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SmsCode(models.Model):
    """A sign-in code sent to a phone. Only a keyed hash of the code is kept, so neither the
    database nor a backup reveals a code that still works. The rows double as the record the
    per-phone and per-address limits count; they are purged after a day."""

    phone = models.CharField(_("手机号"), max_length=11)
    code_hash = models.CharField(_("验证码摘要"), max_length=64)
    ip = models.GenericIPAddressField(_("请求地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [
            models.Index(fields=["phone", "created_at"], name="smscode_phone_created"),
            models.Index(fields=["ip", "created_at"], name="smscode_ip_created"),
            models.Index(fields=["created_at"], name="smscode_created"),
        ]

    def __str__(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]} {self.created_at:%Y-%m-%d %H:%M}"
