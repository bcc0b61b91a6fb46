"""Root URLconf: staff pages per app, REST API under /api/<app>/, schema and docs.

Uploaded files have no public URL: each app serves them through a view scoped like its pages.
"""
from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from jingzhi.core import views as core_views

# The API documentation pages are third-party apps under a policy relaxed for them alone. Swagger UI loads
# its start script from its own URL (?script), so it needs no inline script, but draws icons as data: images.
# Redoc injects its styles at run time (styled-components, no nonce) and searches in a blob: worker.
swagger_ui = csp_update({"img-src": ["data:"]})(
    SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="core/api/swagger_ui.html"))
redoc = csp_update({"style-src": [UNSAFE_INLINE], "img-src": ["data:"], "worker-src": ["blob:"]})(
    SpectacularRedocView.as_view(url_name="schema", template_name="core/api/redoc.html"))

urlpatterns = [
    path("", core_views.home, name="home"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(template_name="core/password_change.html"),
         name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(template_name="core/password_change_done.html"),
         name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("display/", core_views.display_mode, name="display_mode"),
    path("admin/", admin.site.urls),
    path("plans/", include("jingzhi.plans.urls")),
    path("geo/", include("jingzhi.geo.urls")),
    path("assets/", include("jingzhi.assets.urls")),
    path("api/asset-layers/", include("jingzhi.assets.map_urls")),
    path("cases/", include("jingzhi.cases.urls")),
    path("p/", include("jingzhi.disclosure.urls")),
    path("disclosure/moderation/", include("jingzhi.disclosure.moderation_urls")),
    path("dashboards/", include("jingzhi.dashboards.urls")),
    path("assessment/", include("jingzhi.assessment.urls")),
    path("p/", include("jingzhi.citizens.urls")),
    path("p/", include("jingzhi.portal.urls")),
    path("notifications/", include("jingzhi.cases.inbox_urls")),
    path("open311/v2/", include("jingzhi.open311.urls")),
    path("inspections/", include("jingzhi.inspections.urls")),
    path("api/org/", include("jingzhi.org.api_urls")),
    path("api/plans/", include("jingzhi.plans.api_urls")),
    path("api/geo/", include("jingzhi.geo.api_urls")),
    path("api/assets/", include("jingzhi.assets.api_urls")),
    path("api/cases/", include("jingzhi.cases.api_urls")),
    path("api/citizens/", include("jingzhi.citizens.api_urls")),
    path("api/inspections/", include("jingzhi.inspections.api_urls")),
    path("api/assessment/", include("jingzhi.assessment.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", swagger_ui, name="swagger-ui"),
    path("api/redoc/", redoc, name="redoc"),
]

# Under /api/, Django's own 400/404/500 answers are JSON like DRF's (jingzhi.core.api).
handler400 = "jingzhi.core.api.api_bad_request"
handler404 = "jingzhi.core.api.api_page_not_found"
handler500 = "jingzhi.core.api.api_server_error"
