"""The inspection pages and API through HTTP: the phone fill page with a photo, the case page's link
back, the office's planning page, the API with its refusals (role, another unit's round)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jingzhi.cases.models import Case
from jingzhi.inspections.models import Inspection, InspectionPhoto, InspectionRound
from jingzhi.inspections.services import inspection_submit
from tests.upload_samples import jpeg

from .conftest import TOILET_FAILING_FLOOR

pytestmark = pytest.mark.django_db

TOILET_FORM = {"item_open_as_posted": "true", "item_hours_posted": "true", "item_floor_clean": "false",
               "item_cleaning_log": "true", "item_odour_grade": "1", "item_flies": "2",
               "item_facilities_intact": "true", "item_third_restroom": ""}


def test_the_inspector_fills_a_toilet_check_with_a_photo_and_sees_the_case(client, people, toilet, toilet_round,
                                                                            categories):
    client.force_login(people["inspector"])
    url = f"/inspections/fill/toilet_check/?round={toilet_round.pk}&asset={toilet.pk}"
    assert client.get(url).status_code == 200
    photo = jpeg("floor.jpg")
    response = client.post(url, {**TOILET_FORM, "photo_floor_clean": photo, "lon": "113.61", "lat": "34.755"})
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/inspections/{inspection.pk}/"
    case = Case.objects.get()
    assert InspectionPhoto.objects.get().result.item_code == "floor_clean"
    assert case.photos.count() == 1  # the item's photo is the case's report photo too
    page = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert case.number in page and "77.8" in page
    assert f"/inspections/{inspection.pk}/" in client.get("/inspections/").content.decode()  # 最近检查
    case_page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/inspections/{inspection.pk}/" in case_page
    photo_id = InspectionPhoto.objects.get().pk
    assert client.get(f"/inspections/photos/{photo_id}/").status_code == 200


def test_a_bad_value_is_a_field_message_and_nothing_is_written(client, people, toilet, toilet_round, categories):
    client.force_login(people["inspector"])
    url = f"/inspections/fill/toilet_check/?round={toilet_round.pk}&asset={toilet.pk}"
    response = client.post(url, {**TOILET_FORM, "item_flies": "很多"})
    assert response.status_code == 400 and "请填写数字" in response.content.decode()
    not_a_photo = SimpleUploadedFile("floor.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = client.post(url, {**TOILET_FORM, "photo_floor_clean": not_a_photo})
    assert response.status_code == 400
    assert Inspection.objects.count() == 0 and Case.objects.count() == 0


def test_another_inspectors_round_is_out_of_sight(client, people, toilet, toilet_round, categories):
    client.force_login(people["other_inspector"])
    url = f"/inspections/fill/toilet_check/?round={toilet_round.pk}&asset={toilet.pk}"
    assert client.get(url).status_code == 404
    assert client.post(url, TOILET_FORM).status_code == 404
    assert client.get(f"/inspections/rounds/{toilet_round.pk}/").status_code == 404
    assert Inspection.objects.count() == 0


def test_the_pages_refuse_the_wrong_role(client, people, toilet_round):
    client.force_login(people["handler_b"])
    assert client.get("/inspections/").status_code == 403
    assert client.get("/inspections/fill/toilet_check/").status_code == 403
    assert client.get("/inspections/rounds/new/").status_code == 403
    client.force_login(people["inspector"])
    assert client.get("/inspections/rounds/new/").status_code == 403
    assert client.post(f"/inspections/rounds/{toilet_round.pk}/cancel/").status_code == 302
    toilet_round.refresh_from_db()
    assert toilet_round.state == "planned"


def test_the_office_plans_a_round_on_the_page(client, people, toilet, road):
    client.force_login(people["office"])
    page = client.get("/inspections/rounds/new/?template=toilet_check").content.decode()
    assert "金水路公厕" in page and "经三路" not in page
    response = client.post("/inspections/rounds/new/?template=toilet_check", {
        "template": "toilet_check", "name": "公厕日督查", "date": "2024-06-03",
        "inspector": people["inspector"].pk, "assets": [toilet.pk]})
    planned = InspectionRound.objects.get()
    assert response.status_code == 302 and planned.inspector == people["inspector"]
    assert list(planned.stops.values_list("asset", flat=True)) == [toilet.pk]
    assert client.post("/inspections/rounds/new/?template=toilet_check", {
        "template": "toilet_check", "name": "", "date": "2024-13-01", "inspector": ""}).status_code == 400


def test_the_api_submits_scores_and_refuses(api_client_for, people, road, toilet, toilet_round, categories):
    body = {"template_code": "dust_sampling", "asset": road.pk, "values": {
        "fast_lane": [{"net_g": 4.2}, {"net_g": 5.6}, {"net_g": 4.9}],
        "slow_lane": [{"net_g": 6.0}, {"net_g": 4.5, "frame_m2": 0.5}]}}
    response = api_client_for(people["inspector"]).post("/api/inspections/inspections/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["score"] == "50.0" and data["passed"] is False  # fast 4.9 passes, slow 7.5 fails; no sidewalk
    slow = next(r for r in data["results"] if r["item_code"] == "slow_lane")
    assert slow["passed"] is False and slow["case"] and slow["case_urgency"] == "normal"
    assert api_client_for(people["handler_b"]).post("/api/inspections/inspections/", body,
                                                    format="json").status_code == 403
    other = api_client_for(people["other_inspector"]).post("/api/inspections/inspections/", {
        "template_code": "toilet_check", "round": toilet_round.pk, "asset": toilet.pk,
        "values": {"floor_clean": True}}, format="json")
    assert other.status_code == 400 and "round" in other.json()
    assert api_client_for(people["other_inspector"]).get(
        f"/api/inspections/rounds/{toilet_round.pk}/").status_code == 404
    assert api_client_for(people["inspector"]).post("/api/inspections/rounds/", {
        "name": "x", "template_code": "toilet_check", "date": "2024-06-03", "inspector": people["inspector"].pk,
        "assets": [toilet.pk]}, format="json").status_code == 403
    bad = api_client_for(people["inspector"]).post("/api/inspections/inspections/", {
        **body, "values": {"fast_lane": "lots"}}, format="json")
    assert bad.status_code == 400 and "fast_lane" in bad.json()
    assert Inspection.objects.count() == 1


def test_a_form_sent_twice_and_an_api_retry_make_one_inspection(client, api_client_for, people, toilet, road,
                                                                   toilet_round, categories):
    client.force_login(people["inspector"])
    url = f"/inspections/fill/toilet_check/?round={toilet_round.pk}&asset={toilet.pk}"
    form = {**TOILET_FORM, "form_token": "0" * 32}
    first, second = client.post(url, form), client.post(url, form)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    api = api_client_for(people["inspector"])
    body = {"template_code": "dust_sampling", "asset": road.pk,
            "values": {"fast_lane": [{"net_g": 9}, {"net_g": 9}, {"net_g": 9}]}}
    answers = [api.post("/api/inspections/inspections/", body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
               for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201] and answers[0].json()["id"] == answers[1].json()["id"]
    assert Inspection.objects.count() == 2 and Case.objects.count() == 2


def test_the_admin_lists_inspections_read_only(client, people, toilet, toilet_round, categories, make_user):
    inspection = inspection_submit(inspector=people["inspector"], template_code="toilet_check",
                                   values=TOILET_FAILING_FLOOR, asset=toilet)
    client.force_login(make_user(is_superuser=True))
    assert client.get("/admin/inspections/inspection/").status_code == 200
    assert client.get(f"/admin/inspections/inspection/{inspection.pk}/change/").status_code == 200
    assert client.get("/admin/inspections/inspectionround/add/").status_code == 403
