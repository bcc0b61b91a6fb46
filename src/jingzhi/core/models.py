"""Platform-wide records that belong to no single domain app."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """The first successful response to a request sent with an ``Idempotency-Key`` header.

    A retry with the same key (same user) gets this response back instead of running the
    request again; see ``jingzhi.core.idempotency``.
    """

    #: Null for a signed-out visitor's form (the citizen portal): its token alone, random and
    #: unguessable, names the request.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    key = models.CharField(_("幂等键"), max_length=255)
    scope = models.CharField(_("请求"), max_length=300, help_text=_("方法与路径"))
    request_hash = models.CharField(_("请求摘要"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("状态码"))
    response = models.JSONField(_("响应"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("幂等请求")
        verbose_name_plural = _("幂等请求")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="unique_idempotency_key_per_user"),
            models.UniqueConstraint(fields=["key"], condition=models.Q(user__isnull=True),
                                    name="unique_idempotency_key_anonymous"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"


class DataVersion(models.Model):
    """A counter that changes whenever some body of data changes (``core.versions``), so that every
    process can tell whether an answer it built from that data still holds with one cheap read."""

    name = models.CharField(_("名称"), max_length=50, primary_key=True)
    version = models.BigIntegerField(_("版本"), default=0)

    class Meta:
        verbose_name = _("数据版本")
        verbose_name_plural = _("数据版本")

    def __str__(self) -> str:
        return f"{self.name} {self.version}"
