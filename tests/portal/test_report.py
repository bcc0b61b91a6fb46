"""A citizen reports on the portal, signed in or not: one case per form however often it is sent
(double tap, network retry, an offline draft sent again), photos bounded and cleaned, a receipt
only for the browser that reported; staff and citizens each land on their own form."""
import io
import re

import pytest
from django.test import Client
from PIL import Image

from jingzhi.cases.models import Case, CasePhoto, PhotoKind, Source
from jingzhi.core.models import IdempotencyKey
from jingzhi.portal.views import ReportThrottle

pytestmark = pytest.mark.django_db


def token_of(html: str) -> str:
    form = html[html.index("<form method=\"post\" enctype"):]
    return re.search(r'name="form_token" value="([0-9a-f]{32})"', form[:form.index("</form>")]).group(1)


@pytest.fixture
def report(geography, category):
    lon, lat = geography.inside_a
    return {"category": category.number_prefix, "description": "人行道上井盖缺失", "lon": lon, "lat": lat,
            "coord_system": "wgs84"}


def test_the_form_offers_every_category_grouped_and_chooses_none(client, category, make_category):
    make_category("0501", "无照经营游商")
    html = client.get("/p/report/").content.decode()
    assert html.count("data-category-group") == 2  # two 大类: 01 and 05
    assert f'value="{category.number_prefix}"' in html and 'value="E0501"' in html
    assert " checked" not in html[html.index('id="report-category"'):html.index('id="report-place"')]
    assert "使用我的位置" in html and "照片（最多 3 张）" in html
    form = html[html.index('<form method="post" enctype'):]
    form = form[:form.index("</form>")]
    # the place before the text, the button last; no staff fields; the contact is optional
    assert form.index('id="case-map"') < form.index('name="description"') < form.index('<button class="primary">')
    assert 'name="source"' not in form and 'name="urgency"' not in form and 'name="self_handled"' not in form
    assert 'name="reporter_phone"' in form and 'name="reporter_phone" required' not in form


def test_a_visitor_reports_without_an_account_and_sees_the_receipt(client, report):
    token = token_of(client.get("/p/report/").content.decode())
    response = client.post("/p/report/", {**report, "form_token": token, "reporter_name": "王先生",
                                          "reporter_phone": "13812340000"})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/p/report/receipt/{case.number}/"
    assert case.source == Source.CITIZEN and case.reporter is None and case.reporter_phone == "13812340000"
    assert case.events.get().actor is None and case.events.get().actor_role == "citizen"
    receipt = client.get(response["Location"]).content.decode()
    assert case.number in receipt and "人行道上井盖缺失" in receipt
    # another browser does not see it (numbers are guessable; the receipt is the reporter's)
    assert Client().get(response["Location"]).status_code == 404


def test_a_double_tap_and_a_network_retry_register_one_case(client, report):
    token = token_of(client.get("/p/report/").content.decode())
    first = client.post("/p/report/", {**report, "form_token": token})
    second = client.post("/p/report/", {**report, "form_token": token})
    assert Case.objects.count() == 1 and first["Location"] == second["Location"]
    assert IdempotencyKey.objects.get().user is None


def test_an_offline_draft_sent_again_with_its_key_registers_one_case(report):
    """The phone kept the draft (its fields and form token); the first try reached the server but its
    answer was lost, so the draft is sent again when the network returns: one case, the same receipt."""
    phone = Client()
    token = token_of(phone.get("/p/report/").content.decode())
    draft = {**report, "form_token": token}
    lost = phone.post("/p/report/", draft)
    resent = phone.post("/p/report/", draft, follow=True)
    assert Case.objects.count() == 1
    assert resent.redirect_chain[-1][0] == lost["Location"] and Case.objects.get().number in resent.content.decode()
    # a new form (a new token) is a new report
    phone.post("/p/report/", {**report, "form_token": token_of(phone.get("/p/report/").content.decode())})
    assert Case.objects.count() == 2


def test_two_visitors_tokens_never_collide(report):
    one, two = Client(), Client()
    for visitor in (one, two):
        visitor.post("/p/report/", {**report, "form_token": token_of(visitor.get("/p/report/").content.decode())})
    assert Case.objects.count() == 2


