"""API (de)serialisation. Serializers parse and present; the rules stay in services.

Action request serializers are generated from ``workflow.ACTION_SPECS`` so the API, the HTML
forms and the table never disagree about what an action asks for.
"""
from __future__ import annotations

import functools

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jingzhi.assets.models import Asset
from jingzhi.assets.selectors import assets_visible
from jingzhi.core.fields import BoundedDateTimeField, StrictBooleanField, TextField
from jingzhi.core.limits import LONG_TEXT, NAME_TEXT, PHONE_TEXT, SHORT_TEXT
from jingzhi.core.uploads import UploadLimitMixin
from jingzhi.geo.coords import CoordSystem
from jingzhi.org.models import Unit
from jingzhi.org.privacy import mask_name, mask_phone

from .models import (
    Case,
    CaseEvent,
    CasePhoto,
    Category,
    Notification,
    OnSiteStep,
    Outcome,
    OutcomeReason,
    PhotoKind,
    RejectReason,
    Satisfaction,
    Source,
    Urgency,
)
from .rules import CLOSE_NOT_FIXED_REASONS, MAX_POSTPONE_DAYS, REJECT_REASONS, case_actions_for
from .selectors import category_by_code, dispatch_units, event_actor_name, inspectors, user_sees_contact
from .workflow import ACTION_SPECS, State

#: Upload fields of the action forms and the kind of photo each one stores.
PHOTO_FIELDS = {"photos": PhotoKind.CHECK, "before_photos": PhotoKind.BEFORE, "after_photos": PhotoKind.AFTER}


@extend_schema_field({"type": "string", "maxLength": 10, "example": "E0501"})
class CategoryCodeField(serializers.Field):
    """A category by its code with the kind letter, as in case numbers: C0101, E0501."""

    default_error_messages = {"unknown": _("未知的案件类别：{code}。")}

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 10:
            self.fail("unknown", code=str(data)[:10])
        code = data.strip().upper()
        category = category_by_code(code)
        if category is None:
            self.fail("unknown", code=code[:10])
        return category

    def to_representation(self, value):
        return value.number_prefix


class CategorySerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="number_prefix", read_only=True)
    small_class_code = serializers.CharField(source="code", read_only=True)
    kind = serializers.CharField(source="category_class.kind", read_only=True)
    class_name = serializers.CharField(source="category_class.name", read_only=True)
    department_unit = serializers.CharField(source="department_unit.name", default="", read_only=True)

    class Meta:
        model = Category
        fields = ["id", "code", "small_class_code", "kind", "class_name", "name", "name_en", "filing_criteria",
                  "closing_criteria", "department_rule", "department_unit", "time_limits", "on_site_steps"]


def _foreign_key_id(name: str) -> serializers.IntegerField:
    """A foreign key shown as its id, read from ``<name>_id`` without loading the object."""
    return serializers.IntegerField(source=f"{name}_id", read_only=True, allow_null=True)


def _unit_name(unit: Unit | None) -> str:
    return unit.name if unit else ""


