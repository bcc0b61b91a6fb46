"""Admin of `geo`.

Areas and grids come from the commands (load_boundaries, generate_*), so their admin is for looking
things up: an area's name and unit may be corrected, grids are view-only. Responsibility zones are
edited here. Every write goes through the geo services or calls `geography_changed`, so each web and
Celery process refreshes its routing index on its next call.
"""
from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .coords import CoordSystem
from .geometry import zone_buffer_check, zone_geometry_parse
from .models import Area, Grid, ResponsibilityZone
from .services import geography_changed, zone_delete, zone_save

BBOX_FIELDS = ["min_lon", "min_lat", "max_lon", "max_lat"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "unit", "generated"]
    list_filter = ["level", "generated"]
    search_fields = ["code", "name"]
    list_select_related = ["parent", "unit"]
    fields = ["code", "name", "level", "parent", "unit", "generated", "source", *BBOX_FIELDS]
    readonly_fields = ["code", "level", "parent", "generated", "source", *BBOX_FIELDS]
    autocomplete_fields = ["unit"]

    def has_add_permission(self, request):
        return False  # boundaries come from load_boundaries / generate_subdistricts

    def has_delete_permission(self, request, obj=None):
        return False  # a delete would cascade to grids: regenerate through the commands instead

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        geography_changed()  # the area's unit is what locate returns


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    list_display = ["code", "district", "subdistrict", "community", "area_m2"]
    list_filter = [("district", admin.RelatedOnlyFieldListFilter), ("subdistrict", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code"]
    list_select_related = ["district", "subdistrict", "community"]
    fields = ["code", "district", "subdistrict", "community", "area_m2", *BBOX_FIELDS]
    show_full_result_count = False  # tens of thousands of rows

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # grids are generated (generate_grids)

    def has_delete_permission(self, request, obj=None):
        return False


class ResponsibilityZoneForm(forms.ModelForm):
    """Geometry as GeoJSON text in any of the three coordinate systems; stored in WGS84."""

    coord_system = forms.ChoiceField(
        label=_("几何坐标系"), choices=CoordSystem.choices, initial=CoordSystem.WGS84,
        help_text=_("高德、腾讯地图上取的坐标为 GCJ-02，百度为 BD-09；保存时转换为 WGS84。"),
    )

    class Meta:
        model = ResponsibilityZone
        fields = ["name", "duty", "unit", "buffer_m", "geometry", "coord_system"]
        widgets = {"geometry": forms.Textarea(attrs={"rows": 8, "cols": 80})}
        help_texts = {"geometry": _('GeoJSON 几何或 Feature，例如 {"type": "LineString", "coordinates": [[113.66, 34.76], [113.68, 34.76]]}')}  # noqa: E501 (one translated message)

    def clean(self):
        cleaned = super().clean()
        text, coord_system = cleaned.get("geometry"), cleaned.get("coord_system")
        if text is None or coord_system is None:
            return cleaned
        try:
            cleaned["geometry_shape"] = zone_geometry_parse(text, coord_system=coord_system)
        except ValueError as error:
            self.add_error("geometry", str(error))
            return cleaned
        buffer_m = cleaned.get("buffer_m")
        if buffer_m is not None:
            try:
                zone_buffer_check(cleaned["geometry_shape"], buffer_m)
            except ValueError as error:
                self.add_error("buffer_m", str(error))
        return cleaned


@admin.register(ResponsibilityZone)
class ResponsibilityZoneAdmin(admin.ModelAdmin):
    form = ResponsibilityZoneForm
    list_display = ["name", "duty", "unit", "buffer_m"]
    list_filter = ["duty"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]

    def save_model(self, request, obj, form, change):
        zone_save(zone=obj, geometry=form.cleaned_data["geometry_shape"])

    def delete_model(self, request, obj):
        zone_delete(zone=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for zone in queryset:
            zone_delete(zone=zone)
