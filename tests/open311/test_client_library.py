"""An existing Open311 client library from PyPI, ``georeport`` (Python wrapper for GeoReport v2), used as
its documentation says, against the live server: list services, read a definition, post a request with a
photo and read it back, in JSON and in XML.

``georeport`` does not post (its README: "does not currently support the creation of new 311 service
requests"), and the Python clients that do (``three``, ``open311``) run on Python 2 only. The post is
therefore sent as ``three`` documents its ``post(service_code, …, media=open('photo.png', 'rb'))``: a
multipart form with ``api_key`` and the photo as ``media`` (``requests.post(url, data=…, files={"media": …})``,
which is what its code sends), and read back with ``georeport``.
"""
import io

import pytest
import requests
from georeport import GeoReport
from PIL import Image

from jingzhi.cases.models import Case

pytestmark = pytest.mark.django_db(transaction=True)


def png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_lists_services_posts_with_a_photo_and_reads_back(live_server, app_key, category, manhole,
                                                                    geography, fmt):
    _app, key = app_key
    root = f"{live_server.url}/open311/v2"
    client = GeoReport(root, jurisdiction="zhengzhou", api_key=key, output_format=fmt)

    services = client.get_service_list()
    codes = {service["service_code"]: service for service in services}
    assert set(codes) == {"E0102", "C0101"}
    assert codes["C0101"]["metadata"] in (True, "true")
    definition = client.get_service_definition("C0101")
    attributes = definition["attributes"] if fmt == "json" else definition["attributes"]["attribute"]
    assert attributes[0]["code"] == "condition"

    lon, lat = geography.inside_a
    answer = requests.post(f"{root}/requests.{fmt}", data={
        "api_key": key, "jurisdiction_id": "zhengzhou", "service_code": "C0101", "lat": lat, "long": lon,
        "description": "井盖丢失", "attribute[condition]": "missing", "first_name": "三", "last_name": "张",
    }, files={"media": ("photo.png", png(), "image/png")}, timeout=30)
    assert answer.status_code == 201, answer.text
    case = Case.objects.get()
    assert case.photos.count() == 1 and case.attributes == {"condition": "missing"}

    request = client.get_service_request(case.number)
    assert request["service_request_id"] == case.number
    assert request["service_code"] == "C0101" and request["status"] == "open"
    assert request["description"] == "井盖丢失"
    listed = client.get_service_requests(service_code="C0101", status="open")
    listed = listed if isinstance(listed, list) else [listed]  # xmltodict: one element is no list
    assert [item["service_request_id"] for item in listed] == [case.number]
    assert "张" not in str(listed) and "张" not in str(request)
