"""Open311 shows only what moderation made public (``disclosure.selectors``): citizen text once the
automatic check passes or a moderator approves, a citizen photo only once approved or redacted."""
import pytest
from django.core.cache import cache

from jingzhi.cases.models import Case
from jingzhi.disclosure.models import ReviewStatus
from jingzhi.disclosure.services import description_review, photo_review_decide, text_review_decide
from tests.open311.conftest import BASE, parsed

pytestmark = pytest.mark.django_db


@pytest.fixture
def submit(client, app_key, category, geography):
    _app, key = app_key
    lon, lat = geography.inside_a

    def send(**data):
        response = client.post(f"{BASE}requests.json", {"api_key": key, "service_code": "E0102", "lat": lat,
                                                         "long": lon, **data})
        assert response.status_code == 201, response.content
        return Case.objects.get(number=response.json()[0]["service_request_id"])
    return send


def read(client, case):
    cache.clear()
    [one] = parsed(client.get(f"{BASE}requests/{case.number}.json"))
    listed = [item for item in parsed(client.get(f"{BASE}requests.json")) if item["service_request_id"] == case.number]
    assert listed == [one]  # the list and the single request are the same public view
    return one


@pytest.mark.parametrize("text", ["这里的管理员是傻逼", "有事打我电话 13812345678"])
def test_held_text_is_never_public_until_approved(client, submit, staff, text):
    case = submit(description=text)
    assert read(client, case)["description"] is None
    for fmt in ("json", "xml"):
        cache.clear()
        assert text not in client.get(f"{BASE}requests.{fmt}").content.decode()
    text_review_decide(review=description_review(case=case), status=ReviewStatus.APPROVED, user=staff.intake)
    assert read(client, case)["description"] == text


def test_text_a_moderator_withheld_is_not_public(client, submit, staff):
    case = submit(description="路口垃圾很多")
    assert read(client, case)["description"] == "路口垃圾很多"  # passes the automatic check
    text_review_decide(review=description_review(case=case), status=ReviewStatus.WITHHELD, user=staff.intake)
    assert read(client, case)["description"] is None


def test_a_citizen_photo_is_public_once_approved(client, submit, staff, photo):
    case = submit(media=photo())
    assert read(client, case)["media_url"] is None
    [stored] = case.photos.all()
    photo_review_decide(photo=stored, status=ReviewStatus.APPROVED, user=staff.intake)
    media_url = read(client, case)["media_url"]
    assert media_url == f"http://testserver/p/photos/{stored.pk}/"
    client.logout()
    image = client.get(media_url.removeprefix("http://testserver"))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    photo_review_decide(photo=stored, status=ReviewStatus.WITHHELD, user=staff.intake)
    assert read(client, case)["media_url"] is None
