from django.urls import path

from jingzhi.core.api import Router

from . import api
from .workflow import CASE_ACTIONS

router = Router()
router.register("cases", api.CaseViewSet, basename="case")
router.register("categories", api.CategoryViewSet, basename="category")
router.register("notifications", api.NotificationViewSet, basename="notification")

urlpatterns = [
    *(path(f"cases/<int:pk>/{action}/", api.case_action_view(action).as_view(), name=f"api-case-{action}")
      for action in CASE_ACTIONS),
    *router.urls,
]
