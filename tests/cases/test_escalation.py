"""The periodic escalation job: overdue cases go to the shift chief once per stage, with notices."""
import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from jingzhi.cases.acting import case_act
from jingzhi.cases.escalation import cases_escalate_overdue
from jingzhi.cases.models import CaseEvent, Notification
from jingzhi.cases.tasks import escalate_overdue
from jingzhi.cases.workflow import State

from .conftest import at

pytestmark = pytest.mark.django_db


def test_it_escalates_an_overdue_stage_once(staff, make_case, clock, api_client_for):
    filed_at = at("2024-06-11 09:00")
    case = make_case(State.FILED, now=filed_at)  # dispatch deadline 09:30
    assert cases_escalate_overdue(now=at("2024-06-11 09:30")) == 0  # not yet: overdue only after it
    clock.set("2024-06-11 09:31")
    call_command("escalate_overdue", stdout=open("/dev/null", "w"))
    call_command("escalate_overdue", stdout=open("/dev/null", "w"))
    case.refresh_from_db()
    assert case.escalated_at == at("2024-06-11 09:31") and case.state == State.FILED
    events = CaseEvent.objects.filter(case=case, action="escalate")
    assert events.count() == 1
    assert events[0].actor is None and events[0].actor_role == "system" and events[0].from_state == State.FILED
    notes = api_client_for(staff.chief).get("/api/cases/notifications/").json()["results"]
    assert len(notes) == 1 and notes[0]["action"] == "escalate" and case.number in notes[0]["message"]
    # Marking it read.
    response = api_client_for(staff.chief).post(f"/api/cases/notifications/{notes[0]['id']}/read/")
    assert response.status_code == 200 and response.json()["read_at"]
    assert api_client_for(staff.intake).post(f"/api/cases/notifications/{notes[0]['id']}/read/").status_code == 404


def test_a_new_stage_can_escalate_again(staff, make_case):
    case = make_case(State.FILED, now=at("2024-06-11 09:00"))
    assert cases_escalate_overdue(now=at("2024-06-11 10:00")) == 1
    case_act(case=case, action="dispatch", actor=staff.dispatcher, now=at("2024-06-11 10:05"))
    # Handle deadline: 2 working days from Tue 10:05 = Thu 13 June 10:05.
    assert cases_escalate_overdue(now=at("2024-06-13 10:05")) == 0
    assert cases_escalate_overdue(now=at("2024-06-13 10:06")) == 1
    assert CaseEvent.objects.filter(case=case, action="escalate").count() == 2


def test_the_celery_task_runs_the_same_service(make_case, clock):
    make_case(State.FILED, now=at("2024-06-11 09:00"))
    clock.set("2024-06-12 09:00")
    assert escalate_overdue.delay().get() == 1
    assert escalate_overdue.delay().get() == 0
    assert django_settings.CELERY_BEAT_SCHEDULE["cases-escalate-overdue"]["task"] == "cases.tasks.escalate_overdue"


def test_postponement_moves_the_deadline_and_rearms_escalation(staff, make_case, api_client_for, clock):
    case = make_case(State.HANDLING, now=at("2024-06-11 09:00"))  # handle deadline Thu 13th 09:00
    assert cases_escalate_overdue(now=at("2024-06-13 09:01")) == 1
    clock.set("2024-06-13 09:30")
    response = api_client_for(staff.handler_a).post(
        f"/api/cases/cases/{case.pk}/postpone_request/", {"extra_working_days": 2, "comment": "需协调产权单位"})
    assert response.json()["state"] == State.POSTPONE_REQUESTED
    clock.set("2024-06-13 10:00")
    data = api_client_for(staff.dispatcher).post(f"/api/cases/cases/{case.pk}/postpone_approve/").json()
    # The old deadline Thu 13th 09:00 + 2 working days (15 h): Thu 09:00–12:00 3 h + 13:30–17:30 4 h = 7 h;
    # Fri 14th 7.5 h → 14.5 h; Sat/Sun off; Mon 17th 08:30 + 0.5 h = 09:00.
    assert data["state"] == State.HANDLING and data["stage_deadline"] == at("2024-06-17 09:00").isoformat()
    assert data["escalated_at"] is None


