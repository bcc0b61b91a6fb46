from django.urls import path

from . import views

app_name = "assets"

urlpatterns = [
    path("", views.kind_index, name="index"),
    path("<slug:kind>/", views.asset_list, name="list"),
    path("<slug:kind>/<int:pk>/", views.asset_detail, name="detail"),
]
