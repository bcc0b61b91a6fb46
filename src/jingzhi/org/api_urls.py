from django.urls import path

from jingzhi.core.api import Router

from . import api

router = Router()
router.register("units", api.UnitViewSet, basename="unit")

urlpatterns = [path("me/", api.me, name="api-me"), *router.urls]
