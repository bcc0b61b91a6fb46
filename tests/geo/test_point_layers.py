"""Other apps' point layers on the staff map: offered through map_layers, the clustering script from npm."""
import pytest
from django.contrib.staticfiles import finders

from jingzhi.geo import map_layers
from jingzhi.org.models import Role

from .test_map_page import map_options

pytestmark = pytest.mark.django_db


def test_a_registered_provider_puts_its_layers_on_the_map_and_the_dispatch_console(client, make_user, monkeypatch):
    monkeypatch.setattr(map_layers, "_PROVIDERS", {})
    seen = []

    def provider(request):
        seen.append(request.user.username)
        return [{"key": "bin", "label": "果皮箱", "url": "/points/bin.json?v=1", "popupUrl": "/points/{id}/",
                 "count": 3}]

    map_layers.point_layers_register("test", provider)
    map_layers.point_layers_register("test", provider)  # a second ready() does not add it twice
    user = make_user(Role.INSPECTOR, username="walker")
    client.force_login(user)
    html = client.get("/geo/").content.decode()
    options = map_options(html)
    assert options["pointLayers"] == [{"key": "bin", "label": "果皮箱", "url": "/points/bin.json?v=1",
                                       "popupUrl": "/points/{id}/", "count": 3}]
    assert seen == ["walker"]
    # The plugin is loaded before the map it adds to; the clustering library only when a layer is switched on.
    assert html.index("/static/geo/point_layers.js") < html.index("/static/geo/map.js")
    assert "supercluster" not in html.split('<script id="geo-map-options"')[0]
    assert options["clusterScript"] == "/static/vendor/supercluster/supercluster.min.js"


def test_the_clustering_library_is_served_from_the_npm_package():
    found = finders.find("vendor/supercluster/supercluster.min.js")
    assert found and found.endswith("node_modules/supercluster/dist/supercluster.min.js")
