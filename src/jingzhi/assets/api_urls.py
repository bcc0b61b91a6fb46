from jingzhi.core.api import Router

from . import api

router = Router()
router.register("kinds", api.AssetKindViewSet, basename="asset-kind")
router.register("assets", api.AssetViewSet, basename="asset")

urlpatterns = router.urls
