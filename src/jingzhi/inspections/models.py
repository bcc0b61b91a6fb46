"""Data of inspections (检查): rounds planned by the office, inspections filled on site with a
template of ``data/inspections``, and one result per template item.

Scoring rules live in ``scoring.py`` (pure) and the writes in ``services.py``; the round's
lifecycle is ``lifecycle.py``. An inspection keeps the template code and version it was filled
with, and each result keeps the item's label and limit as they were, so a later template version
never changes what a past inspection says.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingzhi.org.models import Unit

from .lifecycle import RoundState


class InspectionRound(models.Model):
    """A planned round (日督查): one template, a route over assets, a date, one inspector."""

    name = models.CharField(_("名称"), max_length=100)
    template_code = models.CharField(_("检查模板"), max_length=40)
    date = models.DateField(_("检查日期"))
    #: The unit the round belongs to (whose staff see it): the planner's unit.
    unit = models.ForeignKey(Unit, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("检查人员"), on_delete=models.PROTECT,
                                  related_name="inspection_rounds")
    state = models.CharField(_("状态"), max_length=20, choices=RoundState.choices, default=RoundState.PLANNED)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("计划人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("检查轮次")
        verbose_name_plural = _("检查轮次")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["inspector", "date"], name="round_inspector_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:round", args=[self.pk])


class RoundStop(models.Model):
    """One asset on a round's route, in order."""

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="stops")
    asset = models.ForeignKey("assets.Asset", verbose_name=_("设施"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("顺序"))

    class Meta:
        verbose_name = _("检查点")
        verbose_name_plural = _("检查点")
        ordering = ["round", "order"]
        constraints = [models.UniqueConstraint(fields=["round", "asset"], name="round_stop_unique_asset")]


class Inspection(models.Model):
    """One filled template at one place (an asset, or a located spot when ad hoc), written once."""

    round = models.ForeignKey(InspectionRound, verbose_name=_("检查轮次"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="inspections")
    template_code = models.CharField(_("检查模板"), max_length=40)
    template_version = models.PositiveIntegerField(_("模板版本"))
    asset = models.ForeignKey("assets.Asset", verbose_name=_("设施"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="inspections")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("检查人员"), on_delete=models.PROTECT,
                                  related_name="inspections")
    #: Where the inspector stood (WGS84, from the phone), if given.
    lon = models.FloatField(_("经度（WGS84）"), null=True, blank=True)
    lat = models.FloatField(_("纬度（WGS84）"), null=True, blank=True)
    #: The place's district (from the asset, else the inspector's location): scores per district.
    district = models.ForeignKey(Unit, verbose_name=_("所在区"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    started_at = models.DateTimeField(_("开始时间"))
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    score = models.DecimalField(_("得分"), max_digits=4, decimal_places=1)
    passed = models.BooleanField(_("合格"))
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("检查记录")
        verbose_name_plural = _("检查记录")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["template_code", "submitted_at"], name="inspection_template_time"),
            models.Index(fields=["district", "submitted_at"], name="inspection_district_time"),
        ]

    def __str__(self) -> str:
        return f"{self.template_code} {self.submitted_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:detail", args=[self.pk])


class InspectionResult(models.Model):
    """One item of an inspection: what was recorded, the figure compared, the limit, passed, and
    the case a failure became."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    item_code = models.CharField(_("检查项"), max_length=40)
    label = models.CharField(_("检查项名称"), max_length=200)
    #: As recorded: true/false, a number, {numerator, denominator} or a list of samples.
    value = models.JSONField(_("记录值"), null=True, blank=True)
    figure = models.DecimalField(_("测得值"), max_digits=14, decimal_places=4, null=True, blank=True)
    bound = models.DecimalField(_("限值"), max_digits=14, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    #: None: not applicable (an optional item left empty).
    passed = models.BooleanField(_("合格"), null=True)
    case = models.OneToOneField("cases.Case", verbose_name=_("生成案件"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="inspection_result")

    class Meta:
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        ordering = ["inspection", "id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "item_code"], name="inspection_result_item")]


class InspectionPhoto(models.Model):
    """A photo of one item (or of the whole inspection), checked and cleaned like every upload."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    result = models.ForeignKey(InspectionResult, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="photos")
    image = models.ImageField(_("照片"), upload_to="inspections/%Y/%m/")
    thumbnail = models.ImageField(_("缩略图"), upload_to="inspections/thumbs/%Y/%m/", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("检查照片")
        verbose_name_plural = _("检查照片")
        ordering = ["id"]

    def get_absolute_url(self) -> str:
        return reverse("inspections:photo", args=[self.pk])
