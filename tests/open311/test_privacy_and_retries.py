"""Personal data sent with a request is kept for staff and never shown by a public endpoint; a
client retrying with its Idempotency-Key creates one case."""
import pytest
from django.core.cache import cache

from jingzhi.cases.models import Case
from jingzhi.open311.answers import answers_forget
from jingzhi.open311.models import Submission
from tests.open311.conftest import BASE

pytestmark = pytest.mark.django_db

PERSONAL = {"first_name": "三丰", "last_name": "张", "phone": "13812345678", "email": "zhang.sanfeng@example.cn",
            "device_id": "device-7f3a9c", "account_id": "wx-account-4242"}


@pytest.fixture
def reported(client, app_key, category, geography):
    _app, key = app_key
    lon, lat = geography.inside_a
    response = client.post(f"{BASE}requests.json", {"api_key": key, "service_code": "E0102", "lat": lat,
                                                     "long": lon, "description": "垃圾堆", **PERSONAL})
    assert response.status_code == 201
    return Case.objects.get()


def test_personal_data_is_kept_on_the_case_for_staff(reported):
    assert reported.reporter_name == "张三丰" and reported.reporter_phone == "13812345678"
    assert reported.reporter_email == "zhang.sanfeng@example.cn" and reported.device_id == "device-7f3a9c"
    assert Submission.objects.get(case=reported).account_id == "wx-account-4242"


def test_the_command_centre_sees_the_contact_and_a_department_does_not(client, reported, staff):
    from jingzhi.cases.acting import case_act
    from jingzhi.cases.workflow import CaseAction
    for action, actor in ((CaseAction.ACCEPT, staff.intake), (CaseAction.FILE, staff.chief),
                          (CaseAction.DISPATCH, staff.dispatcher)):
        reported = case_act(case=reported, action=action, actor=actor)
    client.force_login(staff.intake)
    page = client.get(f"/cases/{reported.pk}/").content.decode()
    assert "zhang.sanfeng@example.cn" in page and "device-7f3a9c" in page and "13812345678" in page
    client.force_login(staff.handler_a)  # the department handles it: no contact beyond the masked name
    page = client.get(f"/cases/{reported.pk}/").content.decode()
    assert reported.number in page
    assert "zhang.sanfeng" not in page and "device-7f3a9c" not in page and "13812345678" not in page


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_no_public_endpoint_shows_personal_data(client, reported, fmt):
    token = reported.open311_submission.token
    paths = ["discovery", "services", "services/E0102", "requests", f"requests/{reported.number}",
             f"tokens/{token}"]
    queries = [{}, {"service_request_id": reported.number}, {"status": "open"}, {"service_code": "E0102"}]
    bodies = []
    for path in paths:
        for query in queries if path == "requests" else [{}]:
            cache.clear()
            response = client.get(f"{BASE}{path}.{fmt}", query)
            assert response.status_code == 200, path
            bodies.append(response.content.decode())
    assert reported.number in bodies[4]  # the request is there …
    for value in [*PERSONAL.values(), "张三丰", "13812345678"[-4:] + "<", reported.reporter.username]:
        assert not any(value in body for body in bodies), value  # … its reporter is not


def test_the_same_idempotency_key_creates_one_case(client, app_key, category, geography, photo):
    _app, key = app_key
    lon, lat = geography.inside_a
    data = {"api_key": key, "service_code": "E0102", "lat": lat, "long": lon, "description": "重试"}
    first = client.post(f"{BASE}requests.json", {**data, "media": photo()}, HTTP_IDEMPOTENCY_KEY="retry-1")
    again = client.post(f"{BASE}requests.json", {**data, "media": photo()}, HTTP_IDEMPOTENCY_KEY="retry-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Case.objects.count() == 1 and Case.objects.get().photos.count() == 1
    other = client.post(f"{BASE}requests.json", {**data, "description": "另一个"}, HTTP_IDEMPOTENCY_KEY="retry-1")
    assert other.status_code == 422
    assert other.json()[0]["code"] == 422
    assert client.post(f"{BASE}requests.json", data).status_code == 201  # without a key: a new case
    assert Case.objects.count() == 2


def test_the_same_key_replays_in_xml_too(client, app_key, category, geography):
    _app, key = app_key
    lon, lat = geography.inside_a
    data = {"api_key": key, "service_code": "E0102", "lat": lat, "long": lon}
    first = client.post(f"{BASE}requests.xml", data, HTTP_IDEMPOTENCY_KEY="retry-xml")
    again = client.post(f"{BASE}requests.xml", data, HTTP_IDEMPOTENCY_KEY="retry-xml")
    assert again.content == first.content and again["Content-Type"].startswith("text/xml")
    assert Case.objects.count() == 1


def test_rate_limits_per_key_and_per_ip(client, app_key, category, geography, settings):
    _app, key = app_key
    lon, lat = geography.inside_a
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {**rates, "open311_key": "2/minute", "open311_ip": None}}
    data = {"api_key": key, "service_code": "E0102", "lat": lat, "long": lon}
    assert [client.post(f"{BASE}requests.json", data).status_code for _ in range(3)] == [201, 201, 429]
    refused = client.post(f"{BASE}requests.xml", data)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert b"<code>429</code>" in refused.content
    assert client.get(f"{BASE}services.json").status_code == 200  # reading needs no key, counts per IP
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {**rates, "open311_key": None, "open311_ip": "3/minute"}}
    cache.clear()
    codes = [client.get(f"{BASE}discovery.json").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    # A kept list costs less than counting would: only the lists that must be built count.
    cache.clear()
    answers_forget()
    assert [client.get(f"{BASE}requests.json").status_code for _ in range(5)] == [200] * 5  # built once
    built = [client.get(f"{BASE}requests.json", {"status": status}).status_code
             for status in ("open", "closed", "open,closed")]
    assert built == [200, 200, 429]
    assert Case.objects.count() == 2
