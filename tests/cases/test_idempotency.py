"""Idempotency-Key on case creation: a retry returns the first result and creates nothing."""
import datetime as dt
import io

import pytest

from jingzhi.cases import api
from jingzhi.cases.models import Case
from jingzhi.core import idempotency
from jingzhi.core.models import IdempotencyKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(staff, geography, category, api_client_for):
    client = api_client_for(staff.intake)

    def post(key=None, description="热线：垃圾桶满溢", **extra):
        lon, lat = geography.inside_a
        headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
        return client.post("/api/cases/cases/", {
            "category": "E0102", "source": "hotline_12345", "description": description, "lon": lon, "lat": lat,
            "reporter_name": "王先生", "reporter_phone": "13600001234", **extra,
        }, format="multipart", **headers)

    return post


def test_a_retry_returns_the_first_result(send):
    first = send(key="7f1c2a")
    again = send(key="7f1c2a")
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again.json()["number"] == first.json()["number"]
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Case.objects.count() == 1


def test_a_retry_with_the_same_photo_is_recognised(send, photo):
    # Multipart boundaries differ between attempts; the fingerprint must not.
    first = send(key="k-photo", photos=[photo()])
    again = send(key="k-photo", photos=[photo()])
    assert again.json()["id"] == first.json()["id"] and Case.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(send):
    assert send(key="k1").status_code == 201
    response = send(key="k1", description="另一件事")
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
    assert response.json()["code"] == "idempotency_key_reused"  # the one handler's body shape
    assert Case.objects.count() == 1


def test_without_a_key_each_request_creates(send):
    send()
    send()
    assert Case.objects.count() == 2


def test_a_refused_request_may_be_corrected_under_the_same_key(send):
    assert send(key="k2", category="E9999").status_code == 400
    assert not IdempotencyKey.objects.exists()
    assert send(key="k2").status_code == 201


def test_keys_are_per_user(send, staff, geography, api_client_for):
    send(key="shared")
    lon, lat = geography.inside_a
    response = api_client_for(staff.citizen).post("/api/cases/cases/", {
        "category": "E0102", "source": "citizen", "description": "x", "lon": lon, "lat": lat,
    }, HTTP_IDEMPOTENCY_KEY="shared")
    assert response.status_code == 201 and Case.objects.count() == 2


def test_an_overlong_key_is_refused(send):
    assert send(key="x" * 300).status_code == 400


def test_a_copy_that_loses_the_race_answers_with_the_winners_result(send, staff, monkeypatch):
    """Two copies run at once: the second one's key insert collides with the first one's (here
    written just before it, as the first copy's commit would be); it undoes its own case and
    replays the winner's response."""
    winner = {"id": 999, "number": "E01022099010101"}
    fingerprints = []
    real_report, real_fingerprint = api.case_report, idempotency.request_fingerprint

    def remember(request):
        fingerprints.append(real_fingerprint(request))
        return fingerprints[-1]

    def report_while_the_other_copy_commits(**kwargs):
        case = real_report(**kwargs)
        IdempotencyKey.objects.create(user=staff.intake, key="race-1", scope="POST /api/cases/cases/",
                                      request_hash=fingerprints[-1], status_code=201, response=winner)
        return case

    monkeypatch.setattr(idempotency, "request_fingerprint", remember)
    monkeypatch.setattr(api, "case_report", report_while_the_other_copy_commits)
    response = send(key="race-1")
    assert response.status_code == 201 and response.json() == winner
    assert response["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 0  # the losing copy's case was rolled back


def test_keys_are_purged_after_their_time_to_live(send, settings):
    from django.core.management import call_command

    from jingzhi.core.tasks import purge_idempotency_keys

    settings.IDEMPOTENCY_KEY_TTL_HOURS = 72
    send(key="old")
    send(key="fresh", description="另一件事")
    created = IdempotencyKey.objects.get(key="fresh").created_at
    IdempotencyKey.objects.filter(key="old").update(created_at=created - dt.timedelta(hours=73))
    assert idempotency.idempotency_keys_purge(now=created + dt.timedelta(hours=71)) == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]
    assert purge_idempotency_keys.delay().get() == 0  # the beat task (eager here): nothing else is old
    call_command("purge_idempotency_keys", stdout=io.StringIO())
    assert IdempotencyKey.objects.filter(key="fresh").exists()
    # Once forgotten, a key starts afresh: the old request would run again.
    assert send(key="old").status_code == 201 and Case.objects.count() == 3


def test_a_retried_action_returns_its_first_answer(staff, make_case, api_client_for):
    from jingzhi.cases.models import CaseEvent
    from jingzhi.cases.workflow import State

    case = make_case(State.VERIFYING)
    inspector = api_client_for(staff.inspector)
    url = f"/api/cases/cases/{case.pk}/verify_pass/"
    first = inspector.post(url, {"comment": "已整改"}, format="json", HTTP_IDEMPOTENCY_KEY="verify-1")
    again = inspector.post(url, {"comment": "已整改"}, format="json", HTTP_IDEMPOTENCY_KEY="verify-1")
    assert first.status_code == again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json() and first.json()["state"] == State.VERIFIED
    assert CaseEvent.objects.filter(case=case, action="verify_pass").count() == 1
    # Without the key the repeat is what it is: an action the case's state no longer allows.
    assert inspector.post(url, {"comment": "已整改"}, format="json").status_code == 409
