"""A staff form sent twice (double click, browser retry) acts once: each rendered form carries a
token, and a copy with the same token gets the first answer (issue 7 §1). The records are the
API's Idempotency-Key records (``core.idempotency``)."""
import re

import pytest

from jingzhi.cases.models import Case
from jingzhi.cases.workflow import CaseAction, State
from jingzhi.core.models import IdempotencyKey

pytestmark = pytest.mark.django_db


def token_of(html: str, form_start: str = "<form") -> str:
    """The form token of the first form whose opening tag starts with ``form_start``."""
    form = html[html.index(form_start):]
    return re.search(r'name="form_token" value="([0-9a-f]{32})"', form[:form.index("</form>")]).group(1)


@pytest.fixture
def report_data(geography, category):
    lon, lat = geography.inside_a
    return {"category": category.number_prefix, "source": "inspector", "urgency": "normal",
            "description": "井盖破损", "lon": lon, "lat": lat, "coord_system": "wgs84"}


def test_the_report_form_sent_twice_registers_one_case(client, staff, report_data):
    client.force_login(staff.inspector)
    token = token_of(client.get("/cases/new/").content.decode(), '<form method="post" enctype')
    first = client.post("/cases/new/", {**report_data, "form_token": token})
    second = client.post("/cases/new/", {**report_data, "form_token": token}, follow=True)
    case = Case.objects.get()
    assert first.status_code == 302 and first.url == f"/cases/{case.pk}/"
    assert second.redirect_chain == [(f"/cases/{case.pk}/", 302)]
    assert "这张表单已经提交过" in second.content.decode()


def test_each_rendering_has_its_own_token(client, staff, report_data):
    client.force_login(staff.inspector)
    tokens = {token_of(client.get("/cases/new/").content.decode(), '<form method="post" enctype') for _ in range(2)}
    for token in tokens:
        assert client.post("/cases/new/", {**report_data, "form_token": token}).status_code == 302
    assert Case.objects.count() == 2


def test_a_refused_form_may_be_corrected_and_sent_with_its_token(client, staff, report_data):
    client.force_login(staff.inspector)
    token = token_of(client.get("/cases/new/").content.decode(), '<form method="post" enctype')
    refused = client.post("/cases/new/", {**report_data, "description": "", "form_token": token})
    assert refused.status_code == 400 and not IdempotencyKey.objects.exists()
    assert client.post("/cases/new/", {**report_data, "form_token": token}).status_code == 302
    assert Case.objects.count() == 1


def test_an_action_form_sent_twice_acts_once(client, staff, make_case):
    case = make_case(State.DISPATCHED)
    client.force_login(staff.handler_a)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    token = token_of(html, f'<form method="post" enctype="multipart/form-data" action="/cases/{case.pk}/act/receive/"')
    responses = [client.post(f"/cases/{case.pk}/act/receive/", {"form_token": token}) for _ in range(2)]
    assert [(r.status_code, r.url) for r in responses] == [(302, f"/cases/{case.pk}/")] * 2
    assert case.events.filter(action=CaseAction.RECEIVE).count() == 1


def test_the_dispatch_console_form_carries_a_token(client, staff, make_case):
    case = make_case(State.FILED)
    client.force_login(staff.dispatcher)
    token = token_of(client.get("/cases/dispatch/").content.decode(), '<form method="post" action="/cases/')
    for _ in range(2):
        assert client.post(f"/cases/{case.pk}/act/dispatch/", {"form_token": token}).status_code == 302
    assert case.events.filter(action=CaseAction.DISPATCH).count() == 1


def test_a_token_is_per_user(client, staff, make_case):
    """Another user's copy of a token is not their answer: each user's keys are their own."""
    case = make_case(State.REPORTED)
    token = "0" * 32
    client.force_login(staff.intake)
    assert client.post(f"/cases/{case.pk}/act/accept/", {"form_token": token}).status_code == 302
    client.force_login(staff.chief)
    assert client.post(f"/cases/{case.pk}/act/file/", {"form_token": token}).status_code == 302
    case.refresh_from_db()
    assert case.state == State.FILED
