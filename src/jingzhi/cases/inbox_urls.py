from django.urls import path

from . import inbox_views

app_name = "notifications"

urlpatterns = [
    path("", inbox_views.inbox, name="inbox"),
    path("<int:pk>/read/", inbox_views.read, name="read"),
    path("read-all/", inbox_views.read_all, name="read-all"),
]
