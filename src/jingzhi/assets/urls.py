from django.urls import path, register_converter

from . import views


class FileFormatConverter:
    regex = "xlsx|csv"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FileFormatConverter, "fmt")

app_name = "assets"

urlpatterns = [
    path("", views.kind_index, name="index"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/progress.json", views.import_progress, name="import-progress"),
    path("imports/<int:pk>/problems.<fmt:fmt>", views.import_problems, name="import-problems"),
    path("<slug:kind>/", views.asset_list, name="list"),
    path("<slug:kind>/export.<fmt:fmt>", views.asset_export, name="export"),
    path("<slug:kind>/import/", views.asset_import, name="import"),
    path("<slug:kind>/template.<fmt:fmt>", views.import_template, name="template"),
    path("<slug:kind>/<int:pk>/", views.asset_detail, name="detail"),
]
