"""/geo/: the staff map page and its options."""
import json
import re

import pytest

from jingzhi.org.models import Role

pytestmark = pytest.mark.django_db


def map_options(html):
    match = re.search(r'<script id="geo-map-options" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_the_map_page_loads_leaflet_from_the_registry_package(client, make_user):
    client.force_login(make_user(Role.INSPECTOR))
    html = client.get("/geo/").content.decode()
    assert "/static/vendor/leaflet/leaflet.js" in html and "/static/vendor/leaflet/leaflet.css" in html
    assert "/static/geo/map.js" in html and "http://" not in html and "https://" not in html
    options = map_options(html)
    # The layer URLs carry the geography's version tag ("0" before any geography was written).
    assert options["tileUrl"] == "" and options["areasUrl"] == "/api/geo/areas.geojson?level=district&v=0"
    assert options["labels"]["duties"]["river_chief"] == "河长"
    assert (options["labels"]["zoomInTitle"], options["labels"]["zoomOutTitle"]) == ("放大", "缩小")


def test_the_map_controls_are_named_in_the_page_language(client, make_user):
    client.force_login(make_user(Role.INSPECTOR))
    labels = map_options(client.get("/geo/", HTTP_ACCEPT_LANGUAGE="en").content.decode())["labels"]
    assert (labels["zoomInTitle"], labels["zoomOutTitle"], labels["skip"]) == ("Zoom in", "Zoom out", "Skip the map")


def test_tiles_and_centre_come_from_settings_and_the_query(client, make_user, settings):
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    client.force_login(make_user(Role.INSPECTOR))
    options = map_options(client.get("/geo/", {"lon": "113.61", "lat": "34.75"}).content.decode())
    assert options["tileUrl"] == settings.MAP_TILE_URL
    assert options["center"] == [34.75, 113.61] and options["zoom"] == 16
    options = map_options(client.get("/geo/", {"lon": "999", "lat": "x"}).content.decode())
    assert options["zoom"] == 12


def test_the_map_requires_login(client):
    response = client.get("/geo/")
    assert response.status_code == 302 and "/login/" in response["Location"]
