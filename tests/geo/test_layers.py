"""The GeoJSON layers over HTTP: a version tag that moves with the geography, ETag / Last-Modified and
304 on revalidation, Cache-Control by tag, gzip when accepted — and refusals before any of it."""
import gzip
import json
import re

import pytest
from django.utils.http import parse_http_date

from jingzhi.geo.models import GeographyVersion
from jingzhi.geo.services import geography_changed
from jingzhi.org.models import Role

pytestmark = pytest.mark.django_db

AREAS = "/api/geo/areas.geojson?level=district"
YEAR = 365 * 24 * 3600


@pytest.fixture
def staff(client, make_user):
    client.force_login(make_user(Role.INSPECTOR))
    return client


def current_tag() -> str:
    return GeographyVersion.objects.get(pk=1).token


def map_areas_url(client) -> str:
    html = client.get("/geo/").content.decode()
    options = json.loads(re.search(r'id="geo-map-options" type="application/json">(.*?)</script>', html, re.S)[1])
    return options["areasUrl"]


def test_the_map_asks_for_the_layers_under_the_geographys_version_tag(staff, geography):
    tag = current_tag()
    assert map_areas_url(staff) == f"{AREAS}&v={tag}"
    geography_changed()  # a boundary load, a grid generation…
    assert current_tag() != tag and map_areas_url(staff) == f"{AREAS}&v={current_tag()}"


def test_under_the_current_tag_a_layer_is_kept_a_year_else_revalidated(staff, geography):
    versioned = staff.get(f"{AREAS}&v={current_tag()}", HTTP_ACCEPT="application/json")
    assert versioned.status_code == 200 and len(versioned.json()["features"]) == 2
    assert versioned["Cache-Control"] == f"private, max-age={YEAR}, immutable"
    for url in (AREAS, f"{AREAS}&v=an-old-tag"):
        assert staff.get(url, HTTP_ACCEPT="application/json")["Cache-Control"] == "private, no-cache"


def test_revalidation_is_a_304_until_the_geography_changes(staff, geography):
    first = staff.get(AREAS, HTTP_ACCEPT="application/json")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith(f'"{current_tag()}-')
    changed_at = GeographyVersion.objects.get(pk=1).changed_at
    assert parse_http_date(last_modified) == int(changed_at.timestamp())

    again = staff.get(AREAS, HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert again["Cache-Control"] == "private, no-cache"
    since = staff.get(AREAS, HTTP_ACCEPT="application/json", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert since.status_code == 304

    # Another query is another answer: its own ETag.
    other = staff.get("/api/geo/areas.geojson?level=subdistrict", HTTP_ACCEPT="application/json")
    assert other["ETag"] != etag
    assert staff.get("/api/geo/areas.geojson?level=subdistrict", HTTP_ACCEPT="application/json",
                     HTTP_IF_NONE_MATCH=etag).status_code == 200

    geography_changed()
    fresh = staff.get(AREAS, HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag and len(fresh.json()["features"]) == 2


def test_a_layer_is_gzipped_when_the_client_accepts_it(staff, geography):
    plain = staff.get(AREAS, HTTP_ACCEPT="application/json")
    assert not plain.has_header("Content-Encoding")
    packed = staff.get(AREAS, HTTP_ACCEPT="application/json", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content)  # the demo's districts: 110 KB → 32 KB (docs/benchmarks.md)
    # The weakened ETag of the compressed copy still revalidates.
    assert packed["ETag"].startswith('W/"')
    assert staff.get(AREAS, HTTP_ACCEPT="application/json", HTTP_ACCEPT_ENCODING="gzip",
                     HTTP_IF_NONE_MATCH=packed["ETag"]).status_code == 304


def test_grids_and_zones_layers_revalidate_too(staff, geography):
    for url in ("/api/geo/grids.geojson?bbox=113.60,34.74,113.64,34.76", "/api/geo/zones.geojson"):
        first = staff.get(url, HTTP_ACCEPT="application/json")
        assert first.status_code == 200 and first["Cache-Control"] == "private, no-cache"
        assert staff.get(url, HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_stranger_is_refused_even_with_a_matching_etag(client, staff, geography):
    etag = staff.get(AREAS, HTTP_ACCEPT="application/json")["ETag"]
    staff.logout()
    refused = client.get(AREAS, HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=etag)
    assert refused.status_code in (401, 403) and "ETag" not in refused


def test_bad_input_is_a_400_not_a_cached_answer(staff, geography):
    refused = staff.get("/api/geo/areas.geojson?level=planet", HTTP_ACCEPT="application/json")
    assert refused.status_code == 400 and "ETag" not in refused
    assert "no-store" in refused["Cache-Control"]


def test_the_public_boundaries_may_be_kept_by_shared_caches(client, geography):
    url = "/p/map/areas.json"
    first = client.get(f"{url}?v={current_tag()}", HTTP_ACCEPT_ENCODING="gzip")
    assert first.status_code == 200 and first["Content-Encoding"] == "gzip"
    assert first["Cache-Control"] == f"public, max-age={YEAR}, immutable"
    assert len(json.loads(gzip.decompress(first.content))["features"]) == 2
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_pages_are_not_compressed(staff, geography):
    """BREACH: a page carries secrets (the CSRF token, names, phones) next to echoed input, so HTML
    is never compressed by the application (docs/production.md)."""
    page = staff.get("/geo/", HTTP_ACCEPT_ENCODING="gzip")
    assert page.status_code == 200 and not page.has_header("Content-Encoding")
