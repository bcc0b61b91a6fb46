"""Signing in by phone number and SMS code, through the API: codes hashed, once, expiring, few
tries; the limits per phone and per address with their 429s; the account made on first use."""
import datetime as dt

import pytest
from django.contrib.auth.hashers import is_password_usable

from jingzhi.citizens.models import SmsCode
from jingzhi.org.models import Role, User
from jingzhi.org.selectors import user_roles

pytestmark = pytest.mark.django_db

PHONE = "13800138000"


def code_request(client, phone=PHONE, **headers):
    return client.post("/api/citizens/code/", {"phone": phone}, format="json", **headers)


def exchange(client, code, phone=PHONE, **headers):
    return client.post("/api/citizens/token/", {"phone": phone, "code": code}, format="json", **headers)


def test_the_first_sign_in_creates_a_citizen_and_the_code_travels_only_by_sms(anon, sms):
    client = anon()
    response = code_request(client)
    assert response.status_code == 202
    assert response.json() == {"phone": "138****8000", "expires_in": 300, "resend_after": 60}
    [(authorization, body)] = sms.received
    assert authorization == "Bearer t0ken" and body["phone"] == PHONE
    assert body["text"].startswith("【精治】您的登录验证码是 ") and "5 分钟内有效" in body["text"]
    code = sms.code(PHONE)
    stored = SmsCode.objects.get()
    assert code not in stored.code_hash and len(stored.code_hash) == 64 and stored.ip == "203.0.113.7"

    response = exchange(client, code)
    assert response.status_code == 200
    user = User.objects.get(phone=PHONE)
    assert user_roles(user=user) == {Role.CITIZEN} and not is_password_usable(user.password)
    assert user.display_name == "138****8000" and PHONE not in user.username
    me = anon()
    me.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert me.get("/api/org/me/").json()["roles"] == ["citizen"]
    assert me.get("/api/citizens/reports/").json()["results"] == []


def test_the_second_sign_in_finds_the_same_account(sign_in, clock):
    sign_in(PHONE)
    clock.set("2030-01-01 10:00")
    sign_in(PHONE, typed="+86 138-0013-8000")  # the same number as people type it
    assert User.objects.filter(phone=PHONE).count() == 1


@pytest.mark.parametrize("typed", ["138 0013 8000", "+8613800138000", "0086 13800138000", "１３８００１３８０００"])
def test_a_number_reads_the_same_however_it_is_typed(anon, sms, typed):
    assert code_request(anon(), typed).status_code == 202
    assert sms.received[0][1]["phone"] == PHONE


@pytest.mark.parametrize("typed", ["", "12345", "23800138000", "138001380001", "1380013800a", "1" * 500])
def test_a_wrong_number_is_a_field_error_and_nothing_is_sent(anon, sms, typed):
    response = code_request(anon(), typed)
    assert response.status_code == 400 and "phone" in response.json()
    assert sms.received == [] and not SmsCode.objects.exists()


