"""/api/asset-layers/: the registries' point layers on the staff map (``map_layers``)."""
from django.urls import path

from . import map_layers

urlpatterns = [
    path("<slug:kind>.json", map_layers.layer_points, name="asset-layer-points"),
    path("points/<int:pk>/", map_layers.point_popup, name="asset-layer-popup"),
]
