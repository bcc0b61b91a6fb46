"""评价 on the public page: the reporting citizen rates a closed case through the same service as the
API; 不满意 reaches the 值班长, who reopens it. Refusals change nothing."""
import re

import pytest
from django.test import Client

from jingzhi.cases.models import Case, CaseEvent, Notification
from jingzhi.cases.workflow import State

from .conftest import assert_nothing_personal, photo_upload

pytestmark = pytest.mark.django_db


def snapshot(case):
    case = Case.objects.get(pk=case.pk)
    return case.state, case.satisfaction, case.events.count()


def rate(client, case, satisfaction="dissatisfied", comment="垃圾又堆起来了"):
    return client.post(f"/p/cases/{case.number}/rate/", {"satisfaction": satisfaction, "comment": comment})


def test_the_reporter_rates_dissatisfied_and_the_shift_chief_reopens(staff, make_case, client, api_client_for):
    case = make_case(State.CLOSED)
    client.force_login(staff.citizen)
    page = client.get(f"/p/cases/{case.number}/").content.decode()
    assert f"/p/cases/{case.number}/rate/" in page  # the case page offers the rating
    form = client.get(f"/p/cases/{case.number}/rate/")
    assert form.status_code == 200 and 'value="fairly_satisfied"' in form.content.decode()
    response = rate(client, case)
    assert response.status_code == 302 and response["Location"] == f"/p/cases/{case.number}/"
    event = CaseEvent.objects.filter(case=case).last()
    assert (event.action, event.actor, event.actor_role, event.data) == (
        "evaluate", staff.citizen, "citizen", {"satisfaction": "dissatisfied"})
    assert Notification.objects.filter(recipient=staff.chief, case=case, kind="evaluate").count() == 1
    page = client.get(f"/p/cases/{case.number}/").content.decode()
    assert "不满意：垃圾又堆起来了" in page and f"/p/cases/{case.number}/rate/" not in page
    assert_nothing_personal(Client().get(f"/p/cases/{case.number}/").content.decode())  # (signed in: own name on top)

    reopened = api_client_for(staff.chief).post(f"/api/cases/cases/{case.pk}/reopen/", {"comment": "重办"},
                                                format="json")
    assert reopened.status_code == 200
    public = client.get(f"/p/cases/{case.number}/").content.decode()
    assert "评价不满意，重新处置" in public and "重办" not in public.replace("重新处置", "")


def test_refusals_change_nothing(staff, make_case, client):
    closed = make_case(State.CLOSED)
    before = snapshot(closed)
    anonymous = rate(client, closed)
    assert anonymous.status_code == 401 and "/p/login/?next=" in anonymous.content.decode()
    client.force_login(staff.other_citizen)
    assert rate(client, closed).status_code == 403
    assert client.get(f"/p/cases/{closed.number}/rate/").status_code == 403
    client.force_login(staff.intake)  # staff record call-backs on their own page
    assert rate(client, closed).status_code == 403
    client.force_login(staff.citizen)
    bad = rate(client, closed, "very_happy")
    assert bad.status_code == 400 and "very_happy" in bad.content.decode()
    too_long = rate(client, closed, "satisfied", "长" * 2001)
    assert too_long.status_code == 400
    assert snapshot(closed) == before

    handling = make_case(State.HANDLING)
    before = snapshot(handling)
    refused = rate(client, handling)
    assert refused.status_code == 409 and "处置中" in refused.content.decode()
    assert snapshot(handling) == before

    assert rate(client, closed, "satisfied", "").status_code == 302
    before = snapshot(closed)
    twice = rate(client, closed, "dissatisfied")
    assert twice.status_code == 409 and "不能重复评价" in twice.content.decode()
    assert snapshot(closed) == before


def test_a_rating_comment_is_public_only_when_it_passes_or_is_approved(staff, make_case, client):
    case = make_case(State.CLOSED)
    client.force_login(staff.citizen)
    assert rate(client, case, "dissatisfied", "处理的人是个饭桶").status_code == 302
    client.logout()
    page = client.get(f"/p/cases/{case.number}/").content.decode()
    assert "不满意" in page and "饭桶" not in page


