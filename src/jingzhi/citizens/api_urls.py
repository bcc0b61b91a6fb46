from django.urls import path

from . import api

urlpatterns = [
    path("code/", api.code_request, name="api-citizens-code"),
    path("token/", api.token_exchange, name="api-citizens-token"),
    path("reports/", api.MyReportList.as_view(), name="api-citizens-reports"),
    path("following/", api.FollowedList.as_view(), name="api-citizens-following"),
    path("account/", api.account_delete, name="api-citizens-account"),
]
