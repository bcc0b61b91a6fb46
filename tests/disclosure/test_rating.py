"""评价 on the public page: the reporting citizen rates a closed case through the same service as the
API; 不满意 reaches the 值班长, who reopens it. Refusals change nothing."""
import pytest
from django.test import Client

from jingzhi.cases.models import Case, CaseEvent, Notification
from jingzhi.cases.workflow import State

from .conftest import assert_nothing_personal

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
