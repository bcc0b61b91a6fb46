"""What the portal's report form and its duplicate look-up accept."""
from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import serializers

from jingzhi.cases.serializers import CaseCreateSerializer, CategoryCodeField
from jingzhi.geo.coords import CoordSystem

#: A phone number as people type it: digits with an optional +, spaces or dashes (mobile or landline).
PHONE = re.compile(r"\+?[0-9][0-9 \-]{4,19}")


class PortalReportSerializer(CaseCreateSerializer):
    """A citizen's report: the staff form's fields without those only staff set (the source is
    always 市民上报, no urgency, no 自处理), and at most ``PORTAL_MAX_PHOTOS`` photos."""

    source = None
    urgency = None
    self_handled = None
    before_photos = None
    after_photos = None

    def validate_photos(self, photos):
        if len(photos) > settings.PORTAL_MAX_PHOTOS:
            raise serializers.ValidationError(
                _("最多上传 %(count)d 张照片。") % {"count": settings.PORTAL_MAX_PHOTOS}, code="too_many_photos")
        return photos

    def validate_reporter_phone(self, phone: str) -> str:
        phone = phone.strip()
        if phone and not PHONE.fullmatch(phone):
            raise serializers.ValidationError(_("请填写有效的电话号码（数字）。"), code="invalid_phone")
        return phone


class DuplicateQuerySerializer(serializers.Serializer):
    """A place and a category, as the report form has them before it is sent."""

    category = CategoryCodeField(help_text=_("带类型字母的小类代码，如 E0501"))
    lon = serializers.FloatField(min_value=-180, max_value=180)
    lat = serializers.FloatField(min_value=-90, max_value=90)
    coord_system = serializers.ChoiceField(choices=CoordSystem.choices, default=CoordSystem.WGS84)


class DuplicateCandidateSerializer(serializers.Serializer):
    """One open case near the place, as anyone may see it: no reporter, no exact position."""

    number = serializers.CharField()
    category = serializers.CharField()
    status = serializers.CharField(help_text=_("办理阶段"))
    distance_m = serializers.IntegerField(help_text=_("与所选位置的距离（米）"))
    reported_on = serializers.DateField()
    description = serializers.CharField(help_text=_("公开的问题描述；未公开时为空"))
    thumbnail = serializers.CharField(help_text=_("缩略图地址；没有可公开的照片时为空"))


class DuplicatesSerializer(serializers.Serializer):
    radius_m = serializers.IntegerField(help_text=_("该类别的重复判定半径（米）"))
    point = serializers.DictField(child=serializers.FloatField(), help_text=_("所选位置在底图坐标系中的经纬度"))
    candidates = DuplicateCandidateSerializer(many=True)
