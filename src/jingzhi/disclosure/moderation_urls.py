"""The staff moderation page under /disclosure/moderation/."""
from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.moderation, name="queue"),
    path("texts/<int:pk>/", views.text_decide, name="text"),
    path("photos/<int:pk>/", views.photo_decide, name="photo"),
]
