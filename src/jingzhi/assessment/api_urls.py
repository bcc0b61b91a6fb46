from jingzhi.core.api import Router

from . import api

router = Router()
router.register("assessments", api.AssessmentViewSet, basename="assessment")
router.register("results", api.ResultViewSet, basename="result")

urlpatterns = router.urls
