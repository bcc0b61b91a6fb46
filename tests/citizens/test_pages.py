"""/p/login/ through the test client: the two steps, the refusals in the page with their status."""
import pytest
from django.test import Client

from jingzhi.citizens.models import SmsCode
from jingzhi.org.models import User

pytestmark = pytest.mark.django_db

PHONE = "13800138000"


def send(client, phone=PHONE, **extra):
    return client.post("/p/login/", {"phone": phone, "action": "send", "next": "/p/mine/"}, **extra)


def verify(client, code, phone=PHONE):
    return client.post("/p/login/", {"phone": phone, "code": code, "action": "verify", "next": "/p/mine/"})


def test_phone_then_code_signs_in_and_lands_on_my_reports(sms):
    client = Client()
    assert client.get("/p/login/").status_code == 200
    page = send(client, "138-0013-8000")
    html = page.content.decode()
    assert page.status_code == 200 and "验证码已发送至 138****8000，5 分钟内有效。" in html
    assert 'name="code"' in html and 'value="13800138000"' in html
    wrong = verify(client, "000000" if sms.code(PHONE) != "000000" else "000001")
    assert wrong.status_code == 400 and "验证码错误，还可再试 4 次。" in wrong.content.decode()
    done = verify(client, sms.code(PHONE))
    assert done.status_code == 302 and done["Location"] == "/p/mine/"
    assert "我的上报" in client.get("/p/mine/").content.decode()
    assert client.get("/p/login/")["Location"] == "/p/mine/"  # signed in already
    assert User.objects.get(phone=PHONE).last_login is not None


def test_the_next_address_must_be_on_this_site(sms):
    client = Client()
    send(client)
    response = client.post("/p/login/", {"phone": PHONE, "code": sms.code(PHONE), "action": "verify",
                                         "next": "https://evil.example/"})
    assert response["Location"] == "/p/mine/"


def test_a_bad_number_is_a_field_error_on_the_page(sms):
    page = send(Client(), "12345")
    assert page.status_code == 400 and "请输入 11 位中国大陆手机号。" in page.content.decode()
    assert sms.received == []


def test_asking_again_too_soon_is_a_429_that_keeps_the_code_step(sms):
    client = Client()
    send(client)
    page = send(client)
    html = page.content.decode()
    assert page.status_code == 429 and int(page["Retry-After"]) in range(55, 61)
    assert "验证码已发送，请" in html and 'name="code"' in html  # the code sent a moment ago still works
    english = send(client, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 429 and "A code was sent. Ask again in" in english.content.decode()
    assert SmsCode.objects.count() == 1


def test_a_gateway_failure_is_a_503_page(sms):
    sms.status = 503
    page = send(Client())
    assert page.status_code == 503 and "短信发送失败，请稍后再试。" in page.content.decode()
