"""Bad input to case creation: field-level 400s, nothing stored; EXIF GPS never stored."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jingzhi.cases.models import Case, CaseEvent, CasePhoto
from jingzhi.cases.workflow import State
from jingzhi.core.limits import LONG_TEXT, NAME_TEXT, PHONE_TEXT, SHORT_TEXT

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(staff, geography, category, api_client_for):
    client = api_client_for(staff.citizen)

    def send(**changes):
        lon, lat = geography.inside_a
        data = {"category": "E0102", "source": "citizen", "description": "井盖缺失", "lon": lon, "lat": lat}
        data.update(changes)
        data = {key: value for key, value in data.items() if value is not None}
        return client.post("/api/cases/cases/", data, format="multipart")

    return send


def test_it_requires_a_location(report):
    response = report(lon=None, lat=None)
    assert response.status_code == 400
    assert set(response.json()) == {"lon", "lat"}
    assert not Case.objects.exists()


def test_it_refuses_points_outside_the_service_area(report, geography):
    lon, lat = geography.outside
    response = report(lon=lon, lat=lat)
    assert response.status_code == 400
    assert response.json() == {"lon": ["该位置不在本市服务范围内。"]}
    assert report(lon=500, lat=lat).status_code == 400
    assert not Case.objects.exists()


def test_it_refuses_an_unknown_category(report):
    response = report(category="E9999")
    assert response.status_code == 400 and response.json() == {"category": ["未知的案件类别：E9999。"]}
    assert report(category="X").status_code == 400
    assert not Case.objects.exists()


def test_it_refuses_oversized_photos(report, photo, settings):
    settings.UPLOAD_MAX_BYTES = 100
    response = report(photos=[photo()])
    assert response.status_code == 400 and "文件过大" in response.json()["photos"][0]
    assert not Case.objects.exists()


def test_it_refuses_files_that_are_not_images(report):
    fake = SimpleUploadedFile("photo.jpg", b"not an image at all", content_type="image/jpeg")
    response = report(photos=[fake])
    assert response.status_code == 400 and response.json()["photos"] == ["photo.jpg：文件不是 JPG、PNG 或 WEBP 图片。"]
    script = SimpleUploadedFile("photo.exe", b"MZ...", content_type="application/octet-stream")
    assert report(photos=[script]).status_code == 400
    assert not Case.objects.exists() and not CasePhoto.objects.exists()


def test_it_answers_validation_errors_in_english_when_asked(staff, category, geography, api_client_for):
    response = api_client_for(staff.citizen).post(
        "/api/cases/cases/", {"category": "E0102", "source": "citizen", "description": "x"},
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and response.json()["lon"] == ["This field is required."]


def test_it_strips_exif_gps_from_stored_citizen_photos(report, photo):
    upload = photo()
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif().get_ifd(0x8825)  # the upload does carry GPS
    upload.seek(0)
    assert report(photos=[upload]).status_code == 201
    stored = CasePhoto.objects.get()
    with Image.open(stored.image.path) as image:
        assert image.format == "JPEG" and image.size == (32, 24)
        assert not image.getexif() and not image.getexif().get_ifd(0x8825)


def test_it_refuses_bad_list_filters(staff, api_client_for):
    response = api_client_for(staff.intake).get("/api/cases/cases/", {"date_from": "yesterday", "grid": "abc"})
    assert response.status_code == 400 and set(response.json()) == {"date_from", "grid"}


# Issue 7 §3: bad input is a 400 with field messages, never a 500.

def _client(api_client_for, user):
    client = api_client_for(user)
    client.raise_request_exception = False  # a 500 is an answer to assert on
    return client


@pytest.fixture
def vending(make_category):
    return make_category("0501", "无照经营游商", on_site_steps=[
        {"name": "管理人员到场劝导", "value": 10, "unit": "natural_minutes"}])


@pytest.mark.parametrize("arrived_at", ["0001-01-01T00:00:00", "0001-01-01T00:00:00+14:00",
                                        "9999-12-31T23:59:59", "9999-12-31T23:59:59-12:00", "1999-12-31T12:00:00"])
def test_an_arrival_time_out_of_range_is_a_field_error(staff, vending, make_case, api_client_for, arrived_at):
    """Year 1 overflowed converting Beijing time to UTC: a 500."""
    case = make_case(State.DISPATCHED, category=vending)
    response = _client(api_client_for, staff.handler_a).post(
        f"/api/cases/cases/{case.pk}/on_site_arrive/", {"arrived_at": arrived_at}, format="json")
    assert response.status_code == 400
    assert response.json() == {"arrived_at": ["日期须在 2000-01-01 至 2099-12-31 之间。"]}
    case.refresh_from_db()
    assert case.state == State.DISPATCHED and case.on_site_steps.get().arrived_at is None


def test_list_pagination_out_of_range_is_a_400(staff, make_case, api_client_for):
    make_case(State.REPORTED)
    client = _client(api_client_for, staff.chief)
    for url in ("/api/cases/cases/", "/api/cases/notifications/"):
        for query, field in ((f"limit={2**63}", "limit"), (f"offset={2**63}", "offset")):
            response = client.get(f"{url}?{query}")
            assert response.status_code == 400 and list(response.json()) == [field], (url, query)


def test_a_non_numeric_notification_id_is_a_404(staff, api_client_for):
    response = _client(api_client_for, staff.citizen).post("/api/cases/notifications/abc/read/")
    assert response.status_code == 404 and response.json() == {"detail": "未找到。"}
    assert _client(api_client_for, staff.citizen).post("/api/cases/notifications/1/read.json").status_code == 404


def test_text_over_its_limit_is_refused(report):
    for field, limit in (("description", LONG_TEXT), ("address", SHORT_TEXT), ("reporter_name", NAME_TEXT),
                         ("reporter_phone", PHONE_TEXT)):
        response = report(**{field: "x" * (limit + 1)})
        assert response.status_code == 400
        assert response.json() == {field: [f"请确保这个字段不能超过 {limit} 个字符。"]}
    assert not Case.objects.exists()
    assert report(description="x" * LONG_TEXT).status_code == 201


def test_an_action_comment_over_its_limit_is_refused(staff, make_case, api_client_for):
    case = make_case(State.REPORTED)
    client = _client(api_client_for, staff.intake)
    response = client.post(f"/api/cases/cases/{case.pk}/accept/", {"comment": "x" * (LONG_TEXT + 1)}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["comment"]
    number = client.post(f"/api/cases/cases/{case.pk}/accept/", {"comment": 12345}, format="json")
    assert number.status_code == 400 and list(number.json()) == ["comment"]  # text, not a number made text
    case.refresh_from_db()
    assert case.state == State.REPORTED and not CaseEvent.objects.filter(case=case, action="accept").exists()


def test_the_report_page_refuses_a_long_description(staff, category, geography, client):
    client.force_login(staff.inspector)
    lon, lat = geography.inside_a
    response = client.post("/cases/new/", {"category": "E0102", "source": "inspector", "description": "x" * 2001,
                                           "lon": lon, "lat": lat, "coord_system": "wgs84"})
    assert response.status_code == 400 and "请确保这个字段不能超过 2000 个字符。" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize("query, field", [
    ("overdue=yes", "overdue"), ("overdue=2", "overdue"), ("grid=", "grid"), ("state=", "state"),
    ("date_from=0001-01-01", "date_from"), ("date_to=9999-12-31", "date_to"), ("date_from=20240101", "date_from"),
])
def test_bad_list_filters_are_named(staff, api_client_for, query, field):
    response = _client(api_client_for, staff.intake).get(f"/api/cases/cases/?{query}")
    assert response.status_code == 400 and list(response.json()) == [field]


def test_good_list_filters(staff, make_case, api_client_for):
    make_case(State.REPORTED)
    client = _client(api_client_for, staff.intake)
    assert client.get("/api/cases/cases/?overdue=false&date_from=2000-01-01").json()["count"] == 1
    assert client.get("/api/cases/cases/?overdue=true").json()["count"] == 0


def test_the_search_page_still_reads_its_checkbox_and_empty_filters(staff, make_case, client):
    make_case(State.REPORTED)
    client.force_login(staff.intake)
    assert client.get("/cases/search/?q=&state=&grid=&overdue=on").status_code == 200
    assert client.get("/cases/search/?q=&state=&grid=&date_from=").status_code == 200


def test_booleans_are_true_or_false(report):
    for value in ("yes", "1", "0", "null"):
        response = report(self_handled=value)
        assert response.status_code == 400 and list(response.json()) == ["self_handled"], value
    assert not Case.objects.exists()
