"""The notification page (通知) and its API: every signed-in user sees only their own notifications,
newest first in pages, with the unread count in the header; marking read, one or all, is a POST
that touches only the caller's."""
import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jingzhi.cases.inbox_views import PAGE_SIZE
from jingzhi.cases.models import Notification
from jingzhi.cases.workflow import State

pytestmark = pytest.mark.django_db


def inbox_of(user, count, *, case=None, read=0):
    """``count`` notifications for ``user``, one minute apart (the last the newest); the oldest
    ``read`` of them already read."""
    start = timezone.now() - dt.timedelta(days=1)
    return Notification.objects.bulk_create(
        Notification(recipient=user, case=case, kind="dispatch", message=f"第{i}条通知", created_at=start
                     + dt.timedelta(minutes=i), read_at=start if i < read else None)
        for i in range(count))


def header_count(html: str) -> str | None:
    found = re.search(r'class="inbox-link"[^>]*>[^<]*(?:<span class="count"[^>]*>([^<]+)</span>)?', html)
    assert found, "no inbox link in the header"
    return found.group(1)


def entries(html: str) -> list[str]:
    return re.findall(r'<p class="notice-message">([^<]+)</p>', html)


def test_the_page_lists_the_users_own_notifications_newest_first_in_pages(client, staff):
    inbox_of(staff.handler_a, PAGE_SIZE + 5, read=10)
    inbox_of(staff.handler_b, 3)
    client.force_login(staff.handler_a)
    first = client.get("/notifications/").content.decode()
    assert entries(first) == [f"第{i}条通知" for i in range(PAGE_SIZE + 4, 4, -1)]
    assert "第 1 / 2 页" in first and 'href="?page=2" rel="next"' in first
    second = client.get("/notifications/?page=2").content.decode()
    assert entries(second) == [f"第{i}条通知" for i in range(4, -1, -1)]
    # The unread count in the header and on the page: 35 sent, the oldest 10 read.
    assert header_count(first) == str(PAGE_SIZE + 5 - 10)
    assert f"{PAGE_SIZE + 5 - 10} 条未读" in first
    # Only unread ones: the newest 25 (of 35), in one page.
    unread = client.get("/notifications/?unread=1").content.decode()
    assert entries(unread) == [f"第{i}条通知" for i in range(PAGE_SIZE + 4, 9, -1)]
    assert "下一页" not in unread


def test_a_page_number_out_of_range_shows_the_last_page(client, staff):
    inbox_of(staff.citizen, 3)
    client.force_login(staff.citizen)
    for page in ("99", "x", "-1"):
        response = client.get(f"/notifications/?page={page}")
        assert response.status_code == 200 and len(entries(response.content.decode())) == 3


def test_every_role_has_the_page_and_the_header_count(client, staff, make_case):
    make_case(State.CLOSED)  # the citizen hears that their report is closed; handler_a that it is theirs
    for user in (staff.citizen, staff.handler_a, staff.leader):
        client.force_login(user)
        response = client.get("/notifications/")
        assert response.status_code == 200, user
        expected = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        assert header_count(response.content.decode()) == (str(expected) if expected else None), user
        assert header_count(client.get("/").content.decode()) == (str(expected) if expected else None)
    assert Notification.objects.filter(recipient=staff.citizen, kind="close").count() == 1


def test_the_header_count_is_one_count_query_and_caps_at_99(client, staff):
    inbox_of(staff.handler_a, 120)
    client.force_login(staff.handler_a)
    with CaptureQueriesContext(connection) as queries:
        home = client.get("/").content.decode()
    assert header_count(home) == "99+"
    inbox_queries = [query["sql"] for query in queries if "cases_notification" in query["sql"]]
    assert len(inbox_queries) == 1 and "COUNT" in inbox_queries[0].upper()


def test_an_entry_links_to_its_case_and_opening_it_marks_it_read(client, staff, make_case):
    case = make_case(State.CLOSED)
    note = Notification.objects.get(recipient=staff.citizen, kind="close")
    unread = Notification.objects.filter(recipient=staff.citizen, read_at__isnull=True).count()
    client.force_login(staff.citizen)
    page = client.get("/notifications/").content.decode()
    assert f"查看案件 {case.number}" in page
    response = client.post(f"/notifications/{note.pk}/read/", {"open": "1"})
    # A citizen goes to the public case page (disclosure), where they may also rate the closed report.
    assert response.status_code == 302 and response["Location"] == f"/p/cases/{case.number}/"
    assert client.get(response["Location"]).status_code == 200
    note.refresh_from_db()
    assert note.read_at is not None
    page = client.get("/notifications/").content.decode()
    assert f'<a href="/p/cases/{case.number}/">查看案件 {case.number}</a>' in page  # a plain link once read
    assert header_count(page) == (str(unread - 1) if unread > 1 else None)


