from django.urls import path

from jingzhi.core.api import Router

from . import api

router = Router()
router.register("units", api.UnitViewSet, basename="unit")

urlpatterns = [
    path("me/", api.me, name="api-me"),
    path("token/", api.token_login, name="api-token"),
    path("token/logout/", api.token_logout, name="api-token-logout"),
    *router.urls,
]
