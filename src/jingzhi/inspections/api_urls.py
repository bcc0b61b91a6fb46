from jingzhi.core.api import Router

from . import api

router = Router()
router.register("templates", api.TemplateViewSet, basename="inspection-template")
router.register("rounds", api.RoundViewSet, basename="inspection-round")
router.register("inspections", api.InspectionViewSet, basename="inspection")

urlpatterns = router.urls
