from jingzhi.core.api import Router

from . import api

router = Router()
router.register("plans", api.PlanViewSet, basename="plan")
router.register("tasks", api.TaskViewSet, basename="task")
router.register("indicators", api.IndicatorViewSet, basename="indicator")
router.register("checklist-items", api.ChecklistItemViewSet, basename="checklist-item")
router.register("progress-reports", api.ProgressReportViewSet, basename="progress-report")
router.register("notices", api.NoticeViewSet, basename="notice")

urlpatterns = router.urls