class CaseSerializer(serializers.Serializer):
    """A case as the API shows it (read-only).

    A plain Serializer on purpose: DRF re-introspects the model for every ModelSerializer
    instance, which cost as much as the rest of an intake request (see bench/cases.py)."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)
    category = CategoryCodeField(read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    source = serializers.ChoiceField(choices=Source.choices, read_only=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, read_only=True)
    description = serializers.CharField(read_only=True)
    address = serializers.CharField(read_only=True)
    lon = serializers.FloatField(read_only=True, help_text=_("WGS84"))
    lat = serializers.FloatField(read_only=True, help_text=_("WGS84"))
    coord_system = serializers.CharField(read_only=True, help_text=_("上报时的坐标系"))
    district = _foreign_key_id("district")
    district_name = serializers.SerializerMethodField()
    subdistrict = _foreign_key_id("subdistrict")
    grid_code = serializers.CharField(read_only=True)
    state = serializers.ChoiceField(choices=State.choices, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    stage = serializers.CharField(read_only=True, help_text=_("当前计时环节：dispatch、handle、verify 或空"))
    stage_deadline = serializers.DateTimeField(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()
    escalated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    department = _foreign_key_id("department")
    department_name = serializers.SerializerMethodField()
    suggested_department = _foreign_key_id("suggested_department")
    suggested_department_name = serializers.SerializerMethodField()
    reporter_name = serializers.SerializerMethodField()
    reporter_phone = serializers.SerializerMethodField()
    inspector = _foreign_key_id("inspector")
    duplicate_of = _foreign_key_id("duplicate_of")
    reject_reason = serializers.CharField(read_only=True)
    outcome = serializers.CharField(read_only=True, help_text=_("办结结果：fixed、not_fixed 或空（未办结）"))
    outcome_reason = serializers.CharField(read_only=True)
    rework_count = serializers.IntegerField(read_only=True)
    satisfaction = serializers.CharField(read_only=True, help_text=_("最近一次回访评价：satisfied、fairly_satisfied、dissatisfied 或空"))  # noqa: E501 (one translated message)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    actions = serializers.SerializerMethodField()

    def get_district_name(self, case) -> str:
        return _unit_name(case.district)

    def get_department_name(self, case) -> str:
        return _unit_name(case.department)

    def get_suggested_department_name(self, case) -> str:
        return _unit_name(case.suggested_department)

    def get_overdue(self, case) -> bool:
        """Read along by ``selectors.cases_with_overdue``: the one definition of overdue."""
        return case.overdue

    def _sees_contact(self, case) -> bool:
        return user_sees_contact(user=self.context["request"].user, case=case)

    def get_reporter_name(self, case) -> str:
        return case.reporter_name if self._sees_contact(case) else mask_name(case.reporter_name)

    def get_reporter_phone(self, case) -> str:
        return case.reporter_phone if self._sees_contact(case) else mask_phone(case.reporter_phone)

    def get_actions(self, case) -> list[str]:
        return case_actions_for(case=case, user=self.context["request"].user)


#: Formats a datetime as the API does (settings, current time zone); holds no per-request state.
_DATETIME = serializers.DateTimeField()


class CaseReceiptSerializer(serializers.Serializer):
    """What reporting a case answers (like Open311's service_request_id): the new case's number,
    state and routing. Small on purpose; the full case is at GET /api/cases/cases/{id}/."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)
    category = CategoryCodeField(read_only=True)
    state = serializers.ChoiceField(choices=State.choices, read_only=True)
    district = _foreign_key_id("district")
    subdistrict = _foreign_key_id("subdistrict")
    grid_code = serializers.CharField(read_only=True)
    suggested_department = _foreign_key_id("suggested_department")
    created_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, case) -> dict:
        """The declared fields' output, written out: building the bound fields of a DRF
        serializer (a deep copy of each) cost more than the rest of the receipt, and intake is
        the hottest write path. ``tests/cases/test_intake_receipt.py`` checks it matches DRF's."""
        return {
            "id": case.pk, "number": str(case.number), "category": case.category.number_prefix,
            "state": str(case.state), "district": case.district_id, "subdistrict": case.subdistrict_id,
            "grid_code": str(case.grid_code),
            "suggested_department": case.suggested_department_id,
            "created_at": _DATETIME.to_representation(case.created_at),
        }


class CasePhotoSerializer(serializers.ModelSerializer):
    photo_kind = serializers.ChoiceField(source="kind", choices=PhotoKind.choices, read_only=True)
    url = serializers.SerializerMethodField(help_text="scoped download URL (no public media URL)")

    class Meta:
        model = CasePhoto
        fields = ["id", "photo_kind", "url", "event", "created_at"]

    def get_url(self, photo) -> str:
        request = self.context.get("request")
        path = photo.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class CaseEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    # Plain strings: the State enum is documented once, on Case.state.
    from_state = serializers.CharField(read_only=True)
    to_state = serializers.CharField(read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["id", "action", "action_label", "from_state", "to_state", "actor", "actor_name", "actor_role",
                  "created_at", "comment", "data", "stage_deadline", "done_in_time"]

    def get_actor_name(self, event) -> str:
        return event_actor_name(event=event, user=self.context["request"].user)


class OnSiteStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = OnSiteStep
        fields = ["order", "name", "limit_value", "limit_unit", "due_at", "arrived_at", "done_in_time"]


class CaseDetailSerializer(CaseSerializer):
    events = CaseEventSerializer(many=True, read_only=True)
    photos = CasePhotoSerializer(many=True, read_only=True)
    on_site_steps = OnSiteStepSerializer(many=True, read_only=True)


@extend_schema_field({"type": "integer", "nullable": True})
class VisibleAssetField(serializers.PrimaryKeyRelatedField):
    """A registry asset (``assets.Asset``) by id, among those the requesting user may see; none without
    a signed-in user in the serializer's context (the citizen portal reports on no asset)."""

    def get_queryset(self):
        user = getattr(self.context.get("request"), "user", None)
        if user is None or not user.is_authenticated:
            return Asset.objects.none()
        return assets_visible(user=user)


class CaseCreateSerializer(UploadLimitMixin, serializers.Serializer):
    category = CategoryCodeField(help_text=_("带类型字母的小类代码，如 E0501"))
    source = serializers.ChoiceField(choices=Source.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    description = TextField(max_length=LONG_TEXT)
    address = TextField(max_length=SHORT_TEXT, required=False, allow_blank=True, default="")
    lon = serializers.FloatField(min_value=-180, max_value=180)
    lat = serializers.FloatField(min_value=-90, max_value=90)
    coord_system = serializers.ChoiceField(choices=CoordSystem.choices, default=CoordSystem.WGS84)
    reporter_name = TextField(max_length=NAME_TEXT, required=False, allow_blank=True, default="")
    reporter_phone = TextField(max_length=PHONE_TEXT, required=False, allow_blank=True, default="")
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)
    self_handled = StrictBooleanField(required=False, default=False,
                                      help_text=_("监督员自处理：已现场处置，附处置前后照片，待值班长审核"))
    before_photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)
    after_photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)
    asset = VisibleAssetField(required=False, allow_null=True, default=None,
                              help_text=_("问题所在的台账设施 id（设施台账）；其管养单位为建议处置部门"))


