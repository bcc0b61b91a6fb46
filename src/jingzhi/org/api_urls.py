from django.urls import path
from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("units", api.UnitViewSet, basename="unit")

urlpatterns = [path("me/", api.me, name="api-me"), *router.urls]
