from django.urls import path

from . import api

urlpatterns = [
    path("locate", api.locate, name="geo-locate"),
    path("areas.geojson", api.areas_geojson, name="geo-areas-geojson"),
    path("grids.geojson", api.grids_geojson, name="geo-grids-geojson"),
    path("zones.geojson", api.zones_geojson, name="geo-zones-geojson"),
]
