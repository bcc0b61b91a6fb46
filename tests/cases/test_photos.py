"""Case photos are served only through the scoped view, never from a public media URL."""
import io

import pytest
from PIL import Image

from jingzhi.cases.models import CasePhoto
from jingzhi.cases.workflow import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def handled_case(make_case):
    """A case of district A, handled with an after-photo by district A's handler."""
    return make_case(State.HANDLED, where="a")


def test_the_department_sees_its_case_photo_without_exif(client, staff, handled_case):
    photo = CasePhoto.objects.get(case=handled_case)
    client.force_login(staff.handler_a)
    response = client.get(f"/cases/photos/{photo.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.size == (32, 24) and not image.getexif().get_ifd(0x8825)


def test_another_department_gets_404(client, staff, handled_case):
    photo = CasePhoto.objects.get(case=handled_case)
    client.force_login(staff.handler_b)
    assert client.get(f"/cases/photos/{photo.pk}/").status_code == 404


def test_anonymous_is_sent_to_login(client, handled_case):
    photo = CasePhoto.objects.get(case=handled_case)
    response = client.get(f"/cases/photos/{photo.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_pages_and_api_link_the_scoped_view_only(client, staff, handled_case, api_client_for):
    photo = CasePhoto.objects.get(case=handled_case)
    client.force_login(staff.handler_a)
    html = client.get(f"/cases/{handled_case.pk}/").content.decode()
    assert f"/cases/photos/{photo.pk}/" in html and "/media/" not in html
    data = api_client_for(staff.handler_a).get(f"/api/cases/cases/{handled_case.pk}/").json()
    assert [p["url"] for p in data["photos"]] == [f"http://testserver/cases/photos/{photo.pk}/"]
