"""Conformance with Open311 GeoReport v2 (open311.github.io GeoReport/v2/index.md, summarised in
the project's reference open311-and-peers.md §1), every endpoint in both formats, through HTTP."""
import datetime as dt
import json
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from jingzhi.cases.models import Case
from jingzhi.cases.workflow import State
from tests.open311.conftest import BASE, parsed, xml_items

pytestmark = pytest.mark.django_db

FORMATS = ("json", "xml")
W3C = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"]


def errors_of(response, fmt):
    """The error list of an answer, as (code, description) pairs, in either format."""
    body = parsed(response)
    if fmt == "json":
        return [(error["code"], error["description"]) for error in body]
    assert body.tag == "errors"
    return [(int(item["code"]), item["description"]) for item in xml_items(body, "error")]


def assert_content_type(response, fmt):
    assert response["Content-Type"] == {"json": "application/json; charset=utf-8",
                                        "xml": "text/xml; charset=utf-8"}[fmt]
    if fmt == "xml":
        assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')


@pytest.fixture
def point(geography):
    lon, lat = geography.inside_a
    return {"lat": lat, "long": lon}


def post(client, fmt, **data):
    return client.post(f"{BASE}requests.{fmt}", data)


# ── discovery, services ─────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_lists_the_endpoint_with_both_formats(client, fmt):
    response = client.get(f"{BASE}discovery.{fmt}")
    assert response.status_code == 200
    assert_content_type(response, fmt)
    body = parsed(response)
    if fmt == "json":
        endpoint = body["endpoints"][0]
        assert W3C.match(body["changeset"]) and body["contact"] and body["key_service"]
        assert endpoint["url"] == "http://testserver/open311/v2/" and endpoint["type"] == "production"
        assert endpoint["formats"] == ["text/xml", "application/json"]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    else:
        assert body.tag == "discovery"
        assert [f.text for f in body.findall("endpoints/endpoint/formats/format")] == ["text/xml", "application/json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_are_the_small_classes(client, category, manhole, fmt):
    response = client.get(f"{BASE}services.{fmt}")
    assert response.status_code == 200
    assert_content_type(response, fmt)
    body = parsed(response)
    services = body if fmt == "json" else xml_items(body, "service")
    by_code = {service["service_code"]: service for service in services}
    assert set(by_code) == {"E0102", "C0101"}
    assert by_code["E0102"]["service_name"] == "暴露垃圾"
    assert by_code["C0101"]["metadata"] in (True, "true")  # it has attributes
    assert by_code["E0102"]["metadata"] in (False, "false")
    assert {service["type"] for service in services} == {"realtime"}
    assert set(by_code["E0102"]) == {"service_code", "service_name", "description", "metadata", "type", "keywords",
                                     "group"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_service_definition_lists_its_attributes(client, manhole, fmt):
    response = client.get(f"{BASE}services/C0101.{fmt}")
    assert response.status_code == 200
    body = parsed(response)
    if fmt == "json":
        assert isinstance(body, dict)  # an object, not an array (the spec)
        condition, number = body["attributes"]
        assert body["service_code"] == "C0101"
        assert condition["code"] == "condition" and condition["required"] is True and condition["order"] == 1
        assert condition["datatype"] == "singlevaluelist" and condition["variable"] is True
        assert {"key": "missing", "name": "丢失"} in condition["values"]
        assert number["datatype"] == "string" and number["required"] is False
    else:
        assert body.tag == "service_definition"
        attributes = body.findall("attributes/attribute")
        assert [a.findtext("code") for a in attributes] == ["condition", "asset_number"]
        assert attributes[0].findtext("required") == "true"
        assert [v.findtext("key") for v in attributes[0].findall("values/value")] == [
            "missing", "broken", "displaced", "noisy"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_service_code_is_404(client, category, fmt):
    response = client.get(f"{BASE}services/E9999.{fmt}")
    assert response.status_code == 404
    assert_content_type(response, fmt)
    [(code, description)] = errors_of(response, fmt)
    assert code == 404 and "E9999" in description


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_jurisdiction_is_404_and_the_right_one_is_accepted(client, category, fmt):
    assert client.get(f"{BASE}services.{fmt}", {"jurisdiction_id": "zhengzhou"}).status_code == 200
    response = client.get(f"{BASE}services.{fmt}", {"jurisdiction_id": "elsewhere"})
    assert response.status_code == 404
    assert errors_of(response, fmt)[0][0] == 404


def test_an_unknown_format_is_not_served(client):
    assert client.get(f"{BASE}services.html").status_code == 404


# ── POST requests ───────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_creates_a_case_and_answers_its_id(client, app_key, category, point, photo, fmt):
    app, key = app_key
    response = post(client, fmt, api_key=key, service_code="E0102", description="路口有一堆垃圾", media=photo(),
                    address_string="金水路 1 号", **point)
    assert response.status_code == 201, response.content
    assert_content_type(response, fmt)
    body = parsed(response)
    item = body[0] if fmt == "json" else xml_items(body, "request")[0]
    case = Case.objects.get()
    assert item["service_request_id"] == case.number
    assert "token" not in item  # service_request_id xor token: the case exists at once
    assert case.number in item["service_notice"]
    assert case.source == "citizen" and case.reporter == app.user and case.state == State.REPORTED
    assert case.description == "路口有一堆垃圾" and case.address == "金水路 1 号"
    assert (case.lat, case.lon) == (point["lat"], point["long"])
    [stored] = case.photos.all()
    assert stored.kind == "report" and b"Exif" not in stored.image.read()  # the upload's checks: EXIF removed
    assert case.open311_submission.client == app


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_without_or_with_a_bad_api_key_is_403(client, app_key, category, point, fmt):
    for data in ({}, {"api_key": "o311_wrong"}, {"api_key": "nonsense"}):
        response = post(client, fmt, service_code="E0102", **point, **data)
        assert response.status_code == 403
        assert "WWW-Authenticate" not in response
        [(code, _description)] = errors_of(response, fmt)
        assert code == 403
    assert not Case.objects.exists()


def test_a_revoked_key_is_403_and_a_rotated_one_works(client, app_key, category, point):
    from jingzhi.open311.services import client_app_revoke, client_app_rotate
    app, key = app_key
    client_app_revoke(app=app)
    assert post(client, "json", api_key=key, service_code="E0102", **point).status_code == 403
    new_key = client_app_rotate(app=app)
    assert post(client, "json", api_key=key, service_code="E0102", **point).status_code == 403
    assert post(client, "json", api_key=new_key, service_code="E0102", **point).status_code == 201


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_with_an_unknown_service_code_is_404_and_without_one_400(client, app_key, category, point, fmt):
    _app, key = app_key
    response = post(client, fmt, api_key=key, service_code="E0999", **point)
    assert response.status_code == 404 and errors_of(response, fmt)[0][0] == 404
    response = post(client, fmt, api_key=key, **point)
    assert response.status_code == 400 and "service_code" in errors_of(response, fmt)[0][1]
    assert not Case.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_without_a_location_is_400(client, app_key, category, point, fmt):
    _app, key = app_key
    for data in ({}, {"lat": point["lat"]}, {"address_string": "金水路 1 号"}, {"address_id": "123"},
                 {"lat": "", "long": ""}):
        response = post(client, fmt, api_key=key, service_code="E0102", **data)
        assert response.status_code == 400, data
        [(code, description)] = errors_of(response, fmt)
        assert code == 400 and "lat" in description
    assert not Case.objects.exists()


def test_post_refuses_bad_fields_per_field(client, app_key, category, point):
    _app, key = app_key
    response = post(client, "json", api_key=key, service_code="E0102", lat="north", long=point["long"],
                    email="not-an-email", description="x" * 4001)
    assert response.status_code == 400
    fields = {description.split(":")[0] for _code, description in errors_of(response, "json")}
    assert fields == {"lat", "email", "description"}
    response = post(client, "json", api_key=key, service_code="E0102", lat=80, long=10)  # outside the city
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_post_refuses_a_file_that_is_no_photo(client, app_key, category, point):
    from django.core.files.uploadedfile import SimpleUploadedFile
    _app, key = app_key
    fake = SimpleUploadedFile("photo.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    response = post(client, "json", api_key=key, service_code="E0102", media=fake, **point)
    assert response.status_code == 400
    assert "media" in errors_of(response, "json")[0][1] or "photos" in errors_of(response, "json")[0][1]
    assert not Case.objects.exists()


def test_post_checks_and_keeps_the_attributes(client, app_key, manhole, point):
    _app, key = app_key
    response = post(client, "json", api_key=key, service_code="C0101", **point)
    assert response.status_code == 400
    assert errors_of(response, "json")[0][1].startswith("attribute[condition]")
    response = post(client, "json", api_key=key, service_code="C0101", **point, **{"attribute[condition]": "stolen"})
    assert response.status_code == 400
    response = post(client, "json", api_key=key, service_code="C0101", **point,
                    **{"attribute[condition]": "missing", "attribute[asset_number]": "JS-0042"})
    assert response.status_code == 201
    assert Case.objects.get().attributes == {"condition": "missing", "asset_number": "JS-0042"}


def test_a_multivaluelist_takes_several_values(client, app_key, make_category, point):
    make_category("0505", "机动车乱停放")
    _app, key = app_key
    response = client.post(f"{BASE}requests.json", f"api_key={key}&service_code=E0505&lat={point['lat']}"
                           f"&long={point['long']}&attribute[blocking][]=sidewalk&attribute[blocking][]=fire_lane",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 201, response.content
    assert Case.objects.get().attributes == {"blocking": ["fire_lane", "sidewalk"]}


def test_post_as_json_is_refused_with_an_error_body(client, app_key, category, point):
    _app, key = app_key
    response = client.post(f"{BASE}requests.json", json.dumps({"api_key": key, "service_code": "E0102", **point}),
                           content_type="application/json")
    assert response.status_code == 415
    assert errors_of(response, "json")[0][0] == 415


# ── GET requests, requests/{id}, tokens/{token} ─────────────────────────────────────────


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_request_reads_back_with_every_field(client, make_case, fmt):
    case = make_case(State.DISPATCHED)
    response = client.get(f"{BASE}requests/{case.number}.{fmt}")
    assert response.status_code == 200
    assert_content_type(response, fmt)
    body = parsed(response)
    items = body if fmt == "json" else xml_items(body, "request")
    [item] = items  # still wrapped in a list (the spec)
    assert list(item) == REQUEST_FIELDS
    assert item["service_request_id"] == case.number and item["status"] == "open"
    assert item["service_code"] == "E0102" and item["service_name"] == "暴露垃圾"
    assert item["agency_responsible"] == case.department.name
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert W3C.match(item[name]), (name, item[name])
    expected = dt.datetime.fromisoformat(item["expected_datetime"])
    assert expected == case.stage_deadline  # the current stage's deadline
    assert float(item["lat"]) == round(case.lat, 4) and float(item["long"]) == round(case.lon, 4)
    if fmt == "json":
        assert item["zipcode"] is None and item["address_id"] is None  # empty is null in JSON
    else:
        assert b"<zipcode/>" in response.content  # and an empty element in XML


def test_a_closed_request_is_closed_and_updated_when_it_closed(client, make_case):
    case = make_case(State.CLOSED)
    [item] = parsed(client.get(f"{BASE}requests/{case.number}.json"))
    assert item["status"] == "closed"
    assert dt.datetime.fromisoformat(item["updated_datetime"]) == case.closed_at.replace(microsecond=0)
    assert item["expected_datetime"] is None  # no clock runs


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_request_or_token_is_404(client, fmt):
    for path in ("requests/E01022099010101", "tokens/6f0e2a3c-0000-4000-8000-000000000000", "tokens/nope"):
        response = client.get(f"{BASE}{path}.{fmt}")
        assert response.status_code == 404, path
        assert errors_of(response, fmt)[0][0] == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_token_resolves_to_its_request(client, app_key, category, point, fmt):
    _app, key = app_key
    post(client, "json", api_key=key, service_code="E0102", **point)
    case = Case.objects.get()
    token = str(case.open311_submission.token)
    body = parsed(client.get(f"{BASE}tokens/{token}.{fmt}"))
    item = body[0] if fmt == "json" else xml_items(body, "request")[0]
    assert item == {"service_request_id": case.number, "token": token}


def _numbers(client, fmt="json", **params):
    cache.clear()
    response = client.get(f"{BASE}requests.{fmt}", params)
    assert response.status_code == 200, response.content
    body = parsed(response)
    items = body if fmt == "json" else xml_items(body, "request")
    return [item["service_request_id"] for item in items]


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_list_filters(client, make_case, make_category, fmt):
    now = timezone.now()
    old = make_case(now=now - dt.timedelta(days=100))
    recent = make_case(State.CLOSED, now=now - dt.timedelta(days=10))
    newest = make_case(now=now - dt.timedelta(hours=1), category=make_category("0501", "无照经营游商"))
    # The default window: the last 90 days, newest first.
    assert _numbers(client, fmt) == [newest.number, recent.number]
    assert _numbers(client, fmt, status="open") == [newest.number]
    assert _numbers(client, fmt, status="closed") == [recent.number]
    assert _numbers(client, fmt, status="open,closed") == [newest.number, recent.number]
    assert _numbers(client, fmt, service_code="E0501") == [newest.number]
    assert _numbers(client, fmt, service_code="E0102,E0501") == [newest.number, recent.number]
    start = (now - dt.timedelta(days=120)).isoformat()
    end = (now - dt.timedelta(days=50)).isoformat()
    assert _numbers(client, fmt, start_date=start, end_date=end) == [old.number]
    assert _numbers(client, fmt, start_date="", status="") == [newest.number, recent.number]  # empty = not sent
    # A list of ids overrides every other argument, the old case too.
    ids = f"{old.number},{newest.number},E01022099010101"
    assert _numbers(client, fmt, service_request_id=ids, status="closed") == [newest.number, old.number]


def test_requests_w3c_dates_with_z_and_offsets(client, make_case):
    case = make_case()
    day = timezone.now().astimezone(dt.UTC)
    start = (day - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (day + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    assert _numbers(client, start_date=start, end_date=end) == [case.number]
    assert _numbers(client, end_date=start) == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("params", [
    {"start_date": "yesterday"}, {"end_date": "2018-13-45T00:00:00Z"}, {"start_date": "2018-09-30T08:00:00"},
    {"start_date": "2018-01-01T00:00:00Z", "end_date": "2018-06-01T00:00:00Z"},  # more than 90 days
    {"start_date": "2018-06-01T00:00:00Z", "end_date": "2018-01-01T00:00:00Z"},  # end before start
    {"status": "fixed"},
])
def test_bad_dates_and_statuses_are_400(client, fmt, params):
    response = client.get(f"{BASE}requests.{fmt}", params)
    assert response.status_code == 400, params
    [(code, description)] = errors_of(response, fmt)
    assert code == 400 and description.split(":")[0] in params


def test_an_unknown_service_code_filter_is_404(client, category):
    response = client.get(f"{BASE}requests.json", {"service_code": "E9999"})
    assert response.status_code == 404


def test_requests_are_limited(client, make_case, settings):
    settings.OPEN311_MAX_REQUESTS = 2
    now = timezone.now()
    cases = [make_case(now=now - dt.timedelta(minutes=minutes)) for minutes in (3, 2, 1)]
    assert _numbers(client) == [cases[2].number, cases[1].number]


def test_a_list_is_kept_and_revalidated_by_etag(client, make_case):
    make_case()
    first = client.get(f"{BASE}requests.json")
    assert first["Cache-Control"] == "public, no-cache" and first["ETag"]
    assert "Accept-Language" in first["Vary"]
    again = client.get(f"{BASE}requests.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_english_names_when_asked(client, make_category):
    make_category("0501", "无照经营游商").__class__.objects.update(name_en="Unlicensed street vending")
    [service] = parsed(client.get(f"{BASE}services.json", HTTP_ACCEPT_LANGUAGE="en"))
    assert service["service_name"] == "Unlicensed street vending"
    response = client.get(f"{BASE}services/E9999.json", HTTP_ACCEPT_LANGUAGE="en")
    assert "Unknown service_code" in parsed(response)[0]["description"]