def test_staff_entries_link_to_the_staff_case_page(client, staff, make_case):
    case = make_case(State.HANDLING)  # the department's handlers heard of the dispatch
    note = Notification.objects.filter(recipient=staff.handler_a, case=case).first()
    client.force_login(staff.handler_a)
    assert f"查看案件 {case.number}" in client.get("/notifications/").content.decode()
    response = client.post(f"/notifications/{note.pk}/read/", {"open": "1"})
    assert response["Location"] == f"/cases/{case.pk}/"
    assert client.get(response["Location"]).status_code == 200


def test_mark_one_read_is_a_post_and_keeps_the_first_time(client, staff, clock):
    clock.set("2024-06-07 15:00")
    note = inbox_of(staff.handler_a, 2)[0]
    client.force_login(staff.handler_a)
    assert client.get(f"/notifications/{note.pk}/read/").status_code == 405
    response = client.post(f"/notifications/{note.pk}/read/", {"next": "/notifications/?page=1"})
    assert response.status_code == 302 and response["Location"] == "/notifications/?page=1"
    clock.set("2024-06-07 16:00")
    client.post(f"/notifications/{note.pk}/read/")
    note.refresh_from_db()
    assert note.read_at == timezone.make_aware(dt.datetime(2024, 6, 7, 15))
    assert Notification.objects.filter(recipient=staff.handler_a, read_at__isnull=True).count() == 1


def test_a_foreign_next_is_not_followed(client, staff):
    note = inbox_of(staff.handler_a, 1)[0]
    client.force_login(staff.handler_a)
    response = client.post(f"/notifications/{note.pk}/read/", {"next": "https://evil.example/"})
    assert response["Location"] == "/notifications/"


def test_mark_all_read_marks_only_the_users_own(client, staff):
    inbox_of(staff.handler_a, 7, read=2)
    inbox_of(staff.handler_b, 4)
    client.force_login(staff.handler_a)
    response = client.post("/notifications/read-all/", follow=True)
    assert "已将 5 条通知标为已读" in response.content.decode()
    assert not Notification.objects.filter(recipient=staff.handler_a, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=staff.handler_b, read_at__isnull=True).count() == 4


def test_user_a_cannot_mark_user_bs_notification(client, staff, api_client_for):
    theirs = inbox_of(staff.handler_b, 1)[0]
    client.force_login(staff.handler_a)
    assert client.post(f"/notifications/{theirs.pk}/read/", {"open": "1"}).status_code == 404
    assert api_client_for(staff.handler_a).post(f"/api/cases/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_signed_out_and_csrf_refusals(client, staff):
    note = inbox_of(staff.handler_a, 1)[0]
    assert client.get("/notifications/")["Location"].startswith("/login/")
    assert client.post(f"/notifications/{note.pk}/read/").status_code == 302
    assert client.post("/notifications/read-all/").status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(staff.handler_a)
    assert strict.post(f"/notifications/{note.pk}/read/").status_code == 403
    assert strict.post("/notifications/read-all/").status_code == 403
    note.refresh_from_db()
    assert note.read_at is None


def test_api_lists_filters_and_marks(staff, api_client_for):
    inbox_of(staff.handler_a, 6, read=2)
    inbox_of(staff.handler_b, 3)
    api = api_client_for(staff.handler_a)
    listed = api.get("/api/cases/notifications/").json()
    assert listed["count"] == 6 and listed["results"][0]["message"] == "第5条通知"
    assert api.get("/api/cases/notifications/?unread=true").json()["count"] == 4
    assert api.get("/api/cases/notifications/?unread=false").json()["count"] == 2
    bad = api.get("/api/cases/notifications/?unread=yes")
    assert bad.status_code == 400 and "unread" in bad.json()
    answer = api.post("/api/cases/notifications/read-all/")
    assert answer.status_code == 200 and answer.json() == {"marked": 4}
    assert api.post("/api/cases/notifications/read-all/").json() == {"marked": 0}
    assert Notification.objects.filter(recipient=staff.handler_b, read_at__isnull=True).count() == 3


def test_the_api_schema_documents_read_and_read_all(client):
    schema = client.get("/api/schema/?format=json").json()
    read_all = schema["paths"]["/api/cases/notifications/read-all/"]["post"]
    assert "200" in read_all["responses"]
    assert any(p["name"] == "unread" for p in schema["paths"]["/api/cases/notifications/"]["get"]["parameters"])
