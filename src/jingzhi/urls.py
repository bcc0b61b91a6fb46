"""Root URLconf: staff pages per app, REST API under /api/<app>/, schema and docs.

Uploaded files have no public URL: each app serves them through a view scoped like its pages.
"""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from jingzhi.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("plans/", include("jingzhi.plans.urls")),
    path("geo/", include("jingzhi.geo.urls")),
    path("cases/", include("jingzhi.cases.urls")),
    path("api/org/", include("jingzhi.org.api_urls")),
    path("api/plans/", include("jingzhi.plans.api_urls")),
    path("api/geo/", include("jingzhi.geo.api_urls")),
    path("api/cases/", include("jingzhi.cases.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
]

# Under /api/, Django's own 400/404/500 answers are JSON like DRF's (jingzhi.core.api).
handler400 = "jingzhi.core.api.api_bad_request"
handler404 = "jingzhi.core.api.api_page_not_found"
handler500 = "jingzhi.core.api.api_server_error"
