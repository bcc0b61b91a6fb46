"""Admin: rounds and inspections are read-only here (the services plan, submit and report cases;
an inspection is a record of what was seen and is never edited)."""
from django.contrib import admin

from jingzhi.cases.admin import ReadOnlyAdmin

from .models import Inspection, InspectionResult, InspectionRound


@admin.register(InspectionRound)
class InspectionRoundAdmin(ReadOnlyAdmin):
    list_display = ["date", "name", "template_code", "inspector", "unit", "state"]
    list_filter = ["state", "template_code"]
    list_select_related = ["inspector", "unit"]


class ResultInline(admin.TabularInline):
    model = InspectionResult
    fields = ["item_code", "label", "figure", "bound", "unit", "passed", "case"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["submitted_at", "template_code", "template_version", "asset", "inspector", "district", "score",
                    "passed"]
    list_filter = ["template_code", "passed"]
    list_select_related = ["asset", "inspector", "district"]
    inlines = [ResultInline]
