"""Data of the case loop: the category catalogue, cases, their append-only history, photos,
on-site steps (双十), notifications and the working-calendar overrides.

Workflow rules live in ``workflow.py`` (the one transition table) and ``services.py``;
models only hold data and invariants.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jingzhi.geo.coords import CoordSystem
from jingzhi.org.models import Unit

from .calendar import TimeUnit
from .workflow import CaseAction, Stage, State

#: States in which the case sits with the assigned department: its work list.
DEPARTMENT_STATES = (
    State.DISPATCHED, State.HANDLING, State.POSTPONE_REQUESTED, State.SUSPEND_REQUESTED, State.SUSPENDED,
)


class CategoryKind(models.TextChoices):
    COMPONENT = "component", _("部件")
    EVENT = "event", _("事件")


class DepartmentRule(models.TextChoices):
    FIXED = "fixed", _("固定部门")
    DISTRICT = "district", _("按所在区")
    ROAD_MAINTAINER = "road_maintainer", _("按道路养护单位")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")


class Source(models.TextChoices):
    INSPECTOR = "inspector", _("监督员上报")
    CITIZEN = "citizen", _("市民上报")
    HOTLINE_12345 = "hotline_12345", _("12345热线")
    HOTLINE_12319 = "hotline_12319", _("12319热线")
    SENSOR = "sensor", _("物联感知")
    INSPECTION_FAILURE = "inspection_failure", _("检查考核发现")
    LEADER_INSTRUCTION = "leader_instruction", _("领导批示")


class RejectReason(models.TextChoices):
    INVALID = "invalid", _("无效上报")
    DUPLICATE = "duplicate", _("重复上报")
    OUT_OF_SCOPE = "out_of_scope", _("非受理范围")


class Satisfaction(models.TextChoices):
    """回访评价 of a closed public report (12345 closed loop)."""

    SATISFIED = "satisfied", _("满意")
    FAIRLY_SATISFIED = "fairly_satisfied", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class Outcome(models.TextChoices):
    """How a finished case ended: fixed, or not fixed (with an ``OutcomeReason``). 结案 alone says
    nothing about it, so 结案率 and 解决率 are separate assessment indicators."""

    FIXED = "fixed", _("已解决")
    NOT_FIXED = "not_fixed", _("未解决")


class OutcomeReason(models.TextChoices):
    """Why a finished case was not fixed (set by 结案, 不予受理, 合并重复 and 作废)."""

    NOT_FEASIBLE = "not_feasible", _("暂不具备处置条件")
    OUT_OF_SCOPE = "out_of_scope", _("非受理范围")
    DUPLICATE = "duplicate", _("重复上报")
    INVALID = "invalid", _("无效上报")
    VOIDED = "voided", _("立案有误作废")


#: Sources whose reporter is a member of the public, so the case gets a 回访评价.
PUBLIC_SOURCES = (Source.CITIZEN, Source.HOTLINE_12345, Source.HOTLINE_12319)


class BilingualName:
    """Catalogue entries carry a Chinese ``name`` and an optional ``name_en`` from the data file."""

    @property
    def label(self) -> str:
        """The name in the active language (Chinese unless English is active and given)."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class CategoryClass(BilingualName, models.Model):
    """大类 (GB/T 30428.2), e.g. 部件 01 公用设施, 事件 05 街面秩序."""

    kind = models.CharField(_("类型"), max_length=10, choices=CategoryKind.choices)
    code = models.CharField(_("大类代码"), max_length=2)
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("案件大类")
        verbose_name_plural = _("案件大类")
        ordering = ["kind", "code"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="unique_category_class_code")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code} {self.name}"