def test_a_refused_report_names_its_field_and_may_be_corrected_with_the_same_token(client, report, geography):
    token = token_of(client.get("/p/report/").content.decode())
    outside = client.post("/p/report/", {**report, "lon": geography.outside[0], "lat": geography.outside[1],
                                         "form_token": token})
    assert outside.status_code == 400 and "经度：该位置不在本市服务范围内。" in outside.content.decode()
    no_category = client.post("/p/report/", {**report, "category": "", "form_token": token})
    assert no_category.status_code == 400 and "小类：" in no_category.content.decode()
    bad_phone = client.post("/p/report/", {**report, "reporter_phone": "<script>", "form_token": token})
    assert "请填写有效的电话号码" in bad_phone.content.decode() and "<script>" not in bad_phone.content.decode()
    assert client.post("/p/report/", {**report, "form_token": token}).status_code == 302
    assert Case.objects.count() == 1


def test_photos_are_bounded_cleaned_and_thumbnailed(client, report, photo, settings):
    settings.PORTAL_MAX_PHOTOS = 2
    too_many = client.post("/p/report/", {**report, "photos": [photo(f"p{i}.jpg") for i in range(3)]})
    assert too_many.status_code == 400 and "最多上传 2 张照片。" in too_many.content.decode()
    assert not Case.objects.exists()
    not_an_image = io.BytesIO(b"GIF89a not really")
    not_an_image.name = "x.gif"
    refused = client.post("/p/report/", {**report, "photos": [not_an_image]})
    assert refused.status_code == 400 and "x.gif：文件不是 JPG、PNG 或 WEBP 图片。" in refused.content.decode()

    response = client.post("/p/report/", {**report, "photos": [photo("a.jpg"), photo("b.jpg")]})
    assert response.status_code == 302
    photos = CasePhoto.objects.filter(kind=PhotoKind.REPORT)
    assert photos.count() == 2
    for stored in photos:
        with stored.image.open("rb") as handle, Image.open(handle) as image:
            assert not image.getexif()  # GPS and camera gone
        with stored.thumbnail.open("rb") as handle, Image.open(handle) as thumbnail:
            assert thumbnail.format == "JPEG" and max(thumbnail.size) <= 320 and not thumbnail.getexif()
    receipt = client.get(response["Location"]).content.decode()
    first = photos.first()
    served = client.get(f"{response['Location']}photos/{first.pk}/")
    assert f"photos/{first.pk}/" in receipt and served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert Client().get(f"{response['Location']}photos/{first.pk}/").status_code == 404


def test_a_signed_in_citizen_reports_as_themselves(client, staff, report):
    client.force_login(staff.citizen)
    html = client.get("/p/report/").content.decode()
    assert 'name="reporter_phone"' not in html  # their account has it
    response = client.post("/p/report/", {**report, "form_token": token_of(html)})
    case = Case.objects.get()
    assert case.reporter == staff.citizen and case.reporter_phone == "13812345678"
    assert Client().get(response["Location"]).status_code == 404
    other = Client()
    other.force_login(staff.citizen)  # their own report, from another phone
    assert other.get(response["Location"]).status_code == 200


def test_staff_and_citizens_each_land_on_their_form(client, staff):
    client.force_login(staff.citizen)
    assert client.get("/cases/new/")["Location"] == "/p/report/"
    client.force_login(staff.inspector)
    assert client.get("/p/report/")["Location"] == "/cases/new/"
    client.force_login(staff.leader)  # neither: a plain 403 as before
    assert client.get("/cases/new/").status_code == 403


def test_the_home_page_has_the_three_big_buttons(client):
    html = client.get("/p/").content.decode()
    for label, url in (("我要上报", "/p/report/"), ("查进度", "/p/track/"), ("我的上报", "/p/mine/")):
        assert re.search(rf'href="{url}"[^>]*>.*?{label}', html, re.S)


def test_reports_from_one_address_are_rate_limited_but_a_resent_form_is_not_counted(client, report, monkeypatch):
    monkeypatch.setattr(ReportThrottle, "THROTTLE_RATES", {"portal_reports": "2/hour"})
    first = token_of(client.get("/p/report/").content.decode())
    assert client.post("/p/report/", {**report, "form_token": first}).status_code == 302
    assert client.post("/p/report/", {**report, "form_token": first}).status_code == 302  # the same form again
    second = token_of(client.get("/p/report/").content.decode())
    assert client.post("/p/report/", {**report, "form_token": second}).status_code == 302
    third = token_of(client.get("/p/report/").content.decode())
    refused = client.post("/p/report/", {**report, "form_token": third})
    assert refused.status_code == 429 and "上报过于频繁，请" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0 and Case.objects.count() == 2
