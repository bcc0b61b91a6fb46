"""Bad photos on every case upload path (report API and form, 处置 action API and form): a 400 with
the photo field's error and nothing stored, neither rows nor files. Photos are decoded outside any
transaction, and stored and served in their real format."""
import io
from pathlib import Path

import pytest
from PIL import Image

from jingzhi.cases.models import Case, CaseEvent, CasePhoto
from jingzhi.cases.workflow import State
from tests.upload_samples import (
    BAD_FILES,
    BOMB_WARNING,
    TOO_MANY_WORDS,
    image_bytes,
    jpeg,
    too_many_photos,
    upload,
)

pytestmark = [pytest.mark.django_db, BOMB_WARNING]


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def reproductions():
    """(label, the request's photos, the error's words): issue 7's bad files, then too many photos."""
    for label, make, words in BAD_FILES:
        yield label, [jpeg(), make()], words
    yield "ten photos", too_many_photos(10), TOO_MANY_WORDS


@pytest.fixture
def report_data(geography):
    lon, lat = geography.inside_a
    return {"category": "E0102", "source": "inspector", "urgency": "normal", "description": "井盖缺失",
            "lon": lon, "lat": lat, "coord_system": "wgs84"}


def assert_refused(response, field, words, *, label, html=False):
    assert response.status_code == 400, (label, response.status_code)
    if html:
        assert words in response.content.decode(), label
    else:
        assert field in response.json() and words in str(response.json()[field]), (label, response.json())


def test_the_report_api_refuses_bad_photos(staff, category, report_data, api_client_for, settings):
    client = api_client_for(staff.inspector)
    for label, photos, words in reproductions():
        response = client.post("/api/cases/cases/", {**report_data, "photos": photos}, format="multipart")
        assert_refused(response, "photos", words, label=label)
    assert not Case.objects.exists() and not CasePhoto.objects.exists() and stored_files(settings) == []


def test_the_report_form_refuses_bad_photos(staff, category, report_data, client, settings):
    client.force_login(staff.inspector)
    for label, photos, words in reproductions():
        response = client.post("/cases/new/", {**report_data, "photos": photos})
        assert_refused(response, "photos", words, label=label, html=True)
    assert not Case.objects.exists() and not CasePhoto.objects.exists() and stored_files(settings) == []


@pytest.fixture
def handling(make_case):
    """A case its district's handler has received: the next step is 处置反馈 with photos."""
    return make_case(State.HANDLING)


def assert_nothing_changed(case, settings):
    case.refresh_from_db()
    assert case.state == State.HANDLING and not CaseEvent.objects.filter(case=case, action="handle").exists()
    assert not CasePhoto.objects.exists() and stored_files(settings) == []


def test_the_handle_action_api_refuses_bad_photos(staff, handling, api_client_for, settings):
    client = api_client_for(staff.handler_a)
    for label, photos, words in reproductions():
        response = client.post(f"/api/cases/cases/{handling.pk}/handle/", {"after_photos": photos},
                               format="multipart")
        assert_refused(response, "after_photos", words, label=label)
    # The limit counts a request's photos together, whatever their fields.
    response = client.post(f"/api/cases/cases/{handling.pk}/handle/",
                           {"before_photos": too_many_photos(5), "after_photos": too_many_photos(5)},
                           format="multipart")
    assert_refused(response, "after_photos", TOO_MANY_WORDS, label="5 + 5 photos")
    assert_nothing_changed(handling, settings)


def test_the_handle_action_form_refuses_bad_photos(staff, handling, client, settings):
    client.force_login(staff.handler_a)
    for label, photos, words in reproductions():
        response = client.post(f"/cases/{handling.pk}/act/handle/", {"after_photos": photos})
        assert_refused(response, "after_photos", words, label=label, html=True)
    assert_nothing_changed(handling, settings)


@pytest.mark.parametrize("key", [None, "k-photos"], ids=["plain", "idempotency-key"])
def test_photos_are_decoded_before_any_transaction_opens(staff, category, report_data, handling, api_client_for,
                                                         decoding_depths, key):
    """On SQLite a write transaction locks the whole database: no image is decoded inside one,
    also when an Idempotency-Key wraps the view and its key record in a transaction."""
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    response = api_client_for(staff.inspector).post(
        "/api/cases/cases/", {**report_data, "photos": [jpeg(), jpeg()]}, format="multipart", **headers)
    assert response.status_code == 201
    response = api_client_for(staff.handler_a).post(
        f"/api/cases/cases/{handling.pk}/handle/", {"after_photos": [jpeg()]}, format="multipart", **headers)
    assert response.status_code == 200
    assert decoding_depths and set(decoding_depths) == {0}


def test_a_png_named_jpg_is_stored_and_served_as_png(staff, category, report_data, api_client_for, client):
    response = api_client_for(staff.inspector).post(
        "/api/cases/cases/", {**report_data, "photos": [upload("photo.jpg", image_bytes("PNG"))]}, format="multipart")
    assert response.status_code == 201
    photo = CasePhoto.objects.get()
    assert photo.image.name.endswith(".png")
    client.force_login(staff.inspector)
    served = client.get(f"/cases/photos/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as image:
        assert image.format == "PNG"
