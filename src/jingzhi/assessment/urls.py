from django.urls import path, register_converter

from . import views


class PeriodConverter:
    """``2026-03`` or ``2026-Q1`` (the parser decides validity; this only shapes the URL)."""

    regex = r"\d{4}-(?:0[1-9]|1[0-2]|Q[1-4])"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PeriodConverter, "period")

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    path("compute/", views.compute, name="compute"),
    path("bulletins/", views.bulletins, name="bulletins"),
    path("daily/", views.daily, name="daily"),
    path("daily/<int:district>/<str:day>/", views.daily_detail, name="daily-detail"),
    path("results/<int:pk>/", views.result, name="result"),
    path("results/<int:pk>/<str:counter>/", views.counted, name="counted"),
    path("<period:period>/", views.detail, name="detail"),
    path("<period:period>/commentary/", views.commentary, name="commentary"),
    path("<period:period>/publish/", views.publish, name="publish"),
]
