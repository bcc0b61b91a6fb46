"""The citizen portal's reporting pages under /p/ (other apps add their public pages there too)."""
from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("report/", views.report, name="report"),
    path("report/receipt/<str:number>/", views.receipt, name="receipt"),
    path("report/receipt/<str:number>/photos/<int:pk>/", views.receipt_photo, name="receipt-photo"),
    path("report/duplicates/", views.DuplicatesView.as_view(), name="duplicates"),
    path("follow/<str:number>/", views.follow, name="follow"),
]
