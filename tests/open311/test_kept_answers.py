"""``GET requests`` is answered from a body kept per data version (open311.answers): a change to a
case or a moderation decision shows at once, in every worker, and the kept body holds nothing personal."""
import datetime as dt
import gzip
import json

import pytest
from django.core.cache import cache
from django.utils import timezone

from jingzhi.cases.acting import case_act
from jingzhi.cases.workflow import CaseAction, State
from jingzhi.core.versions import PUBLIC_CASES, data_version
from jingzhi.disclosure.models import ReviewStatus, TextReview
from jingzhi.disclosure.services import reviews_screen, text_review_decide
from jingzhi.open311 import answers
from tests.disclosure.conftest import assert_nothing_personal
from tests.open311.conftest import BASE

pytestmark = pytest.mark.django_db


def _requests(client, **headers):
    response = client.get(f"{BASE}requests.json", **headers)
    assert response.status_code in (200, 304)
    return response


def _by_number(response) -> dict:
    return {request["service_request_id"]: request for request in json.loads(response.content)}


def test_a_case_that_moves_shows_at_once_and_the_old_etag_no_longer_matches(client, make_case, staff):
    case = make_case()
    first = _requests(client)
    assert _by_number(first)[case.number]["status_notes"] == "已收到"
    assert _requests(client, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304  # kept: nothing moved
    version = data_version(PUBLIC_CASES)

    case_act(case=case, action=CaseAction.ACCEPT, actor=staff.intake)  # the service moves the version
    assert data_version(PUBLIC_CASES) == version + 1
    after = _requests(client, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and after["ETag"] != first["ETag"]
    assert _by_number(after)[case.number]["status_notes"] == "已受理"

    newer = make_case()  # a new report, too
    assert newer.number in _by_number(_requests(client))


def test_another_worker_sees_the_change_through_the_version(client, make_case, staff):
    """A process that kept a body while another one changed the case: the version read per request
    tells it (here the case moves behind the kept body's back, as in another worker)."""
    case = make_case()
    _requests(client)
    assert answers._kept  # kept in this process …
    cache.clear()  # … and not found in the shared cache
    case_act(case=case, action=CaseAction.ACCEPT, actor=staff.intake)
    assert _by_number(_requests(client))[case.number]["status_notes"] == "已受理"


def test_a_moderators_decision_shows_at_once(client, make_case, staff):
    case = make_case(description="这里有人骂人：傻逼")
    reviews_screen()
    review = TextReview.objects.get(case=case)
    assert review.status == ReviewStatus.PENDING
    assert _by_number(_requests(client))[case.number]["description"] is None  # held

    text_review_decide(review=review, status=ReviewStatus.APPROVED, user=staff.intake)
    assert _by_number(_requests(client))[case.number]["description"] == "这里有人骂人：傻逼"


def test_the_kept_body_is_the_same_for_gzip_clients_and_holds_nothing_personal(client, make_case):
    make_case(until=State.CLOSED)
    plain = _requests(client)
    packed = _requests(client, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert packed["ETag"] == plain["ETag"] and plain["ETag"].startswith('W/"')
    assert_nothing_personal(plain.content.decode())


def test_a_kept_window_is_built_again_when_it_is_old(client, make_case, settings, monkeypatch):
    """The default window moves with the clock: a kept answer older than OPEN311_CACHE_SECONDS is
    rebuilt, so a case leaves the 90 days at most that late."""
    now = timezone.now()
    case = make_case(now=now - dt.timedelta(days=90) + dt.timedelta(seconds=30))
    assert case.number in _by_number(_requests(client))
    later = now + dt.timedelta(seconds=settings.OPEN311_CACHE_SECONDS + 1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(answers.time, "time", lambda: later.timestamp())
    assert case.number not in _by_number(_requests(client))
