"""Bad input to any API URL is a 400 (or a 404) with a JSON body, never a 500: ids in URLs,
pagination parameters, deeply nested JSON, Django's own error pages under /api/."""
import json

import pytest
from django.urls import Resolver404, get_resolver, resolve
from rest_framework import parsers

from jingzhi.core.limits import JSON_MAX_DEPTH, MAX_PAGE_SIZE
from jingzhi.core.rest import JSONParser, json_depth
from jingzhi.org.models import Role

pytestmark = pytest.mark.django_db

HUGE = str(2**63)  # one past the largest 64-bit integer


@pytest.fixture
def chief(make_user, make_unit, api_client_for):
    for _ in range(3):
        make_unit()
    client = api_client_for(make_user(Role.SHIFT_CHIEF))
    client.raise_request_exception = False  # a 500 is an answer to assert on, not an exception
    return client


def _api_routes(resolver=None, prefix=""):
    """Every URL pattern under /api/ as (route text, pattern)."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            yield from _api_routes(pattern, route)
        elif route.startswith("api/"):
            yield route, pattern


def test_every_api_route_with_an_id_takes_an_integer():
    routes = [route for route, _pattern in _api_routes() if "pk" in route]
    assert len(routes) > 40
    assert [route for route in routes if "<int:pk>" not in route] == []
    assert not [route for route, _pattern in _api_routes() if "format" in route]  # no .json suffix routes


@pytest.mark.parametrize("path", [
    "/api/cases/notifications/abc/read/", "/api/cases/cases/abc/", "/api/cases/cases/abc/accept/",
    "/api/plans/tasks/abc/", "/api/plans/notices/abc/reply/", "/api/org/units/abc/", "/api/cases/categories/1e3/",
])
def test_a_non_integer_id_is_a_json_404(chief, path):
    with pytest.raises(Resolver404):
        resolve(path)
    response = chief.post(path) if path.endswith(("/read/", "/accept/", "/reply/")) else chief.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json" and response.json() == {"detail": "未找到。"}


def test_an_id_beyond_64_bits_is_a_404(chief):
    for path in (f"/api/org/units/{HUGE}/", f"/api/cases/notifications/{HUGE}/read/"):
        response = chief.post(path) if path.endswith("/read/") else chief.get(path)
        assert response.status_code == 404, path


def test_pages_keep_their_html_404(client, make_user):
    client.force_login(make_user(Role.SHIFT_CHIEF))
    response = client.get("/cases/abc/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("query, field", [
    (f"limit={HUGE}", "limit"), (f"offset={HUGE}", "offset"), ("limit=0", "limit"), ("limit=-1", "limit"),
    (f"limit={MAX_PAGE_SIZE + 1}", "limit"), ("limit=abc", "limit"), ("offset=-5", "offset"), ("offset=x", "offset"),
])
def test_pagination_parameters_out_of_range_are_a_400_naming_them(chief, query, field):
    response = chief.get(f"/api/org/units/?{query}")
    assert response.status_code == 400 and list(response.json()) == [field]


def test_pagination_within_range(chief):
    assert len(chief.get("/api/org/units/?limit=2").json()["results"]) == 2
    assert chief.get(f"/api/org/units/?limit={MAX_PAGE_SIZE}&offset=1").status_code == 200
    assert chief.get(f"/api/org/units/?offset={2**31 - 1}").json()["results"] == []


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_every_api_view_reads_json_with_the_bounded_parser():
    views = {getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
             for _route, pattern in _api_routes()}
    json_parsers = {parser for view in views if view is not None
                    for parser in getattr(view, "parser_classes", ()) if issubclass(parser, parsers.JSONParser)}
    assert json_parsers == {JSONParser}


def test_a_json_body_nested_100000_deep_is_a_400(chief):
    response = chief.post("/api/cases/cases/", _nested(100_000), content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": f"JSON 嵌套过深：最多 {JSON_MAX_DEPTH} 层。"}


def test_the_nesting_bound_is_the_documented_depth(chief):
    assert chief.post("/api/cases/cases/", _nested(JSON_MAX_DEPTH + 1), content_type="application/json").json() \
        == {"detail": f"JSON 嵌套过深：最多 {JSON_MAX_DEPTH} 层。"}
    # Within the bound the body is read and refused by the serializer as usual.
    within = chief.post("/api/cases/cases/", _nested(JSON_MAX_DEPTH), content_type="application/json")
    assert within.status_code == 400 and "non_field_errors" in within.json()
    assert chief.post("/api/cases/cases/", "{", content_type="application/json").status_code == 400


def test_json_depth():
    assert json_depth(1) == 0 and json_depth([]) == 1 and json_depth({"a": [1, {"b": []}]}) == 4
    assert json_depth(json.loads(_nested(500))) == 500


def test_an_unknown_api_url_is_a_json_404(chief):
    response = chief.get("/api/nowhere/")
    assert response.status_code == 404 and response.json() == {"detail": "未找到。"}
