"""Serializers of the registries' API: kinds (data), assets (list and record), creation and changes."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jingzhi.core.fields import BoundedDateField, TextField
from jingzhi.core.limits import SHORT_TEXT
from jingzhi.geo.coords import CoordSystem
from jingzhi.geo.serializers import UnitRefSerializer
from jingzhi.org.models import Unit

from .importing import CODE_MAX, NAME_MAX
from .kinds import asset_kinds
from .models import Asset, AssetChange, AssetEvent


class AttributeSpecSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.CharField()
    required = serializers.BooleanField()
    choices = serializers.ListField(child=serializers.CharField())
    choice_labels = serializers.SerializerMethodField()
    unit = serializers.CharField()
    derived = serializers.SerializerMethodField()

    def get_choice_labels(self, spec) -> dict[str, str]:
        return dict(spec.choice_labels)

    def get_derived(self, spec) -> dict | None:
        return {"from": spec.derived.source, "at_least": spec.derived.at_least} if spec.derived else None


class AssetKindSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    label_en = serializers.CharField()
    geometry = serializers.CharField(help_text=_("point | line | polygon"))
    keeper_role = serializers.CharField()
    duty = serializers.CharField()
    categories = serializers.ListField(child=serializers.CharField(), help_text=_("案件小类代码，如 C0301"))
    attributes = AttributeSpecSerializer(many=True)


class AssetSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.name", allow_null=True, default=None)
    subdistrict = serializers.CharField(source="subdistrict.name", allow_null=True, default=None)
    grid_code = serializers.CharField(source="grid_id", allow_null=True)
    department = UnitRefSerializer(allow_null=True)
    lon = serializers.FloatField()
    lat = serializers.FloatField()
    page = serializers.SerializerMethodField(help_text=_("台账页面"))

    class Meta:
        model = Asset
        fields = ["id", "kind", "code", "name", "lon", "lat", "district", "subdistrict", "grid_code", "department",
                  "status", "built_on", "removed_on", "generated", "attributes", "page"]

    def get_page(self, asset) -> str:
        return reverse("assets:detail", args=[asset.kind, asset.pk])


class AssetEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssetEvent
        fields = ["id", "change", "on", "attributes", "note", "created_at"]


class KeeperSerializer(serializers.Serializer):
    name = serializers.CharField(source="user.__str__")
    role = serializers.CharField()


class AssetDetailSerializer(AssetSerializer):
    geometry = serializers.JSONField(help_text=_("GeoJSON 几何，WGS84"))
    zone = serializers.CharField(source="zone.name", allow_null=True, default=None)
    keepers = KeeperSerializer(many=True)
    events = AssetEventSerializer(many=True)

    class Meta(AssetSerializer.Meta):
        fields = [*AssetSerializer.Meta.fields, "geometry", "zone", "keepers", "events"]


@extend_schema_field({"type": "object", "additionalProperties": True})
class AttributesField(serializers.DictField):
    """The attributes as the kind defines them (validated by the service, per attribute)."""


class AssetCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[(kind.code, kind.label) for kind in asset_kinds()])
    code = TextField(max_length=CODE_MAX)
    name = TextField(max_length=NAME_MAX)
    geometry = serializers.JSONField(help_text=_("GeoJSON 几何（或 Feature），坐标系见 coord_system"))
    coord_system = serializers.ChoiceField(choices=CoordSystem.choices, default=CoordSystem.WGS84)
    attributes = AttributesField(required=False, default=dict)
    built_on = BoundedDateField(required=False, allow_null=True, default=None)
    department = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False, allow_null=True,
                                                    default=None)


class AssetChangeSerializer(serializers.Serializer):
    change = serializers.ChoiceField(choices=[c for c in AssetChange.choices if c[0] != AssetChange.BUILT])
    on = BoundedDateField()
    attributes = AttributesField(required=False, default=dict, help_text=_("变更的属性（与当前属性合并）"))
    note = TextField(max_length=SHORT_TEXT, required=False, allow_blank=True, default="")
