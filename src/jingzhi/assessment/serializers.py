"""API shapes of the assessment (read-only but for the office's commentary)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jingzhi.core.fields import TextField
from jingzhi.core.limits import LONG_TEXT, NAME_TEXT

from .errors import PeriodInvalid
from .models import Assessment, Result
from .periods import period_parse


class AssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assessment
        fields = ["period", "period_kind", "start", "end", "scheme_version", "status", "computed_at",
                  "published_at", "commentary", "praise", "criticism", "issuing_office"]
        read_only_fields = fields


class ResultSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="assessment.period", read_only=True)
    change = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Result
        fields = ["id", "period", "kind", "unit", "user", "name", "composite", "grade", "rank", "unranked_reason",
                  "volume", "previous_composite", "change", "counters", "rates", "terms"]
        read_only_fields = fields


class CommentarySerializer(serializers.Serializer):
    commentary = TextField(max_length=LONG_TEXT, required=False, allow_blank=True, default="")
    praise = TextField(max_length=LONG_TEXT, required=False, allow_blank=True, default="")
    criticism = TextField(max_length=LONG_TEXT, required=False, allow_blank=True, default="")
    issuing_office = TextField(max_length=NAME_TEXT, required=False, allow_blank=True, default="")


class ComputeSerializer(serializers.Serializer):
    period = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$", max_length=7,
        error_messages={"invalid": _("考核期格式应为 YYYY-MM 或 YYYY-Qn，例如 2026-03 或 2026-Q1。")})

    def validate_period(self, value: str) -> str:
        try:
            return period_parse(value).code
        except PeriodInvalid as error:
            raise serializers.ValidationError(str(error)) from None


class DrilldownRowSerializer(serializers.Serializer):
    """One row a counter counted: a case event (with its case) or, for the backlog, an open case."""

    case = serializers.IntegerField()
    case_number = serializers.CharField()
    action = serializers.CharField(allow_blank=True)
    at = serializers.DateTimeField(allow_null=True)
    done_in_time = serializers.BooleanField(allow_null=True)
    state = serializers.CharField()
    outcome = serializers.CharField(allow_blank=True)
