from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.leader, name="leader"),
    path("unit/", views.unit, name="unit"),
]
