"""API representations. Progress figures come from the request's PlanReview (context["review"])."""
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jingzhi.core.fields import BoundedDateField, RequiredBooleanField, TextField
from jingzhi.core.limits import CODE_TEXT, LONG_TEXT
from jingzhi.core.uploads import UploadLimitMixin
from jingzhi.org.models import Unit

from .models import (
    ChecklistItem,
    Indicator,
    Milestone,
    NoticeEvent,
    Plan,
    ProgressReport,
    SupervisionNotice,
    Task,
    TaskUnit,
)
from .selectors import notice_actions_for, notice_is_late
from .status import ProgressStatus, checklist_status


class ProgressStatusField(serializers.ReadOnlyField):
    """Marks a progress status (done/on_track/…) for the schema: one named enum, ProgressStatusEnum."""


class ProgressStatusFieldExtension(OpenApiSerializerFieldExtension):
    """A $ref to one named component: other apps have "status" enums too, so the automatic naming collides."""

    target_class = ProgressStatusField

    def map_serializer_field(self, auto_schema, direction):
        component = ResolvedComponent(
            name="ProgressStatusEnum", type=ResolvedComponent.SCHEMA, object="ProgressStatusEnum",
            schema={"type": "string", "enum": ProgressStatus.values,
                    "description": "；".join(f"{value}：{label}" for value, label in ProgressStatus.choices)},
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


def _evidence_url(serializer, kind: str, pk: int) -> str:
    url = reverse("plans:evidence", args=[kind, pk])
    request = serializer.context.get("request")
    return request.build_absolute_uri(url) if request else url


class PlanSerializer(serializers.ModelSerializer):
    review_date = serializers.SerializerMethodField(help_text="计算状态所用的评估日期")

    class Meta:
        model = Plan
        fields = ["id", "year", "title", "document_number", "issued_on", "issuer", "as_of", "review_date"]

    def get_review_date(self, plan) -> date:
        return self.context["review"].on(plan.pk)


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["due", "target", "label"]


class ValueSourceSerializer(serializers.Serializer):
    """Where an indicator's value comes from: a unit's typed report, or computed from the platform's records."""

    kind = serializers.ChoiceField(choices=["report", "live"], help_text="report：单位填报；live：由平台记录计算")
    label = serializers.CharField(help_text="来源说明")
    report = serializers.IntegerField(allow_null=True, help_text="填报记录 id（report）")
    reporting_unit = serializers.CharField(allow_null=True, help_text="填报单位（report）")
    key = serializers.CharField(allow_null=True,
                                help_text="实时指标来源代码（live），如 cases.double_ten、assets.toilets_built")
    measure = serializers.ChoiceField(
        choices=["share", "count", "mean"], allow_null=True,
        help_text="数值的算法（live）：share 达标记录占比（%）；count 记录数或其合计（quantity）；"
                  "mean 记录测量值的平均")
    basis = serializers.ChoiceField(
        choices=["period", "on_date"], allow_null=True,
        help_text="计入哪些记录（live）：period 起止日期之间的记录；on_date 截止日期当天的状态（起始日期不用）")
    period_start = serializers.DateField(allow_null=True, help_text="计入记录的起始日期（live，含）")
    period_end = serializers.DateField(allow_null=True, help_text="计入记录的截止日期（live，含）")
    counted = serializers.IntegerField(allow_null=True, help_text="计入的记录数（live）")
    met = serializers.IntegerField(allow_null=True, help_text="其中达标的记录数（live；count 类等于 counted）")
    quantity = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True,
                                        help_text="计入记录的合计量（live，count 类按合计、mean 类按总和计算时）")
    records_url = serializers.CharField(allow_null=True, help_text="计入记录的列表页（live）")
    met_url = serializers.CharField(allow_null=True, help_text="达标记录的列表页（live；count 类为 null）")
    missed_url = serializers.CharField(allow_null=True, help_text="未达标记录的列表页（live；count 类为 null）")


