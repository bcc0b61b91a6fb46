"""Public pages under /p/ (no login): tracking, a case's page and its rating, statistics, the map."""
from django.urls import path

from . import views

app_name = "disclosure"

urlpatterns = [
    path("track/", views.track, name="track"),
    path("cases/<str:number>/", views.case_page, name="case"),
    path("cases/<str:number>/rate/", views.rate, name="rate"),
    # an anonymous report's rating: the private link on its receipt (cases.reporter_keys)
    path("cases/<str:number>/rate/<str:key>/", views.rate, name="rate-anonymous"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("stats/", views.stats, name="stats"),
    path("map/", views.map_page, name="map"),
    path("map/points.json", views.map_points, name="map-points"),
    path("map/areas.json", views.areas, name="areas"),
]
