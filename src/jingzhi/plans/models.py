"""The work plan (工作方案) as data: plan → action → task → units, indicators, checklist.

Progress is never stored as a status: reports keep the values units file, and the
status of an indicator or task is computed for a chosen "as of" date (see
``status.py``), so the same data can be reviewed at any date of the plan year.
"""
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhi.org.models import Unit

from .notice_workflow import AWAITING_REPLY, NoticeAction, NoticeStatus
from .status import IndicatorKind


class Plan(models.Model):
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=60, unique=True)
    issued_on = models.DateField(_("印发日期"))
    issuer = models.CharField(_("印发机关"), max_length=100, blank=True)
    source = models.CharField(_("来源"), max_length=300, blank=True)
    as_of = models.DateField(
        _("评估日期"), null=True, blank=True,
        help_text=_("计算进度状态所用的日期；留空则按今天计算。页面可用 ?as_of=YYYY-MM-DD 临时指定。"),
    )

    class Meta:
        verbose_name = _("工作方案")
        verbose_name_plural = _("工作方案")
        ordering = ["-year", "document_number"]

    def __str__(self) -> str:
        return f"{self.title}（{self.document_number}）"


class ActionCode(models.TextChoices):
    """The four 行动 of the plan (细化/序化/净化/美化)."""

    REFINE = "refine", _("细化")
    ORDER = "order", _("序化")
    CLEAN = "clean", _("净化")
    BEAUTIFY = "beautify", _("美化")


class Action(models.Model):
    """One of the four 行动 (a plan campaign; a case's workflow action is ``cases.workflow.CaseAction``)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(_("代码"), max_length=20, choices=ActionCode.choices)
    number = models.CharField(_("序号"), max_length=4)
    name = models.CharField(_("名称"), max_length=20)
    title = models.CharField(_("标题"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("行动")
        verbose_name_plural = _("行动")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_action_code_per_plan")]

    def __str__(self) -> str:
        return f"{self.number}、{self.name}"


class Task(models.Model):
    """A numbered task (1–20) or a sub-task such as 9(1); sub-tasks carry the units."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="subtasks",
        verbose_name=_("上级任务"),
    )
    number = models.CharField(_("编号"), max_length=10)
    title = models.CharField(_("名称"), max_length=200)
    summary = models.TextField(_("摘要"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    units = models.ManyToManyField(Unit, through="TaskUnit", related_name="plan_tasks")

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_task_number_per_plan")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Responsibility(models.TextChoices):
    """A unit's part in a task (not a platform role, ``org.Role``); ``TaskUnit``'s column keeps its name ``role``."""

    LEAD = "lead", _("牵头单位")
    RESPONSIBLE = "responsible", _("责任单位")


class TaskUnit(models.Model):
    """A unit's part in a task. ``collective`` names the plan's wording it came from.

    The plan writes "各区（管委会）" or "各通讯运营商" instead of listing units; the
    loader expands them and keeps the wording so pages can show it as written.
    """

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="task_units")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="task_units")
    role = models.CharField(_("角色"), max_length=20, choices=Responsibility.choices)
    collective = models.CharField(_("方案表述"), max_length=30, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("任务单位")
        verbose_name_plural = _("任务单位")
        ordering = ["task", "role", "position"]
        constraints = [models.UniqueConstraint(fields=["task", "unit", "role"], name="unique_task_unit_role")]

    def __str__(self) -> str:
        return f"{self.task.number} · {self.get_role_display()} · {self.unit}"


class Direction(models.TextChoices):
    AT_LEAST = "at_least", _("不低于")
    AT_MOST = "at_most", _("不超过")
    EXACTLY = "exactly", _("达到")
    ELIMINATE = "eliminate", _("消除")


class Indicator(models.Model):
    """A measurable target. Its ``kind`` decides the expected value (``status.py``); its ``source``
    says where its values come from: typed progress reports (blank) or a live source computed
    from the platform's own records (``live.py``)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(_("代码"), max_length=60)
    name = models.CharField(_("指标"), max_length=200)
    unit = models.CharField(_("计量单位"), max_length=20)
    kind = models.CharField(_("类型"), max_length=20, choices=IndicatorKind.choices,
                            default=IndicatorKind.CUMULATIVE)
    direction = models.CharField(_("方向"), max_length=20, choices=Direction.choices)
    target = models.DecimalField(_("目标值"), max_digits=14, decimal_places=2)
    baseline = models.DecimalField(
        _("基数"), max_digits=14, decimal_places=2, null=True, blank=True,
        help_text=_("方案开始时的数值。留空：累计类按 0，限期达到类按首次填报值；保持水平类不用基数。"),
    )
    baseline_note = models.CharField(_("基数来源"), max_length=200, blank=True)
    source = models.CharField(
        _("数据来源"), max_length=60, blank=True,
        help_text=_("留空：由责任单位填报。否则为平台按自身记录计算的实时指标（如案件）。"),
    )
    deadline = models.DateField(_("截止日期"))
    quote = models.TextField(_("方案原文"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["task__position", "position"]
        constraints = [models.UniqueConstraint(fields=["task", "code"], name="unique_indicator_code_per_task")]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """An intermediate (cumulative) target on the way to the indicator's deadline."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="milestones")
    due = models.DateField(_("节点日期"))
    target = models.DecimalField(_("节点目标"), max_digits=14, decimal_places=2)
    label = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("节点")
        verbose_name_plural = _("节点")
        ordering = ["indicator", "due"]
        constraints = [models.UniqueConstraint(fields=["indicator", "due"], name="unique_milestone_due")]

    def __str__(self) -> str:
        return f"{self.due} · {self.target}"


def evidence_upload_to(instance, filename: str) -> str:
    """A random stored name: uploads are served only through a scoped view, never guessed."""
    return f"plans/evidence/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ChecklistItem(models.Model):
    """A qualitative requirement of a task without a number: done or not, with evidence."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="checklist_items")
    text = models.CharField(_("要求"), max_length=300)
    deadline = models.DateField(_("截止日期"))
    position = models.PositiveSmallIntegerField(default=0)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("确认人"),
    )
    evidence_note = models.TextField(_("完成情况"), blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to=evidence_upload_to, blank=True)

    class Meta:
        verbose_name = _("工作要求")
        verbose_name_plural = _("工作要求")
        ordering = ["task", "position"]
        constraints = [models.UniqueConstraint(fields=["task", "text"], name="unique_checklist_text_per_task")]

    def __str__(self) -> str:
        return self.text


class ProgressReport(models.Model):
    """A unit's figure for an indicator as of a date: the indicator's cumulative value then."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="progress_reports",
                             verbose_name=_("填报单位"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("填报人"))
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=2)
    measured_on = models.DateField(_("截至日期"))
    comment = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("进度填报")
        verbose_name_plural = _("进度填报")
        ordering = ["indicator", "measured_on", "id"]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.measured_on} · {self.value}"