@pytest.fixture
def chief_by_email(staff, settings):
    """Notices also go out by email, and the shift chief has an address."""
    settings.CASES_NOTIFICATION_CHANNELS = ["jingzhi.cases.notifications.EmailChannel"]
    staff.chief.email = "chief@example.org"
    staff.chief.save()


def test_notices_reach_other_channels_after_commit(staff, make_case, chief_by_email,
                                                   django_capture_on_commit_callbacks):
    make_case(State.FILED, now=at("2024-06-11 09:00"))
    with django_capture_on_commit_callbacks(execute=True):
        cases_escalate_overdue(now=at("2024-06-11 10:00"))
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["chief@example.org"]
    assert Notification.objects.filter(recipient=staff.chief).count() == 1


def test_handlers_are_told_of_new_work(staff, make_case):
    make_case(State.DISPATCHED, now=at("2024-06-11 09:00"))
    notes = Notification.objects.filter(recipient=staff.handler_a)
    assert [n.kind for n in notes] == ["dispatch"]
    assert not Notification.objects.filter(recipient=staff.handler_b).exists()
    assert dt.timedelta(0) == notes[0].created_at - at("2024-06-11 09:00")


def test_notices_go_out_by_sms_and_a_failing_gateway_spares_the_other_channels(
        staff, make_case, settings, django_capture_on_commit_callbacks, sms_gateway):
    settings.CASES_NOTIFICATION_CHANNELS = ["jingzhi.cases.notifications.SmsChannel",
                                            "jingzhi.cases.notifications.EmailChannel"]
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_TOKEN = sms_gateway.url, "t0ken"
    staff.chief.phone, staff.chief.email = "13800138000", "chief@example.org"
    staff.chief.save()
    case = make_case(State.FILED, now=at("2024-06-11 09:00"))
    with django_capture_on_commit_callbacks(execute=True):
        cases_escalate_overdue(now=at("2024-06-11 10:00"))
    [(authorization, body)] = sms_gateway.received
    assert authorization == "Bearer t0ken" and body["phone"] == "13800138000"
    assert body["text"].startswith("【精治】") and case.number in body["text"]
    assert len(mail.outbox) == 1
    # The gateway fails: logged, the email still goes, the transition stands.
    sms_gateway.status = 500
    make_case(State.FILED, now=at("2024-06-11 09:00"))
    with django_capture_on_commit_callbacks(execute=True):
        assert cases_escalate_overdue(now=at("2024-06-11 10:00")) == 1
    assert len(sms_gateway.received) == 2 and len(mail.outbox) == 2


def test_a_rolled_back_transition_sends_nothing(staff, make_case, chief_by_email, django_capture_on_commit_callbacks):
    make_case(State.FILED, now=at("2024-06-11 09:00"))
    before = Notification.objects.count()  # the citizen who reported heard of the 立案
    with (django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError),
          transaction.atomic()):
        cases_escalate_overdue(now=at("2024-06-11 10:00"))
        raise RuntimeError("the surrounding work failed")
    assert callbacks == [] and mail.outbox == [] and Notification.objects.count() == before


def test_a_broker_that_is_down_spares_the_transition_and_the_batch(staff, make_case, settings, monkeypatch,
                                                                   django_capture_on_commit_callbacks):
    from jingzhi.cases import notifications

    def broker_down(*args, **kwargs):
        raise ConnectionError("redis://127.0.0.1:6379: connection refused")

    settings.CASES_NOTIFICATION_CHANNELS = ["jingzhi.cases.notifications.EmailChannel"]
    monkeypatch.setattr(notifications.deliver_notifications, "delay", broker_down)
    first, second = (make_case(State.FILED, now=at("2024-06-11 09:00")) for _ in range(2))
    with django_capture_on_commit_callbacks(execute=True):
        assert cases_escalate_overdue(now=at("2024-06-11 10:00")) == 2
    assert CaseEvent.objects.filter(case__in=[first, second], action="escalate").count() == 2
    assert Notification.objects.filter(recipient=staff.chief).count() == 2  # the inbox still has them
