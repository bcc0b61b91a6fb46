from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import RoleGrant, Unit, User


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "full_name", "code"]


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [RoleGrantInline]
    list_display = ["username", "display_name", "unit", "is_superuser"]
    fieldsets = DjangoUserAdmin.fieldsets + (("精治", {"fields": ("display_name", "phone", "unit")}),)