class ReportEvidence(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to=evidence_upload_to)
    original_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小"))

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.original_name


class SupervisionNotice(models.Model):
    """督办: the plan office asks a lagging task's lead unit to explain and act by a date."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="notices")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="plan_notices",
                                verbose_name=_("督办对象"))
    text = models.TextField(_("督办内容"))
    reply_due = models.DateField(_("回复期限"))
    status = models.CharField(_("状态"), max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.OPEN)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("督办人"))
    issued_on = models.DateField(_("督办日期"))
    reply_text = models.TextField(_("回复内容"), blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("回复人"))
    replied_on = models.DateField(_("回复日期"), null=True, blank=True)
    reply_evidence = models.FileField(_("回复佐证"), upload_to=evidence_upload_to, blank=True)

    class Meta:
        verbose_name = _("督办通知")
        verbose_name_plural = _("督办通知")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return f"{self.task.number} → {self.to_unit} · {self.issued_on}"

    @property
    def awaiting_reply(self) -> bool:
        """The addressed unit owes a reply (open or returned, per the table)."""
        return self.status in AWAITING_REPLY


#: What a notice event records: a ``NoticeAction`` taken after the notice was issued.
NOTICE_EVENT_KINDS = [(value, label) for value, label in NoticeAction.choices if value != NoticeAction.ISSUE]


class NoticeEvent(models.Model):
    """One step of a 督办 notice after it was issued: a reply, or the office accepting or returning it.

    ``kind`` is the step's ``notice_workflow.NoticeAction`` (the same values, issuing aside).

    The notice holds the latest reply; the events keep every reply and decision,
    so a reply that was sent back stays readable.
    """

    notice = models.ForeignKey(SupervisionNotice, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("类型"), max_length=20, choices=NOTICE_EVENT_KINDS)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("办理人"))
    on = models.DateField(_("日期"))
    text = models.TextField(_("内容"), blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to=evidence_upload_to, blank=True)

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        ordering = ["notice", "id"]

    def __str__(self) -> str:
        return f"{self.notice} · {self.get_kind_display()} · {self.on}"
