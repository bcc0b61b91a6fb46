"""Places: administrative areas, unit grids (万米单元网格) and responsibility zones.

Geometry is stored as GeoJSON text in WGS84 (no GeoDjango: the servers have no GDAL/PostGIS), with a
bounding box in four indexed float columns so "what is in this map view" is a plain range query.
Point-in-polygon work happens in memory on a Shapely STRtree (see `routing.py`).
"""
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhi.org.models import Unit


class AreaLevel(models.TextChoices):
    CITY = "city", _("市")
    DISTRICT = "district", _("区/县/管委会")
    SUBDISTRICT = "subdistrict", _("街道/乡镇")
    COMMUNITY = "community", _("社区")


class DutyKind(models.TextChoices):
    """Kinds of duty a responsibility zone assigns; a point may fall under several at once."""

    ROAD_CHIEF = "road_chief", _("路长")
    ROAD_MAINTAINER = "road_maintainer", _("道路养护单位")
    RIVER_CHIEF = "river_chief", _("河长")
    RIVER_MANAGER = "river_manager", _("河道管理单位")
    PARK_MANAGER = "park_manager", _("公园管理单位")


class Shaped(models.Model):
    """A GeoJSON geometry (WGS84) with its bounding box for range queries."""

    geometry = models.TextField(_("几何（GeoJSON，WGS84）"))
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()

    class Meta:
        abstract = True


class Area(Shaped):
    """An administrative area; ``generated`` marks boundaries the platform drew itself."""

    level = models.CharField(_("层级"), max_length=20, choices=AreaLevel.choices)
    code = models.CharField(
        _("区划代码"), max_length=12, unique=True,
        help_text=_("区县 6 位，街道 9 位，社区 12 位（统计用区划代码）"),
    )
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区域"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="children",
    )
    unit = models.OneToOneField(
        Unit, verbose_name=_("对应单位"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="area",
    )
    generated = models.BooleanField(
        _("系统生成"), default=False, help_text=_("没有真实边界数据时由上级区域划分生成"),
    )
    source = models.CharField(_("来源"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("行政区域")
        verbose_name_plural = _("行政区域")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Grid(Shaped):
    """One 万米单元网格: about 100 m × 100 m, clipped to its sub-district (see docs/geo.md for the code)."""

    code = models.CharField(_("网格编码"), max_length=15, unique=True)
    district = models.ForeignKey(
        Area, verbose_name=_("区县"), on_delete=models.CASCADE, related_name="district_grids",
    )
    subdistrict = models.ForeignKey(
        Area, verbose_name=_("责任街道"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="subdistrict_grids",
    )
    community = models.ForeignKey(
        Area, verbose_name=_("社区"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="community_grids",
    )
    area_m2 = models.FloatField(_("面积（平方米）"))

    class Meta:
        verbose_name = _("单元网格")
        verbose_name_plural = _("单元网格")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["min_lon", "max_lon"], name="geo_grid_lon_range"),
            models.Index(fields=["min_lat", "max_lat"], name="geo_grid_lat_range"),
        ]

    def __str__(self) -> str:
        return self.code


class ResponsibilityZone(Shaped):
    """Who answers for a road, river or park: a polygon, or a line plus a buffer in metres."""

    name = models.CharField(_("名称"), max_length=100)
    duty = models.CharField(_("职责"), max_length=30, choices=DutyKind.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT,
                             related_name="responsibility_zones")
    buffer_m = models.FloatField(
        _("缓冲距离（米）"), default=0, help_text=_("线状对象（道路、河道）两侧多远以内归该单位负责"),
    )

    class Meta:
        verbose_name = _("责任区")
        verbose_name_plural = _("责任区")
        ordering = ["duty", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "duty"], name="geo_zone_unique_name_duty")]

    def __str__(self) -> str:
        return f"{self.name} · {self.get_duty_display()}"


class GeographyVersion(models.Model):
    """One row whose token changes on every geography write.

    Each process caches its spatial index with the token it was built from and rebuilds when the
    token differs, so web and Celery workers all see a change without talking to each other. A random
    token (not a counter) stays correct when a transaction that bumped it is rolled back.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)