class Category(BilingualName, models.Model):
    """小类 with its filing/closing criteria, department rule and stage time limits."""

    category_class = models.ForeignKey(
        CategoryClass, verbose_name=_("大类"), on_delete=models.PROTECT, related_name="categories",
    )
    code = models.CharField(_("小类代码"), max_length=4, help_text=_("大类代码 + 2 位小类序号"))
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    filing_criteria = models.TextField(_("立案标准"), blank=True)
    closing_criteria = models.TextField(_("结案标准"), blank=True)
    department_rule = models.CharField(_("责任部门规则"), max_length=20, choices=DepartmentRule.choices)
    department_unit = models.ForeignKey(
        Unit, verbose_name=_("责任部门（固定或兜底）"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    plan_tasks = models.JSONField(_("方案任务"), default=list, blank=True)
    #: {urgency: {stage: {"value": n, "unit": TimeUnit}}}, defaults already merged in.
    time_limits = models.JSONField(_("时限"), default=dict)
    #: [{"name": ..., "value": n, "unit": natural_minutes|natural_hours}], each counted from the previous.
    on_site_steps = models.JSONField(_("到场环节"), default=list, blank=True)
    seed_quote = models.TextField(_("方案原文"), blank=True)
    #: Open cases of this category within this distance of a new report are shown as possible
    #: duplicates (``selectors.duplicate_candidates``).
    duplicate_radius_m = models.PositiveIntegerField(_("重复判定半径（米）"), default=250)

    class Meta:
        verbose_name = _("案件小类")
        verbose_name_plural = _("案件小类")
        ordering = ["category_class__kind", "code"]
        constraints = [models.UniqueConstraint(fields=["category_class", "code"], name="unique_category_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def kind(self) -> str:
        return self.category_class.kind

    @property
    def number_prefix(self) -> str:
        """C (部件) or E (事件) + 大类 + 小类, the first part of a 案卷号."""
        return ("C" if self.kind == CategoryKind.COMPONENT else "E") + self.code

    def time_limit(self, *, urgency: str, stage: str) -> dict:
        return self.time_limits[urgency][stage]


class Case(models.Model):
    number = models.CharField(_("案卷号"), max_length=32, unique=True)
    category = models.ForeignKey(Category, verbose_name=_("小类"), on_delete=models.PROTECT, related_name="cases")
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    description = models.TextField(_("问题描述"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lon = models.FloatField(_("经度（WGS84）"))
    lat = models.FloatField(_("纬度（WGS84）"))
    coord_system = models.CharField(_("上报坐标系"), max_length=10, default=CoordSystem.WGS84)
    district = models.ForeignKey(
        Unit, verbose_name=_("所在区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    subdistrict = models.ForeignKey(
        Unit, verbose_name=_("所在街道"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    grid_code = models.CharField(_("单元网格"), max_length=20, blank=True, db_index=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.REPORTED)
    department = models.ForeignKey(
        Unit, verbose_name=_("处置部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    suggested_department = models.ForeignKey(
        Unit, verbose_name=_("建议部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    # The current stage's clock, mirrored here so overdue and work-list queries use one index.
    stage = models.CharField(_("当前环节"), max_length=10, choices=Stage.choices, blank=True)
    stage_started_at = models.DateTimeField(_("环节开始"), null=True, blank=True)
    stage_deadline = models.DateTimeField(_("环节时限"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("升级时间"), null=True, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上报人账号"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="reported_cases",
    )
    reporter_name = models.CharField(_("上报人姓名"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("上报人电话"), max_length=20, blank=True)
    #: Contact and device of a report sent by an app (Open311 ``email``, ``device_id``): personal
    #: data, like the name and phone, for the staff who need it only.
    reporter_email = models.EmailField(_("上报人邮箱"), blank=True)
    device_id = models.CharField(_("上报设备标识"), max_length=100, blank=True)
    #: The extra fields the category asks for (``data/open311/attributes.yaml``), code → value(s).
    attributes = models.JSONField(_("附加信息"), default=dict, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("核实/核查监督员"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="inspection_cases",
    )
    #: The registry asset the problem is on (a toilet, a road …), if any: its keepers are notified.
    asset = models.ForeignKey(
        "assets.Asset", verbose_name=_("所属设施"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="cases",
    )
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("重复于"), null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates",
    )
    reject_reason = models.CharField(_("不予受理原因"), max_length=20, choices=RejectReason.choices, blank=True)
    #: How the case ended (blank while open); a reopened case's outcome is cleared until it ends again.
    outcome = models.CharField(_("办结结果"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_reason = models.CharField(_("未解决原因"), max_length=20, choices=OutcomeReason.choices, blank=True)
    rework_count = models.PositiveSmallIntegerField(_("返工次数"), default=0)
    #: The latest 回访评价 (the full history is in the events); blank until rated.
    satisfaction = models.CharField(_("满意度"), max_length=20, choices=Satisfaction.choices, blank=True)
    created_at = models.DateTimeField(_("上报时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Department work list: its cases, overdue (earliest deadline) first.
            models.Index(fields=["department", "stage_deadline"], name="case_worklist",
                         condition=Q(state__in=DEPARTMENT_STATES)),
            # Overdue and escalation queries: only cases with a running clock.
            models.Index(fields=["stage_deadline"], name="case_running_clock",
                         condition=Q(stage_deadline__isnull=False)),
            models.Index(fields=["state", "created_at"], name="case_state_created"),
            models.Index(fields=["created_at"], name="case_created"),
            models.Index(fields=["district", "created_at"], name="case_district_created"),
        ]

    def __str__(self) -> str:
        return self.number


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit record."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("案件日志只能追加，不能修改")

    def delete(self):
        raise AppendOnlyError("案件日志只能追加，不能删除")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("案件日志只能追加，不能修改")


class CaseEvent(models.Model):
    """One step of a case's history. Append-only: no code path updates or deletes it
    (model guards here, plus a database trigger on PostgreSQL, see the initial migration)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("动作"), max_length=20, choices=CaseAction.choices)
    from_state = models.CharField(_("原状态"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    actor_role = models.CharField(_("操作角色"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    comment = models.TextField(_("意见"), blank=True)
    #: Action parameters (department, reason, inspector …) as recorded.
    data = models.JSONField(_("数据"), default=dict, blank=True)
    #: Deadline of the stage the case is in after this event (null: no clock running).
    stage_deadline = models.DateTimeField(_("环节时限"), null=True, blank=True)
    #: Set on the event that ended a stage: was it done by the stage's deadline?
    done_in_time = models.BooleanField(_("按时完成"), null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("案件日志")
        verbose_name_plural = _("案件日志")
        ordering = ["created_at", "id"]
        # The assessment counts a period's events of some actions (one query per indicator family),
        # and asks of a 派遣 whether its case was 退回 later (few rows: a partial index).
        indexes = [models.Index(fields=["action", "created_at"], name="case_event_action_time"),
                   models.Index(fields=["case", "created_at"], name="case_event_returns",
                                condition=Q(action="return"))]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("案件日志只能追加，不能修改")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("案件日志只能追加，不能删除")


class PhotoKind(models.TextChoices):
    REPORT = "report", _("上报照片")
    BEFORE = "before", _("处置前")
    AFTER = "after", _("处置后")
    CHECK = "check", _("核实/核查照片")


class CasePhoto(models.Model):
    """A photo attached to a case, stored without EXIF (GPS) metadata."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="photos")
    event = models.ForeignKey(CaseEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="photos")
    kind = models.CharField(_("类型"), max_length=10, choices=PhotoKind.choices)
    image = models.ImageField(_("照片"), upload_to="cases/%Y/%m/")
    #: A small JPEG of the photo for lists and the duplicate candidates (``core.uploads.thumbnail_make``).
    thumbnail = models.ImageField(_("缩略图"), upload_to="cases/thumbs/%Y/%m/", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("案件照片")
        verbose_name_plural = _("案件照片")
        ordering = ["created_at", "id"]

    def get_absolute_url(self) -> str:
        """The scoped download view: photos never have a public media URL."""
        return reverse("cases:photo", args=[self.pk])


class CaseFollower(models.Model):
    """A person who follows a case they did not report ("我也遇到了"): notified when it moves
    (``notify.followers_notify``) and listed under their reports."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_cases")
    created_at = models.DateTimeField(_("关注时间"), default=timezone.now)

    class Meta:
        verbose_name = _("案件关注")
        verbose_name_plural = _("案件关注")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="unique_case_follower")]


class OnSiteStep(models.Model):
    """A timed on-site step of the handle stage, e.g. the 双十 standard's two arrivals.

    Each step's limit counts from the previous step's arrival (the first from dispatch).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="on_site_steps")
    order = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("环节"), max_length=100)
    limit_value = models.PositiveIntegerField(_("时限"))
    limit_unit = models.CharField(_("时限单位"), max_length=20, choices=TimeUnit.choices)
    due_at = models.DateTimeField(_("应到时间"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("到场时间"), null=True, blank=True)
    done_in_time = models.BooleanField(_("按时到场"), null=True, blank=True)

    class Meta:
        verbose_name = _("到场环节")
        verbose_name_plural = _("到场环节")
        ordering = ["case", "order"]
        constraints = [models.UniqueConstraint(fields=["case", "order"], name="unique_on_site_step")]


class Notification(models.Model):
    """An in-app notification; email/SMS adapters deliver copies (see notifications.py)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类型"), max_length=20, choices=CaseAction.choices)
    message = models.CharField(_("内容"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        # The unread count (header) and the inbox page (newest first, paginated): both per recipient.
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread"),
                   models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox")]


class CaseNumberCounter(models.Model):
    """Last 序号 used per 案卷号 prefix (C|E + 小类 + yyyyMMdd)."""

    prefix = models.CharField(max_length=16, primary_key=True)
    last = models.PositiveIntegerField(default=0)


class CalendarDay(models.Model):
    """An admin override of one day of the working calendar (wins over data and package)."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'工作日' if self.is_workday else '休息日'}"
