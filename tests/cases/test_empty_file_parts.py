"""A file input left empty is no file: browsers send it as an empty part (``filename=""``), and
every form and API operation with optional photos accepts that (issue 7 §1)."""
import pytest

from jingzhi.cases.models import Case, CasePhoto, PhotoKind
from jingzhi.cases.workflow import State
from tests.multipart import browser_form, small_jpeg

pytestmark = pytest.mark.django_db

EMPTY = ("", b"")


def post(client, url, fields):
    body, content_type = browser_form(fields)
    return client.post(url, body, content_type=content_type)


def test_handling_with_only_the_after_photo_is_accepted_on_the_page(client, staff, make_case):
    case = make_case(State.HANDLING)
    client.force_login(staff.handler_a)
    response = post(client, f"/cases/{case.pk}/act/handle/", [
        ("before_photos", EMPTY), ("after_photos", ("after.jpg", small_jpeg())), ("comment", "")])
    assert response.status_code == 302, response.content.decode()
    case.refresh_from_db()
    assert case.state == State.HANDLED
    assert list(case.photos.values_list("kind", flat=True)) == [PhotoKind.AFTER]


def test_several_photos_in_one_input_are_all_kept(client, staff, make_case):
    case = make_case(State.HANDLING)
    client.force_login(staff.handler_a)
    response = post(client, f"/cases/{case.pk}/act/handle/", [
        ("before_photos", ("b1.jpg", small_jpeg())), ("before_photos", ("b2.jpg", small_jpeg())),
        ("after_photos", ("a.jpg", small_jpeg()))])
    assert response.status_code == 302
    assert sorted(case.photos.values_list("kind", flat=True)) == ["after", "before", "before"]


def test_verifying_without_a_photo_is_accepted_on_the_page(client, staff, make_case):
    case = make_case(State.VERIFYING)
    client.force_login(staff.inspector)
    response = post(client, f"/cases/{case.pk}/act/verify_pass/", [("photos", EMPTY), ("comment", "")])
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.VERIFIED


def test_an_empty_required_photo_input_is_still_refused(client, staff, make_case):
    case = make_case(State.HANDLING)
    client.force_login(staff.handler_a)
    response = post(client, f"/cases/{case.pk}/act/handle/", [("before_photos", EMPTY), ("after_photos", EMPTY)])
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.state == State.HANDLING and not case.photos.exists()


def test_the_report_form_with_empty_photo_inputs_registers_the_case(client, staff, geography, category):
    client.force_login(staff.inspector)
    lon, lat = geography.inside_a
    response = post(client, "/cases/new/", [
        ("category", category.number_prefix), ("source", "inspector"), ("urgency", "normal"),
        ("description", "井盖破损"), ("lon", str(lon)), ("lat", str(lat)), ("coord_system", "wgs84"),
        ("photos", ("photo.jpg", small_jpeg())), ("before_photos", EMPTY), ("after_photos", EMPTY)])
    assert response.status_code == 302, response.content.decode()
    case = Case.objects.get()
    assert response.url == f"/cases/{case.pk}/" and case.photos.count() == 1


def test_the_api_accepts_empty_file_parts_too(api_client_for, staff, make_case, geography, category):
    case = make_case(State.HANDLING)
    response = post(api_client_for(staff.handler_a), f"/api/cases/cases/{case.pk}/handle/", [
        ("before_photos", EMPTY), ("after_photos", ("after.jpg", small_jpeg()))])
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == State.HANDLED

    lon, lat = geography.inside_a
    response = post(api_client_for(staff.inspector), "/api/cases/cases/", [
        ("category", category.number_prefix), ("source", "inspector"), ("description", "井盖破损"),
        ("lon", str(lon)), ("lat", str(lat)), ("photos", EMPTY)])
    assert response.status_code == 201, response.json()
    assert not CasePhoto.objects.filter(case_id=response.json()["id"]).exists()