@extend_schema_field({"type": "string", "maxLength": Case._meta.get_field("number").max_length})
class CaseNumberField(serializers.SlugRelatedField):
    """A case by its number (案卷号)."""


def _action_field(name: str) -> serializers.Field:
    fields = {
        "inspector": lambda: serializers.PrimaryKeyRelatedField(queryset=inspectors()),
        "problem_exists": lambda: StrictBooleanField(
            default=True, help_text=_("JSON 中省略即为 true；表单数据中省略即为 false（未勾选的复选框）")),
        "reason": lambda: serializers.ChoiceField(choices=[c for c in RejectReason.choices
                                                           if c[0] in REJECT_REASONS]),
        "duplicate_of": lambda: CaseNumberField(slug_field="number", queryset=Case.objects.all()),
        "department": lambda: serializers.PrimaryKeyRelatedField(
            queryset=dispatch_units(), required=False, allow_null=True,
            error_messages={"does_not_exist": _("单位 {pk_value} 不存在或不能作为处置部门（社区不接受派遣）。")},
            help_text=_("留空则派往建议部门")),
        "override_reason": lambda: TextField(max_length=SHORT_TEXT, required=False, allow_blank=True, default=""),
        "step": lambda: serializers.IntegerField(required=False, allow_null=True),
        "arrived_at": lambda: BoundedDateTimeField(required=False, allow_null=True),
        "extra_working_days": lambda: serializers.IntegerField(min_value=1, max_value=MAX_POSTPONE_DAYS),
        "satisfaction": lambda: serializers.ChoiceField(choices=Satisfaction.choices),
        "outcome": lambda: serializers.ChoiceField(
            choices=Outcome.choices, required=False, default=Outcome.FIXED,
            help_text=_("办结结果：fixed（已解决，默认）或 not_fixed（未解决，须填原因）")),
        "outcome_reason": lambda: serializers.ChoiceField(
            choices=[c for c in OutcomeReason.choices if c[0] in CLOSE_NOT_FIXED_REASONS],
            required=False, allow_blank=True, default=""),
    }
    if name in PHOTO_FIELDS:
        return serializers.ListField(child=serializers.FileField(), required=False, default=list)
    return fields[name]()


@functools.cache
def action_serializer_class(action: str) -> type[serializers.Serializer]:
    """The request serializer of one workflow action (named for the OpenAPI schema)."""
    spec = ACTION_SPECS[action]
    attrs = {name: _action_field(name) for name in spec.fields}
    optional = {} if spec.comment_required else {"required": False, "allow_blank": True, "default": ""}
    attrs["comment"] = TextField(max_length=LONG_TEXT, **optional)
    name = "".join(part.title() for part in action.split("_")) + "ActionSerializer"
    return type(name, (UploadLimitMixin, serializers.Serializer), attrs)


def action_arguments(action: str, validated: dict) -> dict:
    """Split validated action input into ``case_act`` keyword arguments."""
    arguments = {key: value for key, value in validated.items() if key not in PHOTO_FIELDS}
    arguments["photos"] = [(PHOTO_FIELDS[field], upload) for field in PHOTO_FIELDS
                           for upload in validated.get(field, [])]
    return arguments


class NotificationSerializer(serializers.ModelSerializer):
    action = serializers.ChoiceField(source="kind", choices=Notification._meta.get_field("kind").choices,
                                     read_only=True)
    case_number = serializers.CharField(source="case.number", default="", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "action", "message", "case", "case_number", "created_at", "read_at"]



class NotificationsMarkedSerializer(serializers.Serializer):
    """The answer of read-all."""

    marked = serializers.IntegerField(help_text=_("本次标为已读的条数"))
