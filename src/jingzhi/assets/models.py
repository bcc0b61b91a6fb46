"""The registries (台账): assets of every kind, who answers for them and every change of state.

An asset's kind is a code of ``data/assets/kinds.yaml`` (not a table: kinds are data, see `kinds`),
its ``attributes`` are the current state and each state change writes one `AssetEvent` with the full
attributes after it, so the state at any past date is the attributes of the last event on or before
that date (`selectors.assets_as_of`). Geometry is GeoJSON in WGS84; the representative point
(``lon``/``lat``) is located through geo routing into district, sub-district, grid and zone.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhi.geo.models import Area, Grid, ResponsibilityZone
from jingzhi.org.models import Unit


class AssetStatus(models.TextChoices):
    ACTIVE = "active", _("在用")
    REMOVED = "removed", _("已拆除/撤销")


class AssetChange(models.TextChoices):
    """What an `AssetEvent` records; ``built`` is always an asset's first event."""

    BUILT = "built", _("新建")
    UPGRADED = "upgraded", _("改造提升")
    REPAIRED = "repaired", _("维修")
    REMOVED = "removed", _("拆除/撤销")
    CLASS_CHANGED = "class_changed", _("等级变更")
    ATTRIBUTES_CHANGED = "attributes_changed", _("属性变更")


class Asset(models.Model):
    kind = models.CharField(_("台账类型"), max_length=30, db_index=True)
    code = models.CharField(_("编号"), max_length=50)
    name = models.CharField(_("名称"), max_length=100)
    geometry = models.JSONField(_("几何（GeoJSON，WGS84）"))
    lon = models.DecimalField(_("经度（WGS84）"), max_digits=10, decimal_places=7)
    lat = models.DecimalField(_("纬度（WGS84）"), max_digits=10, decimal_places=7)
    #: No index of their own on district, sub-district and zone (``asset_kind_district`` serves the
    #: lists; each index costs a tenth of a 100,000-row import's write).
    district = models.ForeignKey(Area, verbose_name=_("所在区"), null=True, blank=True, db_index=False,
                                 on_delete=models.SET_NULL, related_name="+")
    subdistrict = models.ForeignKey(Area, verbose_name=_("所在街道"), null=True, blank=True, db_index=False,
                                    on_delete=models.SET_NULL, related_name="+")
    #: By code, so a regenerated grid with the same code keeps its assets, and routing (which answers
    #: grid codes) needs no lookup.
    grid = models.ForeignKey(Grid, verbose_name=_("单元网格"), to_field="code", db_column="grid_code",
                             null=True, blank=True, on_delete=models.SET_NULL, db_constraint=False,
                             related_name="+")
    zone = models.ForeignKey(ResponsibilityZone, verbose_name=_("责任区"), null=True, blank=True, db_index=False,
                             on_delete=models.SET_NULL, related_name="+")
    department = models.ForeignKey(Unit, verbose_name=_("管养/责任单位"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    attributes = models.JSONField(_("属性"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=AssetStatus.choices, default=AssetStatus.ACTIVE)
    built_on = models.DateField(_("建成日期"), null=True, blank=True)
    removed_on = models.DateField(_("拆除日期"), null=True, blank=True)
    generated = models.BooleanField(_("系统生成"), default=False,
                                    help_text=_("没有真实台账时为演示生成的记录"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("台账设施")
        verbose_name_plural = _("台账设施")
        ordering = ["kind", "code"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="asset_unique_kind_code")]
        indexes = [
            models.Index(fields=["kind", "district"], name="asset_kind_district"),
            models.Index(fields=["kind", "status"], name="asset_kind_status"),
            models.Index(fields=["lon", "lat"], name="asset_lon_lat"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class AssetKeeper(models.Model):
    """A person who answers for an asset (路长, 河长, 工地负责人 …); notified of cases on it."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="keepers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("责任人"), on_delete=models.CASCADE,
                             related_name="kept_assets")
    role = models.CharField(_("职责"), max_length=30)

    class Meta:
        verbose_name = _("设施责任人")
        verbose_name_plural = _("设施责任人")
        constraints = [models.UniqueConstraint(fields=["asset", "user"], name="asset_keeper_unique")]

    def __str__(self) -> str:
        return f"{self.asset} · {self.role} · {self.user}"


class AssetEvent(models.Model):
    """One change of an asset's state, with the full attributes after it.

    ``on`` is null only for the ``built`` event of an asset whose build date is unknown (it existed
    before the registry): that state counts as in force at every date before the next event.
    """

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="events")
    change = models.CharField(_("变更"), max_length=20, choices=AssetChange.choices)
    on = models.DateField(_("日期"), null=True, blank=True)
    attributes = models.JSONField(_("变更后属性"), default=dict)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("台账变更")
        verbose_name_plural = _("台账变更")
        ordering = ["asset", models.F("on").asc(nulls_first=True), "id"]
        indexes = [models.Index(fields=["change", "on"], name="asset_event_change_on")]

    def __str__(self) -> str:
        return f"{self.asset} · {self.get_change_display()} · {self.on or '—'}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    CHECKING = "checking", _("校验中")
    WRITING = "writing", _("写入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class AssetImport(models.Model):
    """One import of a registry file and its progress record: the page polls it while a worker runs
    the import, and it keeps the per-row report (row, column, message) for the page and the download."""

    kind = models.CharField(_("台账类型"), max_length=30)
    file = models.FileField(_("文件"), upload_to="asset-imports/", blank=True)
    file_name = models.CharField(_("文件名"), max_length=200)
    coord_system = models.CharField(_("坐标系"), max_length=10)
    keep_valid = models.BooleanField(_("导入其中的正确行"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    processed = models.PositiveIntegerField(_("已处理行数"), default=0)
    created_count = models.PositiveIntegerField(_("导入条数"), default=0)
    problem_count = models.PositiveIntegerField(_("问题数"), default=0)
    #: [[row, column, message], …], at most ASSET_IMPORT_MAX_PROBLEMS (``problem_count`` is exact).
    problems = models.JSONField(_("问题"), default=list, blank=True)
    error = models.CharField(_("错误"), max_length=1000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("台账导入")
        verbose_name_plural = _("台账导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} · {self.get_status_display()}"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return int(100 * self.processed / self.total) if self.total else 0
