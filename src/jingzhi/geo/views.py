"""Staff pages of `geo`: the map."""
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from .layers import layer_url
from .map_layers import point_layers
from .models import DutyKind

DEFAULT_CENTER = (34.757, 113.665)  # lat, lon: central Zhengzhou (WGS84)


def _float_param(request, name: str, low: float, high: float) -> float | None:
    try:
        value = float(request.GET[name])
    except (KeyError, ValueError):
        return None
    return value if low <= value <= high else None


def districts_layer_url() -> str:
    """The district outlines every staff map draws (GeoJSON), under the geography's version tag."""
    return layer_url(reverse("geo-areas-geojson") + "?level=district")


def map_options(request) -> dict:
    """Options for the ``jingzhiMap`` component; other apps' pages can reuse them."""
    lon = _float_param(request, "lon", -180, 180)
    lat = _float_param(request, "lat", -90, 90)
    zoom = _float_param(request, "zoom", 3, 19)
    return {
        "center": [lat, lon] if lon is not None and lat is not None else list(DEFAULT_CENTER),
        "zoom": int(zoom) if zoom is not None else (16 if lon is not None and lat is not None else 12),
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "tileCoordSystem": settings.MAP_TILE_COORD_SYSTEM,
        # Layer URLs carry the geography's version tag: cached by the browser until the geography changes.
        "areasUrl": districts_layer_url(),
        "gridsUrl": layer_url(reverse("geo-grids-geojson")),
        "locateUrl": reverse("geo-locate"),
        "zonesUrl": layer_url(reverse("geo-zones-geojson")),
        # Other apps' point layers (map_layers.py), drawn by point_layers.js with the clustering
        # script it loads when a layer is first switched on.
        "pointLayers": point_layers(request),
        "clusterScript": static("vendor/supercluster/supercluster.min.js"),
        "clusterStyles": [static("geo/point_layers.css")],
        "labels": {
            "grid": _("网格"), "district": _("区县"), "subdistrict": _("街道"),
            "outside": _("不在服务范围内"), "zoomIn": _("放大地图以显示单元网格"),
            "districts": _("区县边界"), "grids": _("单元网格"), "zones": _("责任区"),
            "duties": {duty.value: str(duty.label) for duty in DutyKind},
            # The map's own controls and keyboard use (geo/static/geo/map.js), in the page's language.
            "map": _("地图"), "zoomInTitle": _("放大"), "zoomOutTitle": _("缩小"), "closePopup": _("关闭"),
            "skip": _("跳过地图"), "crosshair": _("十字准星：经度 {lon}，纬度 {lat}"),
            "keyboardHelp": _("方向键移动地图，加号和减号缩放，回车键选定十字准星处。"),
        },
    }


def public_map_options(request, *, areas_url: str) -> dict:
    """The map without the staff layers (grids, responsibility zones, the locate pop-up: their APIs
    need a sign-in), its district boundaries from ``areas_url`` (a public layer, under the version tag)."""
    return {**map_options(request), "areasUrl": layer_url(areas_url), "gridsUrl": "", "zonesUrl": "",
            "locateUrl": ""}


@login_required
def map_view(request):
    """/geo/?lon=&lat=&zoom= centres the map on a WGS84 point (e.g. a case's place)."""
    return render(request, "geo/map.html", {"map_options": map_options(request)})
