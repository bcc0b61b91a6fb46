"""API shapes of the inspections: templates (read from data), rounds, inspections and their results."""
from __future__ import annotations

import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.utils import html

from jingzhi.core.fields import BoundedDateField, BoundedDateTimeField, TextField
from jingzhi.core.limits import JSON_MAX_DEPTH, LONG_TEXT, SHORT_TEXT
from jingzhi.core.rest import json_depth

from .checklists import templates_all
from .models import Inspection, InspectionPhoto, InspectionResult, InspectionRound
from .services import MAX_STOPS


class LimitSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=["at_most", "at_least"])
    default = serializers.DecimalField(max_digits=14, decimal_places=4)
    by = serializers.CharField(help_text="限值所依据的设施属性（如 road_class）；为空则限值固定")
    values = serializers.DictField(child=serializers.DecimalField(max_digits=14, decimal_places=4),
                                   help_text="属性值 → 限值")

    def to_representation(self, instance):
        return {"op": instance.op, "default": str(instance.default), "by": instance.by,
                "values": {key: str(value) for key, value in instance.values}}


class ItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["check", "measure", "ratio", "samples"])
    category = serializers.CharField(help_text="不合格时生成案件的小类（案卷号前缀，如 C0301）")
    points = serializers.IntegerField()
    limit = LimitSerializer(allow_null=True)
    unit = serializers.CharField()
    optional = serializers.BooleanField()
    section = serializers.CharField()


class TemplateSerializer(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.IntegerField()
    name = serializers.CharField()
    asset_kind = serializers.CharField()
    pass_score = serializers.DecimalField(max_digits=4, decimal_places=1)
    aggregate = serializers.ChoiceField(choices=["mean", "median"])
    min_samples = serializers.IntegerField()
    repeat_window_days = serializers.IntegerField()
    description = serializers.CharField()
    items = ItemSerializer(many=True)


class RoundSerializer(serializers.ModelSerializer):
    inspector = serializers.CharField(source="inspector.__str__", read_only=True)
    inspector_id = serializers.IntegerField(read_only=True)
    unit = serializers.CharField(source="unit.name", default="", read_only=True)
    stops = serializers.SerializerMethodField()
    inspections = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = InspectionRound
        fields = ["id", "name", "template_code", "date", "unit", "inspector", "inspector_id", "state", "note",
                  "stops", "inspections"]

    @extend_schema_field({"type": "array", "items": {"type": "integer"}, "description": "路线上的设施 id，按顺序"})
    def get_stops(self, inspection_round) -> list[int]:
        return [stop.asset_id for stop in inspection_round.stops.all()]


class RoundPlanSerializer(serializers.Serializer):
    name = TextField(max_length=100)
    template_code = serializers.ChoiceField(choices=[])
    date = BoundedDateField()
    inspector = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="监督员的用户 id")
    assets = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
                                   min_length=1, max_length=MAX_STOPS, help_text="路线上的设施 id，按顺序")
    note = TextField(max_length=SHORT_TEXT, required=False, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template_code"].choices = list(templates_all())


class InspectionPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=gettext_lazy("照片地址（按权限提供，无公开地址）"))

    class Meta:
        model = InspectionPhoto
        fields = ["id", "url"]

    def get_url(self, photo) -> str:
        request = self.context.get("request")
        path = photo.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class InspectionResultSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.number", default=None, read_only=True, allow_null=True,
                                 help_text="不合格项生成的案卷号")
    case_id = serializers.IntegerField(read_only=True, allow_null=True)
    case_urgency = serializers.CharField(source="case.urgency", default=None, read_only=True, allow_null=True)
    photos = InspectionPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = InspectionResult
        fields = ["item_code", "label", "value", "figure", "bound", "unit", "passed", "case", "case_id",
                  "case_urgency", "photos"]


class InspectionSerializer(serializers.ModelSerializer):
    inspector = serializers.CharField(source="inspector.__str__", read_only=True)
    district = serializers.CharField(source="district.name", default="", read_only=True)
    results = InspectionResultSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "round", "template_code", "template_version", "asset", "inspector", "lon", "lat", "district",
                  "started_at", "submitted_at", "score", "passed", "note", "results"]


#: The longest ``values`` written as JSON text in a multipart submission (a template's items, sample
#: points and all, take a few hundred characters; a JSON body is bounded by the request's size).
VALUES_TEXT_MAX = 100_000


class ItemValuesField(serializers.DictField):
    """Item code → recorded value: a JSON object in a JSON body; in form data (a multipart
    submission, which carries the photos) the same object written as JSON text."""

    def get_value(self, dictionary):
        if html.is_html_input(dictionary):  # one text value, not DRF's ``values.<key>`` form fields
            return dictionary.get(self.field_name, empty)
        return super().get_value(dictionary)

    def to_internal_value(self, data):
        if isinstance(data, str) and html.is_html_input(getattr(self.parent, "initial_data", None)):
            data = self._parsed(data)
        return super().to_internal_value(data)

    def _parsed(self, text: str):
        message = _("请以 JSON 对象填写（检查项代码 → 记录值），最多 %(most)s 个字符。") % {"most": VALUES_TEXT_MAX}
        if len(text) > VALUES_TEXT_MAX:
            raise serializers.ValidationError(message)
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            raise serializers.ValidationError(message) from None
        if json_depth(data) > JSON_MAX_DEPTH:
            raise serializers.ValidationError(message)
        return data


class InspectionSubmitSerializer(serializers.Serializer):
    template_code = serializers.ChoiceField(choices=[])
    round = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True,
                                     help_text="检查轮次 id（临时检查不填）")
    asset = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True,
                                     help_text="设施 id（临时检查可不填，但须给出位置）")
    lon = serializers.FloatField(min_value=-180, max_value=180, required=False, allow_null=True,
                                 help_text="检查人员位置，WGS84 经度")
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True,
                                 help_text="检查人员位置，WGS84 纬度")
    started_at = BoundedDateTimeField(required=False, allow_null=True)
    values = ItemValuesField(
        child=serializers.JSONField(), help_text="检查项代码 → 记录值：check 为 true/false；measure 为数字；"
        "ratio 为 {numerator, denominator}；samples 为 [{net_g, frame_m2}]（frame_m2 缺省 1）。选填项可省略。")
    note = TextField(max_length=LONG_TEXT, required=False, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template_code"].choices = list(templates_all())

    def validate_values(self, value):
        if len(value) > 100:
            raise serializers.ValidationError("最多 100 项。")
        return value


class InspectionSubmitFormSerializer(InspectionSubmitSerializer):
    """The schema of the same submission sent as ``multipart/form-data`` with photos: ``values`` as
    JSON text and a ``photo_<item code>`` file field per item (several files each). Documentation
    only: the view reads such a request with ``InspectionSubmitSerializer`` (whose ``values`` reads
    the text) and the photos with ``forms.fill_photos``, as the phone page does."""

    values = TextField(max_length=VALUES_TEXT_MAX, help_text=gettext_lazy(
        "与 JSON 提交的 values 相同的对象，写成 JSON 文本"))

    def get_fields(self):
        fields = super().get_fields()
        items: dict[str, list[str]] = {}
        for template in templates_all().values():
            for item in template.items:
                items.setdefault(item.code, []).append(f"{template.name}：{item.label}")
        for code, labels in sorted(items.items()):
            fields[f"photo_{code}"] = serializers.ListField(
                child=serializers.FileField(), required=False, help_text=_(
                    "该检查项的照片（JPG、PNG 或 WEBP，可多张；须是所选模板的检查项）：%(items)s")
                % {"items": "；".join(labels)})
        return fields