def value_source(state) -> dict | None:
    """The API's account of where a value comes from (None: no value yet)."""
    live, latest = state.live, state.latest
    empty = dict.fromkeys(ValueSourceSerializer().fields)
    if live is not None:
        count = live.count
        return {**empty, "kind": "live", "label": str(live.source.label), "key": live.source.key,
                "measure": str(live.source.measure), "basis": str(live.source.basis),
                "period_start": live.start, "period_end": live.end, "counted": count.counted,
                "met": count.met, "quantity": count.quantity, "records_url": count.counted_url,
                "met_url": count.met_url or None, "missed_url": count.missed_url or None}
    if latest is not None:
        return {**empty, "kind": "report", "label": _("单位填报"), "report": latest.pk,
                "reporting_unit": latest.unit.name}
    return None


class IndicatorSerializer(serializers.ModelSerializer):
    milestones = MilestoneSerializer(many=True, read_only=True)
    latest_value = serializers.SerializerMethodField(help_text="评估日期的最新值（填报或由平台记录计算）")
    latest_measured_on = serializers.SerializerMethodField()
    value_source = serializers.SerializerMethodField(help_text="最新值的来源；尚无数值时为 null")
    expected = serializers.SerializerMethodField(help_text="评估日期的应达值；限期达到类在首次填报前为 null")
    completion = serializers.SerializerMethodField(help_text="完成度（%）")
    status = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = ["id", "task", "code", "name", "unit", "kind", "direction", "lower_is_better", "target", "baseline",
                  "baseline_note", "deadline", "quote", "source", "milestones", "latest_value", "latest_measured_on",
                  "value_source", "expected", "completion", "status"]

    lower_is_better = serializers.SerializerMethodField(help_text="下降类指标（不超过、消除）：越低越好")

    def _state(self, indicator):
        return self.context["review"].indicator(indicator)

    def get_lower_is_better(self, indicator) -> bool:
        return self._state(indicator).target.lower_is_better

    def get_latest_value(self, indicator) -> str | None:
        value = self._state(indicator).value
        return None if value is None else str(value)

    def get_latest_measured_on(self, indicator) -> date | None:
        return self._state(indicator).measured_on

    @extend_schema_field(ValueSourceSerializer(allow_null=True))
    def get_value_source(self, indicator) -> dict | None:
        return value_source(self._state(indicator))

    def get_expected(self, indicator) -> str | None:
        expected = self._state(indicator).assessment.expected
        return None if expected is None else str(expected)

    def get_completion(self, indicator) -> str:
        return str(self._state(indicator).assessment.completion)

    @extend_schema_field(ProgressStatusField)
    def get_status(self, indicator) -> str:
        return self._state(indicator).status


class TaskUnitSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = TaskUnit
        fields = ["unit", "name", "role", "collective"]


class ChecklistItemSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    done_by = serializers.StringRelatedField(allow_null=True)  # null until confirmed done
    evidence_url = serializers.SerializerMethodField()

    class Meta:
        model = ChecklistItem
        fields = ["id", "task", "text", "deadline", "status", "done_on", "done_by", "evidence_note", "evidence_url"]

    @extend_schema_field(ProgressStatusField)
    def get_status(self, item) -> str:
        on = self.context["review"].on(item.task.plan_id)
        return checklist_status(deadline=item.deadline, done_on=item.done_on, on=on)

    def get_evidence_url(self, item) -> str | None:
        return _evidence_url(self, "checklist", item.pk) if item.evidence else None


class TaskSerializer(serializers.ModelSerializer):
    action = serializers.CharField(source="action.code", read_only=True)
    subtasks = serializers.SerializerMethodField(help_text="用户可见的子任务")
    units = TaskUnitSerializer(source="task_units", many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    checklist = ChecklistItemSerializer(source="checklist_items", many=True, read_only=True)
    status = serializers.SerializerMethodField()
    completion = serializers.SerializerMethodField(help_text="完成度（%）")

    class Meta:
        model = Task
        fields = ["id", "plan", "action", "number", "title", "summary", "parent", "subtasks", "units",
                  "indicators", "checklist", "status", "completion"]

    def get_subtasks(self, task) -> list[int]:
        """Only those the user may see, like the task page (a district sees its own part of task 9)."""
        return [state.task.pk for state in self.context["review"].task(task).subtasks]

    @extend_schema_field(ProgressStatusField)
    def get_status(self, task) -> str:
        return self.context["review"].task(task).status

    def get_completion(self, task) -> str:
        return str(self.context["review"].task(task).completion)


class EvidenceSerializer(serializers.Serializer):
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, evidence) -> str:
        return _evidence_url(self, "report", evidence.pk)


class ProgressReportSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="indicator.unit", read_only=True, help_text="计量单位")
    reporting_unit = serializers.CharField(source="unit.name", read_only=True)
    reported_by = serializers.StringRelatedField()
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "indicator", "value", "unit", "measured_on", "comment", "reporting_unit", "reported_by",
                  "created_at", "evidence"]


class ProgressReportCreateSerializer(UploadLimitMixin, serializers.Serializer):
    indicator = serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.select_related("task__plan"))
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    unit = TextField(max_length=CODE_TEXT, source="measure_unit", help_text="计量单位，须与指标一致（如 %、座、公里）")
    measured_on = BoundedDateField(help_text="数值截至日期")
    comment = TextField(max_length=LONG_TEXT, required=False, allow_blank=True, default="")
    evidence = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                     help_text="佐证材料：JPG/PNG/WEBP 图片或 PDF，可多个")


class ChecklistMarkSerializer(serializers.Serializer):
    done = RequiredBooleanField(help_text="true：确认完成；false：撤销为未完成")
    done_on = BoundedDateField(required=False, allow_null=True, default=None, help_text="完成日期（完成时必填）")
    note = TextField(max_length=LONG_TEXT, required=False, allow_blank=True, default="",
                     help_text="完成情况（完成时必填）")
    evidence = serializers.FileField(required=False, allow_null=True, default=None,
                                     help_text="佐证材料：JPG/PNG/WEBP 图片或 PDF")


class NoticeEventSerializer(serializers.ModelSerializer):
    by = serializers.StringRelatedField()
    evidence_url = serializers.SerializerMethodField()

    class Meta:
        model = NoticeEvent
        fields = ["id", "kind", "by", "on", "text", "evidence_url"]

    def get_evidence_url(self, event) -> str | None:
        return _evidence_url(self, "notice-event", event.pk) if event.evidence else None


class NoticeSerializer(serializers.ModelSerializer):
    task_number = serializers.CharField(source="task.number", read_only=True)
    to_unit_name = serializers.CharField(source="to_unit.name", read_only=True)
    issued_by = serializers.StringRelatedField()
    replied_by = serializers.StringRelatedField(allow_null=True)  # null until replied
    late = serializers.SerializerMethodField(help_text="逾期未回复或逾期回复")
    actions = serializers.SerializerMethodField(
        help_text="当前用户现在可以办理的操作（reply：回复；accept：办结；return：退回），"
                  "见 docs/plans.md 的督办流程表")
    reply_evidence_url = serializers.SerializerMethodField()
    events = NoticeEventSerializer(many=True, read_only=True, help_text="回复、办结、退回的全部记录")

    class Meta:
        model = SupervisionNotice
        fields = ["id", "task", "task_number", "to_unit", "to_unit_name", "text", "reply_due", "status",
                  "issued_by", "issued_on", "reply_text", "replied_by", "replied_on", "late", "reply_evidence_url",
                  "events", "actions"]

    def get_late(self, notice) -> bool:
        return notice_is_late(notice, on=self.context["review"].on(notice.task.plan_id))

    def get_actions(self, notice) -> list[str]:
        request = self.context.get("request")
        return notice_actions_for(user=request.user, notice=notice) if request else []

    def get_reply_evidence_url(self, notice) -> str | None:
        return _evidence_url(self, "notice", notice.pk) if notice.reply_evidence else None


class NoticeCreateSerializer(serializers.Serializer):
    task = serializers.PrimaryKeyRelatedField(queryset=Task.objects.select_related("plan"))
    to_unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), help_text="该任务的牵头单位")
    text = TextField(max_length=LONG_TEXT)
    reply_due = BoundedDateField()


class NoticeReplySerializer(serializers.Serializer):
    text = TextField(max_length=LONG_TEXT)
    evidence = serializers.FileField(required=False, allow_null=True, default=None)


class NoticeReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("accept", "办结"), ("return", "退回")],
                                       help_text="accept：办结；return：退回重办")
    text = TextField(max_length=LONG_TEXT, required=False, allow_blank=True, default="",
                     help_text="意见（退回时必填）")
