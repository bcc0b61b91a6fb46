"""Admin for superusers: the plan's structure is data (load_plan); progress is filed through the pages/API."""
from django.contrib import admin

from .models import (
    Action,
    ChecklistItem,
    Indicator,
    Milestone,
    NoticeEvent,
    Plan,
    ProgressReport,
    ReportEvidence,
    SupervisionNotice,
    Task,
    TaskUnit,
)


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "document_number", "year", "issued_on", "as_of"]


class TaskUnitInline(admin.TabularInline):
    model = TaskUnit
    extra = 0
    autocomplete_fields = ["unit"]


class ChecklistInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ["text", "deadline", "done_on", "done_by", "evidence_note"]
    readonly_fields = ["done_by"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "action", "parent"]
    list_select_related = ["action", "parent"]
    list_filter = ["plan", "action"]
    search_fields = ["number", "title"]
    inlines = [TaskUnitInline, ChecklistInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "task", "unit", "direction", "target", "baseline", "deadline"]
    list_select_related = ["task"]
    list_filter = ["direction", "unit"]
    search_fields = ["name", "code"]
    inlines = [MilestoneInline]


class EvidenceInline(admin.TabularInline):
    model = ReportEvidence
    extra = 0
    readonly_fields = ["file", "original_name", "size"]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["indicator", "unit", "value", "measured_on", "reported_by", "created_at"]
    list_select_related = ["indicator", "unit", "reported_by"]
    list_filter = ["unit"]
    date_hierarchy = "measured_on"
    inlines = [EvidenceInline]


class NoticeEventInline(admin.TabularInline):
    model = NoticeEvent
    extra = 0


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(admin.ModelAdmin):
    list_display = ["task", "to_unit", "issued_on", "reply_due", "status", "replied_on"]
    list_select_related = ["task", "to_unit"]
    list_filter = ["status"]
    inlines = [NoticeEventInline]


admin.site.register(Action)
