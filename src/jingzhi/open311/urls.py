"""``/open311/v2/``: each endpoint with its format as the path's extension (``.json`` or ``.xml``)."""
from django.urls import re_path

from . import views

app_name = "open311"

FORMAT = r"\.(?P<format>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, views.DiscoveryView.as_view(), name="discovery"),
    re_path(r"^services" + FORMAT, views.ServicesView.as_view(), name="services"),
    re_path(r"^services/(?P<service_code>[^/.]{1,20})" + FORMAT, views.ServiceDefinitionView.as_view(),
            name="service"),
    re_path(r"^requests" + FORMAT, views.RequestsView.as_view(), name="requests"),
    re_path(r"^requests/(?P<service_request_id>[^/.]{1,64})" + FORMAT, views.RequestView.as_view(), name="request"),
    re_path(r"^tokens/(?P<token>[^/.]{1,64})" + FORMAT, views.TokenView.as_view(), name="token"),
]
