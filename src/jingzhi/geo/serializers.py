"""Query validation and response shapes of the geo API (the shapes also document the OpenAPI schema)."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jingzhi.core.limits import SHORT_TEXT

from .coords import CoordSystem
from .models import AreaLevel, DutyKind
from .selectors import MAX_GRID_BBOX_SPAN_DEG, BBox


class FiniteFloatField(serializers.FloatField):
    """A float that rejects NaN and infinity (which slip past min/max validators)."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value != value or value in (float("inf"), float("-inf")):
            self.fail("invalid")
        return value


class LocateQuerySerializer(serializers.Serializer):
    lon = FiniteFloatField(min_value=-180, max_value=180, help_text=_("经度"))
    lat = FiniteFloatField(min_value=-90, max_value=90, help_text=_("纬度"))
    coord_system = serializers.ChoiceField(choices=CoordSystem.choices, default=CoordSystem.WGS84,
                                           help_text=_("输入坐标的坐标系"))


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class LocationSerializer(serializers.Serializer):
    inside = serializers.BooleanField(help_text=_("false 表示不在服务范围内"))
    message = serializers.CharField()
    lon = serializers.FloatField(help_text=_("WGS84 经度"))
    lat = serializers.FloatField(help_text=_("WGS84 纬度"))
    district = UnitRefSerializer(allow_null=True)
    subdistrict = UnitRefSerializer(allow_null=True)
    community = UnitRefSerializer(allow_null=True)
    grid_code = serializers.CharField()
    responsible_units = serializers.DictField(child=UnitRefSerializer(), help_text=_("职责类型 → 责任单位"))


class AreasQuerySerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=AreaLevel.choices, default=AreaLevel.DISTRICT)


@extend_schema_field({"type": "string", "maxLength": SHORT_TEXT})
class BBoxField(serializers.CharField):
    """``minlon,minlat,maxlon,maxlat`` (WGS84) as a `BBox`, optionally at most ``max_span`` degrees per side."""

    def __init__(self, *, max_span: float | None = None, **kwargs):
        self.max_span = max_span
        super().__init__(**kwargs)
        self.max_length = SHORT_TEXT  # checked on the text below: a validator would see the BBox

    def to_internal_value(self, data) -> BBox:
        text = super().to_internal_value(data)
        if len(text) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        try:
            parts = [float(part) for part in text.split(",")]
        except ValueError:
            parts = []
        if len(parts) != 4 or any(part != part or abs(part) == float("inf") for part in parts):
            raise serializers.ValidationError(_("格式应为 minlon,minlat,maxlon,maxlat（四个数字）。"))
        bbox = BBox(*parts)
        if not (-180 <= bbox.min_lon < bbox.max_lon <= 180 and -90 <= bbox.min_lat < bbox.max_lat <= 90):
            raise serializers.ValidationError(_("范围无效：最小值须小于最大值且在经纬度范围内。"))
        if self.max_span is not None and max(bbox.max_lon - bbox.min_lon, bbox.max_lat - bbox.min_lat) > self.max_span:
            raise serializers.ValidationError(
                _("范围过大：每边不超过 %(span)s 度，请放大地图。") % {"span": self.max_span})
        return bbox


class GridsQuerySerializer(serializers.Serializer):
    bbox = BBoxField(max_span=MAX_GRID_BBOX_SPAN_DEG,
                     help_text=_("minlon,minlat,maxlon,maxlat（WGS84），每边不超过 0.08 度"))


class ZonesQuerySerializer(serializers.Serializer):
    duty = serializers.ChoiceField(choices=DutyKind.choices, required=False, help_text=_("只返回此职责类型"))
    bbox = BBoxField(required=False, help_text=_("minlon,minlat,maxlon,maxlat（WGS84），可选"))


def _feature_collection_serializer(name: str, properties: type[serializers.Serializer]):
    """A GeoJSON FeatureCollection shape for the schema, with ``properties`` described."""
    feature = type(f"{name}Feature", (serializers.Serializer,), {
        "type": serializers.CharField(help_text='"Feature"'),
        "geometry": serializers.JSONField(help_text=_("GeoJSON 几何，WGS84")),
        "properties": properties(),
    })
    return type(f"{name}FeatureCollection", (serializers.Serializer,), {
        "type": serializers.CharField(help_text='"FeatureCollection"'),
        "features": feature(many=True),
    })


class AreaPropertiesSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=AreaLevel.choices)
    generated = serializers.BooleanField()
    parent_code = serializers.CharField(allow_null=True)
    unit = serializers.CharField(allow_null=True)


class GridPropertiesSerializer(serializers.Serializer):
    code = serializers.CharField()
    area_m2 = serializers.FloatField()
    subdistrict = serializers.CharField(allow_null=True)


class ZonePropertiesSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    duty = serializers.ChoiceField(choices=DutyKind.choices)
    duty_label = serializers.CharField()
    unit = UnitRefSerializer()
    buffer_m = serializers.FloatField(help_text=_("线状对象两侧的责任范围（米）；几何为未缓冲的线"))


AreaCollectionSerializer = _feature_collection_serializer("Area", AreaPropertiesSerializer)
GridCollectionSerializer = _feature_collection_serializer("Grid", GridPropertiesSerializer)
ZoneCollectionSerializer = _feature_collection_serializer("Zone", ZonePropertiesSerializer)
