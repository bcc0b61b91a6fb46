from django.urls import path

from . import records, views

app_name = "inspections"

urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("rounds/new/", views.round_new, name="round-new"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/cancel/", views.round_cancel_view, name="round-cancel"),
    path("fill/<slug:template_code>/", views.fill, name="fill"),
    path("<int:pk>/", views.detail, name="detail"),
    path("records/", records.records, name="records"),
    path("photos/<int:pk>/", views.photo, name="photo"),
]
