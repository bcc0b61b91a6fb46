"""``POST requests``' fields, as the specification names them, each bounded."""
from __future__ import annotations

import math
import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jingzhi.core.fields import TextField
from jingzhi.core.limits import NAME_TEXT, PHONE_TEXT, SHORT_TEXT

#: The specification's limit for ``description``.
DESCRIPTION_TEXT = 4000
#: ``attribute[CODE]`` or ``attribute[CODE][]`` (a multivaluelist's values).
ATTRIBUTE_FIELD = re.compile(r"attribute\[([^\[\]]{1,50})\](\[\])?")
#: Attribute fields one request may carry (the longest definition has a handful).
MAX_ATTRIBUTE_FIELDS = 50
_HAN = re.compile(r"[\u3400-\u9fff]")


class RequestCreateSerializer(serializers.Serializer):
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    long = serializers.FloatField(required=False, min_value=-180, max_value=180)
    address_string = TextField(required=False, max_length=SHORT_TEXT)
    address_id = TextField(required=False, max_length=100)
    email = serializers.EmailField(required=False, max_length=254)
    device_id = TextField(required=False, max_length=100)
    account_id = TextField(required=False, max_length=100)
    first_name = TextField(required=False, max_length=NAME_TEXT)
    last_name = TextField(required=False, max_length=NAME_TEXT)
    phone = TextField(required=False, max_length=PHONE_TEXT)
    description = TextField(required=False, max_length=DESCRIPTION_TEXT)
    media_url = serializers.URLField(required=False, max_length=500)
    media = serializers.FileField(required=False)

    def validate(self, attrs):
        has_point = "lat" in attrs or "long" in attrs
        if has_point and not ("lat" in attrs and "long" in attrs):
            raise serializers.ValidationError({"long" if "lat" in attrs else "lat": [_("lat 与 long 须同时提供。")]})
        if has_point and not all(math.isfinite(attrs[name]) for name in ("lat", "long")):
            raise serializers.ValidationError({"lat": [_("坐标须为有限数值。")]})
        if not has_point:
            if attrs.get("address_string") or attrs.get("address_id"):
                # Cases are routed by their point (grid, district, department); there is no geocoder.
                raise serializers.ValidationError({"lat": [_("本接口按坐标定位：请提供 lat 和 long（WGS84）。")]})
            raise serializers.ValidationError({"lat": [_("缺少位置：请提供 lat 和 long（WGS84）。")]})
        if len(reporter_name(attrs)) > NAME_TEXT:
            message = _("姓名合计最多 %(count)d 个字符。") % {"count": NAME_TEXT}
            raise serializers.ValidationError({"last_name": [message]})
        return attrs


def reporter_name(attrs: dict) -> str:
    """The name as kept on the case: family name first for a Chinese name (张 + 三 → 张三)."""
    first, last = attrs.get("first_name", "").strip(), attrs.get("last_name", "").strip()
    if _HAN.search(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()


def attribute_fields(data) -> dict[str, list[str]]:
    """The ``attribute[CODE]`` fields of a form: code → the values sent (a list for ``[]`` fields)."""
    found: dict[str, list[str]] = {}
    for name in data:
        match = ATTRIBUTE_FIELD.fullmatch(name)
        if match:
            if len(found) >= MAX_ATTRIBUTE_FIELDS:
                raise serializers.ValidationError({"attribute": [_("附加字段过多。")]})
            found.setdefault(match.group(1), []).extend(str(value) for value in data.getlist(name))
    return found