def _closed(case, staff):
    """An anonymous portal report driven to 结案 through the services (the district's department)."""
    from jingzhi.cases.acting import case_act
    from jingzhi.cases.workflow import CaseAction
    for action, actor, params in (
            (CaseAction.ACCEPT, staff.intake, {}), (CaseAction.FILE, staff.chief, {}),
            (CaseAction.DISPATCH, staff.dispatcher, {"department": staff.handler_a.unit}),
            (CaseAction.RECEIVE, staff.handler_a, {}),
            (CaseAction.HANDLE, staff.handler_a, {"photos": [("after", photo_upload())]}),
            (CaseAction.VERIFY_ASSIGN, staff.intake, {"inspector": staff.inspector}),
            (CaseAction.VERIFY_PASS, staff.inspector, {}), (CaseAction.CLOSE, staff.chief, {})):
        case = case_act(case=case, action=action, actor=actor, **params)
    assert case.state == State.CLOSED
    return case


@pytest.fixture
def anonymous_report(client, geography, category):
    """A visitor's report on the portal (no account, no contact) and the rating link on its receipt."""
    lon, lat = geography.inside_a
    form = client.get("/p/report/").content.decode()
    token = re.search(r'name="form_token" value="([0-9a-f]{32})"', form).group(1)
    response = client.post("/p/report/", {"category": category.number_prefix, "description": "路灯坏了", "lon": lon,
                                          "lat": lat, "coord_system": "wgs84", "form_token": token})
    case = Case.objects.get()
    receipt = client.get(response["Location"]).content.decode()
    link = re.search(r'<p class="receipt-link"><a href="http://testserver(/p/cases/[^"]+/rate/[0-9a-f]{32}/)"',
                     receipt).group(1)
    return case, link


def test_an_anonymous_reporter_rates_by_the_receipts_link_once_closed(anonymous_report, staff):
    case, link = anonymous_report
    phone = Client()  # the receipt's link opened later, in another browser: no session, no account
    early = phone.get(link)
    assert early.status_code == 409 and "案件还在办理中（已收到），办结后才能评价。" in early.content.decode()
    case = _closed(case, staff)
    form = phone.get(link)
    assert form.status_code == 200 and 'value="dissatisfied"' in form.content.decode()
    token = re.search(r'name="form_token" value="([0-9a-f]{32})"', form.content.decode()).group(1)
    response = phone.post(link, {"satisfaction": "dissatisfied", "comment": "还是黑的", "form_token": token})
    assert response.status_code == 302 and response["Location"] == f"/p/cases/{case.number}/"
    event = CaseEvent.objects.filter(case=case).last()  # the same 回访评价 as a signed-in citizen's
    assert (event.action, event.actor, event.actor_role, event.data) == (
        "evaluate", None, "citizen", {"satisfaction": "dissatisfied"})
    assert Case.objects.get(pk=case.pk).satisfaction == "dissatisfied"
    assert Notification.objects.filter(recipient=staff.chief, case=case, kind="evaluate").count() == 1  # 不满意
    again = phone.post(link, {"satisfaction": "satisfied", "form_token": "0" * 32})
    assert again.status_code == 409 and Case.objects.get(pk=case.pk).satisfaction == "dissatisfied"


def test_a_wrong_or_borrowed_key_rates_nothing(anonymous_report, staff, make_case):
    case, link = anonymous_report
    case = _closed(case, staff)
    before = snapshot(case)
    wrong = link[:-33] + "0" * 32 + "/"
    assert Client().get(wrong).status_code == 404
    assert Client().post(wrong, {"satisfaction": "satisfied"}).status_code == 404
    other = make_case(State.CLOSED)  # a signed-in citizen's case has no key; another case's key fits nothing
    assert Client().post(link.replace(case.number, other.number), {"satisfaction": "satisfied"}).status_code == 404
    assert snapshot(case) == before and Case.objects.get(pk=other.pk).satisfaction == ""


def test_only_an_anonymous_portal_report_gets_a_key(staff, make_case):
    from jingzhi.cases.reporter_keys import reporter_key
    assert reporter_key(make_case()) == ""  # the demo citizen reported signed in: they rate signed in
    assert reporter_key(make_case(reporter=staff.inspector)) == ""
