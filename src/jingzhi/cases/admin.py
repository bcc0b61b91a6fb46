"""Admin: the catalogue and calendar are editable; cases and their history are read-only here
(the workflow services are the only way to change a case)."""
from django.contrib import admin

from .models import CalendarDay, Case, CaseEvent, Category, CategoryClass


@admin.register(CategoryClass)
class CategoryClassAdmin(admin.ModelAdmin):
    list_display = ["kind", "code", "name", "name_en"]
    list_filter = ["kind"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category_class", "department_rule", "department_unit"]
    list_select_related = ["category_class", "department_unit"]
    list_filter = ["category_class__kind", "department_rule"]
    search_fields = ["code", "name"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "category", "state", "department", "stage_deadline", "created_at"]
    list_select_related = ["category", "department"]
    list_filter = ["state", "source"]
    search_fields = ["number"]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["case", "action", "from_state", "to_state", "actor", "created_at"]
    list_select_related = ["case", "actor"]
    list_filter = ["action"]
