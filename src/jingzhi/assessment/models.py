"""Stored assessments: one row per period (月考核 or 季点评) and one result per assessed unit or post.

A published assessment is frozen: its results, scheme version and commentary can no longer change
(``AssessmentFrozen`` from the model guards below; the services and pages never offer it).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhi.org.models import Unit

from .counters import ROLLUP_COLUMNS
from .errors import AssessmentFrozen


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月考核")
    QUARTER = "quarter", _("季点评")


class Status(models.TextChoices):
    DRAFT = "draft", _("未发布")
    PUBLISHED = "published", _("已发布")


class Assessment(models.Model):
    period = models.CharField(_("考核期"), max_length=7, unique=True, help_text=_("2026-03 或 2026-Q1"))
    period_kind = models.CharField(_("类型"), max_length=10, choices=PeriodKind.choices)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期（不含）"))
    scheme_version = models.CharField(_("评价方案版本"), max_length=20)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    computed_at = models.DateTimeField(_("计算时间"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("发布人"))
    #: The office's commentary (季点评 and the bulletin's praise and criticism), edited before publishing.
    commentary = models.TextField(_("点评"), blank=True)
    praise = models.TextField(_("表扬"), blank=True)
    criticism = models.TextField(_("批评"), blank=True)
    issuing_office = models.CharField(_("发布单位"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("考核")
        verbose_name_plural = _("考核")
        ordering = ["-start", "period_kind"]

    def __str__(self) -> str:
        return self.period

    def save(self, *args, **kwargs):
        if self.pk and not kwargs.pop("publishing", False):
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == Status.PUBLISHED:
                raise AssessmentFrozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.published:
            raise AssessmentFrozen()
        return super().delete(*args, **kwargs)

    @property
    def published(self) -> bool:
        return self.status == Status.PUBLISHED


class FrozenGuardQuerySet(models.QuerySet):
    """Bulk writes of results refuse to touch a published assessment's rows."""

    def _refuse_published(self):
        if self.filter(assessment__status=Status.PUBLISHED).exists():
            raise AssessmentFrozen()

    def update(self, **kwargs):
        self._refuse_published()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_published()
        return super().delete()


class Result(models.Model):
    """One assessed unit (district, sub-district, department) or post holder in one assessment."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="results")
    kind = models.CharField(_("考核对象类型"), max_length=20)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    name = models.CharField(_("名称"), max_length=200)
    #: The inputs: every counter of the unit in the period (what the drill-down lists add up to).
    counters = models.JSONField(_("计数"), default=dict)
    #: {score code: {"value", "score", "weight", "effective_weight"}} of the kind's terms.
    terms = models.JSONField(_("评分项"), default=dict)
    #: Every rate of the scheme, for the indicator tables.
    rates = models.JSONField(_("指标"), default=dict)
    composite = models.FloatField(_("综合得分"), null=True, blank=True)
    grade = models.CharField(_("等级"), max_length=1, blank=True)
    volume = models.FloatField(_("案件量"), default=0)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    #: Why a listed unit is not ranked: "volume" (under the minimum) or "no_score".
    unranked_reason = models.CharField(_("不排名原因"), max_length=10, blank=True)
    #: 季点评: the composite of the previous quarter, for the change.
    previous_composite = models.FloatField(_("上期得分"), null=True, blank=True)

    objects = FrozenGuardQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["assessment", "kind", models.F("rank").asc(nulls_last=True), "-volume", "name"]
        indexes = [models.Index(fields=["unit", "assessment"], name="assessment_result_unit"),
                   models.Index(fields=["user", "assessment"], name="assessment_result_user")]

    def __str__(self) -> str:
        return f"{self.assessment} {self.name}"

    def save(self, *args, **kwargs):
        if Assessment.objects.filter(pk=self.assessment_id, status=Status.PUBLISHED).exists():
            raise AssessmentFrozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if Assessment.objects.filter(pk=self.assessment_id, status=Status.PUBLISHED).exists():
            raise AssessmentFrozen()
        return super().delete(*args, **kwargs)

    @property
    def change(self) -> float | None:
        """季点评: the composite's change against the previous quarter (None without both)."""
        if self.composite is None or self.previous_composite is None:
            return None
        return self.composite - self.previous_composite

    @property
    def key(self) -> str:
        return f"unit:{self.unit_id}" if self.unit_id else f"user:{self.user_id}"


class DailyCounters(models.Model):
    """The event counters (``counters.ROLLUP_COLUMNS``: each counter, and each family's event count)
    of one day and one grouping (see ``rollup.py``)."""

    day = models.DateField(_("日期"))

    class Meta:
        abstract = True


for _name in ROLLUP_COLUMNS:
    DailyCounters.add_to_class(_name, models.IntegerField(default=0))


class DailyCount(DailyCounters):
    """日汇总 of the units: one local day × district × sub-district × department × category (0: none).

    Plain integers, not foreign keys: 0 stands for "none" so the row's key is unique without NULLs
    (an upsert's conflict target), and the rollup never blocks deleting or merging a unit."""

    district = models.BigIntegerField(_("区"), default=0)
    subdistrict = models.BigIntegerField(_("街道"), default=0)
    department = models.BigIntegerField(_("处置部门"), default=0)
    category = models.BigIntegerField(_("小类"), default=0)

    KEY = ("day", "district", "subdistrict", "department", "category")

    class Meta:
        verbose_name = _("日汇总（单位）")
        verbose_name_plural = _("日汇总（单位）")
        constraints = [models.UniqueConstraint(fields=["day", "district", "subdistrict", "department", "category"],
                                               name="assessment_dailycount_key")]


class DailyPostCount(DailyCounters):
    """日汇总 of the posts: one local day × post (the role acted in) × person."""

    role = models.CharField(_("岗位"), max_length=20)
    user = models.BigIntegerField(_("人员"))

    KEY = ("day", "role", "user")

    class Meta:
        verbose_name = _("日汇总（岗位）")
        verbose_name_plural = _("日汇总（岗位）")
        constraints = [models.UniqueConstraint(fields=["day", "role", "user"], name="assessment_dailypostcount_key")]
