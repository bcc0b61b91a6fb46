"""我的上报 and deleting an account, through the API and the pages: a citizen sees only their own
reports (by SMS or password sign-in), phone numbers masked; deletion keeps the reports, anonymised,
and ends every session and token."""
import pytest
from django.test import Client

from jingzhi.cases.models import Case, CaseEvent, Notification
from jingzhi.cases.notifications import notifications_send
from jingzhi.cases.workflow import CaseAction, State
from jingzhi.citizens.services import citizen_for_phone
from jingzhi.org.models import Role, User

pytestmark = pytest.mark.django_db

PHONE = "13800138000"


def token_client(anon, token):
    client = anon()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_my_reports_are_mine_only(staff, make_case, anon, api_client_for):
    mine = [make_case(description="我的一"), make_case(State.CLOSED, description="我的二")]
    theirs = make_case(reporter=staff.other_citizen, description="别人的")
    make_case(reporter=staff.inspector, description="监督员的")
    response = api_client_for(staff.citizen).get("/api/citizens/reports/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["number"] for row in rows] == [mine[1].number, mine[0].number]  # newest first
    assert rows[0]["state"] == "closed" and rows[0]["stage"] == "已办结"
    assert rows[0]["url"] == f"/p/cases/{mine[1].number}/"
    assert theirs.number not in response.content.decode()
    # No contact fields at all, even the citizen's own.
    assert not {"reporter_name", "reporter_phone", "reporter"} & set(rows[0])
    other = api_client_for(staff.other_citizen).get("/api/citizens/reports/").json()["results"]
    assert [row["number"] for row in other] == [theirs.number]


def test_my_reports_are_for_citizens(staff, anon, api_client_for):
    assert anon().get("/api/citizens/reports/").status_code == 401
    assert api_client_for(staff.inspector).get("/api/citizens/reports/").status_code == 403
    assert api_client_for(staff.intake).delete("/api/citizens/account/").status_code == 403


def test_a_citizen_signed_in_by_password_gets_the_same_page(staff, make_case):
    make_case(description="井盖丢失<script>alert(1)</script>")
    make_case(reporter=staff.other_citizen, description="别人的上报")
    client = Client()
    assert client.post("/login/", {"username": "citizen", "password": "pw-test-123"}).status_code == 302
    page = client.get("/p/mine/")
    html = page.content.decode()
    assert page.status_code == 200 and "我的上报" in html
    assert "井盖丢失&lt;script&gt;" in html and "<script>alert" not in html  # citizen text escaped
    assert "别人的上报" not in html
    assert "138****5678" in html and "13812345678" not in html  # the phone masked
    assert 'href="/p/mine/"' in client.get("/").content.decode()  # 我的上报 in the menu


def test_the_pages_send_strangers_to_sign_in_and_refuse_staff(staff):
    response = Client().get("/p/mine/")
    assert response.status_code == 302 and response["Location"] == "/p/login/?next=/p/mine/"
    assert Client().get("/p/account/delete/")["Location"] == "/p/login/?next=/p/account/delete/"
    client = Client()
    client.force_login(staff.inspector)
    assert client.get("/p/mine/").status_code == 403
    assert client.get("/p/account/delete/").status_code == 403


def test_deleting_keeps_the_reports_anonymised_and_ends_every_session(staff, make_case, anon, sign_in, sms):
    token = sign_in(staff.citizen.phone)  # the citizen's phone signs into their existing account
    first, second = make_case(description="一"), make_case(State.CLOSED, description="二")
    Case.objects.filter(pk=first.pk).update(reporter_email="a@example.com", device_id="phone-1")
    other = make_case(reporter=staff.other_citizen)
    notifications_send(recipients=[staff.citizen], case=first, kind=CaseAction.CLOSE, message="已办结", now=first.created_at)
    browser = Client()
    browser.force_login(staff.citizen)
    assert browser.get("/p/mine/").status_code == 200
    events_before = CaseEvent.objects.count()

    response = token_client(anon, token).delete("/api/citizens/account/")
    assert response.status_code == 204
    for case in (first, second):
        case.refresh_from_db()
        assert (case.reporter_id, case.reporter_name, case.reporter_phone) == (None, "", "")
        assert (case.reporter_email, case.device_id) == ("", "")
        assert case.state in (State.REPORTED, State.CLOSED)  # the reports stay
    other.refresh_from_db()
    assert other.reporter == staff.other_citizen and other.reporter_phone == "13700002222"
    assert CaseEvent.objects.count() == events_before  # the case log is untouched
    tomb = User.objects.get(pk=staff.citizen.pk)
    assert tomb.username == f"deleted-{tomb.pk}" and not tomb.is_active
    assert (tomb.phone, tomb.display_name, tomb.role_grants.count()) == ("", "", 0)
    assert not Notification.objects.filter(recipient=tomb).exists()
    # Signed out everywhere: the token and the other browser's session.
    assert token_client(anon, token).get("/api/citizens/reports/").status_code == 401
    assert browser.get("/p/mine/").status_code == 302
    assert Client().post("/login/", {"username": "citizen", "password": "pw-test-123"}).status_code == 200


def test_the_same_phone_signs_up_afresh_after_deleting(staff, make_case):
    user = citizen_for_phone(phone=PHONE)
    assert citizen_for_phone(phone=PHONE) == user
    Case.objects.filter(pk=make_case().pk).update(reporter=user)
    client = Client()
    client.force_login(user)
    assert client.post("/p/account/delete/", {"confirm": "yes"}).status_code == 302
    again = citizen_for_phone(phone=PHONE)
    assert again.pk != user.pk and again.is_active
    assert Case.objects.filter(reporter=again).count() == 0 and Case.objects.filter(reporter=None).count() == 1


def test_the_delete_page_asks_for_confirmation(staff, make_case):
    make_case()
    make_case()
    client = Client()
    client.force_login(staff.citizen)
    page = client.get("/p/account/delete/").content.decode()
    assert "您上报的 2 件问题会继续处理" in page
    refused = client.post("/p/account/delete/", {})
    assert refused.status_code == 400 and "请勾选确认注销。" in refused.content.decode()
    assert User.objects.get(pk=staff.citizen.pk).is_active
    done = client.post("/p/account/delete/", {"confirm": "yes"}, follow=True)
    assert done.redirect_chain[-1][0] == "/p/login/"
    assert "账号已注销" in done.content.decode()
    assert client.get("/p/mine/").status_code == 302
    assert Case.objects.filter(reporter__isnull=True).count() == 2


def test_a_staff_member_holding_the_citizen_role_cannot_delete_by_themselves(make_user):
    desk = make_user(Role.INTAKE_OPERATOR, Role.CITIZEN)
    client = Client()
    client.force_login(desk)
    assert "注销账号" not in client.get("/p/mine/").content.decode()
    response = client.post("/p/account/delete/", {"confirm": "yes"})
    assert response.status_code == 403 and "工作人员账号不能自行注销" in response.content.decode()
    assert User.objects.get(pk=desk.pk).is_active


def test_each_report_links_to_its_public_page_and_a_closed_one_asks_for_a_rating(staff, make_case):
    open_case, closed = make_case(), make_case(State.CLOSED)
    client = Client()
    client.force_login(staff.citizen)
    html = client.get("/p/mine/").content.decode()
    assert f'href="/p/cases/{open_case.number}/"' in html and f'href="/p/cases/{closed.number}/"' in html
    assert html.count('class="button rate"') == 1 and f'href="/p/cases/{closed.number}/rate/"' in html
    assert "已办结" in html and "已收到" in html  # the public stages, not the internal states


def test_followed_cases_are_listed_without_their_text_and_go_with_the_account(staff, make_case, api_client_for):
    from jingzhi.cases.following import case_follow
    from jingzhi.cases.models import CaseFollower

    theirs = make_case(reporter=staff.other_citizen, description="别人写的描述，尚未审核")
    case_follow(case=theirs, user=staff.citizen)
    client = Client()
    client.force_login(staff.citizen)
    html = client.get("/p/mine/").content.decode()
    assert "我关注的" in html and f'href="/p/cases/{theirs.number}/"' in html
    assert "别人写的描述" not in html
    rows = api_client_for(staff.citizen).get("/api/citizens/following/").json()["results"]
    assert [row["number"] for row in rows] == [theirs.number] and "description" not in rows[0]
    assert api_client_for(staff.other_citizen).get("/api/citizens/following/").json()["results"] == []
    assert api_client_for(staff.citizen).delete("/api/citizens/account/").status_code == 204
    assert not CaseFollower.objects.exists()
    theirs.refresh_from_db()
    assert theirs.reporter == staff.other_citizen  # someone else's report keeps its reporter