def test_a_wrong_code_says_how_many_tries_are_left_and_the_fifth_ends_the_code(anon, sms):
    client = anon()
    code_request(client)
    code = sms.code(PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for left in (4, 3, 2, 1):
        response = exchange(client, wrong)
        assert response.status_code == 400 and response.json() == {"code": [f"验证码错误，还可再试 {left} 次。"]}
    assert exchange(client, wrong).json() == {"code": ["验证码错误次数过多，请重新获取。"]}
    # The right code comes too late: five tries were all this code had.
    assert exchange(client, code).json() == {"code": ["验证码错误次数过多，请重新获取。"]}
    assert not User.objects.filter(phone=PHONE).exists()


@pytest.mark.parametrize(("code", "message"), [("", "该字段不能为空。"), ("12345", "请输入短信中的 6 位数字验证码。"),
                                             ("1234567", "请输入短信中的 6 位数字验证码。"), ("abcdef", "请输入短信中的 6 位数字验证码。")])
def test_a_malformed_code_is_refused_without_using_a_try(anon, sms, code, message):
    client = anon()
    code_request(client)
    assert exchange(client, code).json() == {"code": [message]}
    assert SmsCode.objects.get().attempts == 0


def test_a_code_works_once(anon, sms):
    client = anon()
    code_request(client)
    assert exchange(client, sms.code(PHONE)).status_code == 200
    response = exchange(anon("198.51.100.1"), sms.code(PHONE))
    assert response.status_code == 400 and response.json() == {"code": ["验证码已失效，请重新获取。"]}


def test_a_code_expires_after_five_minutes(anon, sms, clock):
    clock.set("2030-01-01 10:00")
    code_request(anon(), "13900000001")
    code_request(anon(), "13900000002")
    clock.set("2030-01-01 10:04:59")
    assert exchange(anon(), sms.code("13900000001"), phone="13900000001").status_code == 200
    clock.set("2030-01-01 10:05:00")
    response = exchange(anon(), sms.code("13900000002"), phone="13900000002")
    assert response.json() == {"code": ["验证码已失效，请重新获取。"]}


def test_a_new_code_replaces_the_last(anon, sms, clock):
    clock.set("2030-01-01 10:00")
    code_request(anon())
    first = sms.code(PHONE)
    clock.set("2030-01-01 10:01")
    code_request(anon())
    second = sms.code(PHONE)
    if first != second:  # one chance in a million that they are equal
        assert exchange(anon(), first).status_code == 400
    assert exchange(anon(), second).status_code == 200


def test_a_code_again_within_a_minute_is_a_429_in_the_request_language(anon, sms, clock):
    clock.set("2030-01-01 10:00:00")
    assert code_request(anon()).status_code == 202
    clock.set("2030-01-01 10:00:20")
    response = code_request(anon())
    assert response.status_code == 429 and response["Retry-After"] == "40"
    assert response.json() == {"detail": "验证码已发送，请 40 秒后再重新获取。", "code": "sms_code_resend_too_soon"}
    english = code_request(anon(), HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 429 and english.json()["detail"] == "A code was sent. Ask again in 40 seconds."
    clock.set("2030-01-01 10:01:00")
    assert code_request(anon()).status_code == 202
    assert len(sms.received) == 2


def test_five_codes_a_phone_in_an_hour_from_any_address(anon, sms, clock):
    start = clock.set("2030-01-01 10:00")
    for minute in range(5):  # one a minute, from five addresses
        clock.now = start + dt.timedelta(minutes=minute)
        assert code_request(anon(f"198.51.100.{minute}")).status_code == 202
    clock.now = start + dt.timedelta(minutes=30)
    response = code_request(anon("198.51.100.99"))
    # The first code leaves the hour at 11:00, half an hour on.
    assert response.status_code == 429 and response["Retry-After"] == str(30 * 60)
    assert response.json()["detail"] == "该手机号获取验证码过于频繁，请 30 分钟后再试。"
    assert code_request(anon(), "13900000003").status_code == 202  # another phone is not held up
    clock.now = start + dt.timedelta(hours=1, seconds=1)
    assert code_request(anon()).status_code == 202
    assert len([body for _auth, body in sms.received if body["phone"] == PHONE]) == 6


def test_twenty_codes_an_address_in_an_hour(anon, sms, clock):
    start = clock.set("2030-01-01 10:00")
    for number in range(20):
        assert code_request(anon(), f"139000100{number:02d}").status_code == 202
    clock.now = start + dt.timedelta(minutes=10)
    response = code_request(anon(), "13900010099")
    assert response.status_code == 429 and response["Retry-After"] == str(50 * 60)
    assert response.json()["detail"] == "当前网络获取验证码过于频繁，请 50 分钟后再试。"
    assert code_request(anon("198.51.100.50"), "13900010099").status_code == 202  # another address may
    assert len(sms.received) == 21


def test_a_gateway_failure_is_a_503_and_counts_against_no_limit(anon, sms):
    sms.status = 500
    response = code_request(anon())
    assert response.status_code == 503 and response.json()["detail"] == "短信发送失败，请稍后再试。"
    assert not SmsCode.objects.exists()
    sms.status = 200
    assert code_request(anon()).status_code == 202  # no cool-down after a text that never left


def test_a_staff_phone_never_signs_into_the_staff_account(anon, sms, make_user):
    staff = make_user(Role.INSPECTOR, Role.CITIZEN, phone=PHONE, username="inspector-phone")
    client = anon()
    code_request(client)
    response = exchange(client, sms.code(PHONE))
    assert response.status_code == 403 and response.json()["code"] == "citizen_only"
    assert "token" not in response.json()
    staff.refresh_from_db()
    assert staff.last_login is None


def test_a_staff_phone_without_the_citizen_role_gets_its_own_citizen_account(sign_in, make_user):
    staff = make_user(Role.INSPECTOR, phone=PHONE, username="inspector-phone")
    sign_in(PHONE)
    citizen = User.objects.get(phone=PHONE, role_grants__role=Role.CITIZEN)
    assert citizen != staff and user_roles(user=citizen) == {Role.CITIZEN}


def test_a_stopped_citizen_account_cannot_sign_in(anon, sms, make_user):
    user = make_user(Role.CITIZEN, phone=PHONE)
    User.objects.filter(pk=user.pk).update(is_active=False)
    client = anon()
    code_request(client)
    response = exchange(client, sms.code(PHONE))
    assert response.status_code == 403 and response.json()["code"] == "account_disabled"


def test_the_schema_documents_the_answers(anon):
    schema = anon().get("/api/schema/", {"format": "json"}).json()
    code = schema["paths"]["/api/citizens/code/"]["post"]["responses"]
    assert {"202", "400", "429", "503"} <= set(code)
    assert {"200", "400", "403", "429"} <= set(schema["paths"]["/api/citizens/token/"]["post"]["responses"])
    assert {"200", "401", "403"} <= set(schema["paths"]["/api/citizens/reports/"]["get"]["responses"])
    assert {"204", "401", "403"} <= set(schema["paths"]["/api/citizens/account/"]["delete"]["responses"])
    assert {"200", "401", "403"} <= set(schema["paths"]["/api/citizens/following/"]["get"]["responses"])
