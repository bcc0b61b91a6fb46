"""Client apps of the Open311 GeoReport v2 interface and what each submitted.

A client app (a city app, a WeChat mini program, a partner's system) holds one API key. Only the
key's SHA-256 digest is stored: a key is 32 random bytes, so a fast digest is as safe as a slow
password hash, and every POST can check it in microseconds. Each app reports as its own citizen
account (``user``), so a case shows which app brought it and the case rules apply unchanged.
"""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ClientApp(models.Model):
    name = models.CharField(_("应用名称"), max_length=100, unique=True)
    contact = models.CharField(_("联系人"), max_length=200, blank=True)
    #: The key's first characters after ``o311_``, to find its row without scanning.
    key_prefix = models.CharField(_("密钥前缀"), max_length=8, db_index=True)
    key_hash = models.CharField(_("密钥摘要"), max_length=64)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("上报账号"), on_delete=models.PROTECT, related_name="open311_app",
    )
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 客户端应用")
        verbose_name_plural = _("Open311 客户端应用")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Submission(models.Model):
    """One ``POST requests`` that created a case: which app, and the token ``GET tokens/{token}`` resolves."""

    token = models.UUIDField(_("令牌"), default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(ClientApp, verbose_name=_("客户端应用"), on_delete=models.PROTECT,
                               related_name="submissions")
    case = models.OneToOneField("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                                related_name="open311_submission")
    #: The app's own id of the citizen's account (Open311 ``account_id``): personal data, never shown.
    account_id = models.CharField(_("应用账号标识"), max_length=100, blank=True)
    #: A photo the app says it holds elsewhere (Open311 ``media_url``); never fetched nor republished.
    media_url = models.URLField(_("外部照片地址"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("Open311 提交")
        verbose_name_plural = _("Open311 提交")
        ordering = ["-created_at", "-id"]
