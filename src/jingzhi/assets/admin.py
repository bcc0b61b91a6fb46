"""Admin of the registries: looking assets up, correcting names and departments, naming keepers.

Assets are created and changed through the services (import, the registry pages, the API), which
validate attributes, locate the geometry and write the history; so the admin adds none, edits no
attribute or geometry, and shows the history read-only.
"""
from django.contrib import admin

from .models import Asset, AssetEvent, AssetKeeper


class AssetKeeperInline(admin.TabularInline):
    model = AssetKeeper
    extra = 1
    autocomplete_fields = ["user"]


class AssetEventInline(admin.TabularInline):
    model = AssetEvent
    extra = 0
    fields = ["change", "on", "attributes", "note", "actor", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "district", "grid_id", "department", "status", "generated"]
    list_filter = ["kind", "status", "generated"]
    search_fields = ["code", "name"]
    list_select_related = ["district", "department"]
    fields = ["kind", "code", "name", "department", "status", "built_on", "removed_on", "lon", "lat",
              "district", "subdistrict", "grid", "zone", "attributes", "geometry", "generated"]
    readonly_fields = [name for name in fields if name not in ("name", "department")]
    autocomplete_fields = ["department"]
    inlines = [AssetKeeperInline, AssetEventInline]
    show_full_result_count = False  # a registry can hold 100,000 street lights

    def has_add_permission(self, request):
        return False  # through the import or the services, which locate and write the history
