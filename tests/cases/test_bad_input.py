"""Bad input to case creation: field-level 400s, nothing stored; EXIF GPS never stored."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jingzhi.cases.models import Case, CasePhoto

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
