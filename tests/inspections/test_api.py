"""Submitting an inspection through the API as multipart/form-data with photos, as the phone page
does: the same upload checks and storage, the photo on the result and on the case its failure
becomes, field errors for bad files with nothing written, and JSON submissions as before."""
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jingzhi.cases.models import Case, CasePhoto
from jingzhi.inspections.models import Inspection, InspectionPhoto, InspectionResult
from tests.upload_samples import BAD_FILES, BOMB_WARNING, TOO_MANY_WORDS, jpeg, too_many_photos

from .conftest import TOILET_FAILING_FLOOR

pytestmark = pytest.mark.django_db

URL = "/api/inspections/inspections/"


def toilet_form(toilet_round, toilet, **files):
    return {"template_code": "toilet_check", "round": str(toilet_round.pk), "asset": str(toilet.pk),
            "values": json.dumps(TOILET_FAILING_FLOOR), "note": "地面有积水", **files}


def nothing_written():
    return (Inspection.objects.count(), InspectionResult.objects.count(), InspectionPhoto.objects.count(),
            Case.objects.count(), CasePhoto.objects.count()) == (0, 0, 0, 0, 0)


def test_a_multipart_submission_keeps_the_photo_on_the_failed_item_and_its_case(api_client_for, client, people,
                                                                                 toilet, toilet_round, categories):
    api = api_client_for(people["inspector"])
    response = api.post(URL, toilet_form(toilet_round, toilet, photo_floor_clean=jpeg("floor.jpg")),
                        format="multipart")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["score"] == "77.8" and data["passed"] is False and data["note"] == "地面有积水"
    results = {result["item_code"]: result for result in data["results"]}
    floor = results["floor_clean"]
    assert floor["passed"] is False and floor["case"] and len(floor["photos"]) == 1
    assert all(result["photos"] == [] for code, result in results.items() if code != "floor_clean")
    photo = InspectionPhoto.objects.get()
    assert photo.result.item_code == "floor_clean" and floor["photos"][0]["url"].endswith(f"/inspections/photos/"
                                                                                          f"{photo.pk}/")
    case = Case.objects.get(number=floor["case"])
    assert case.photos.count() == 1  # the item's photo is the case's report photo, as on the page
    client.force_login(people["inspector"])
    assert client.get(floor["photos"][0]["url"]).status_code == 200
    assert api.get(f"{URL}{data['id']}/").json()["results"] == data["results"]
    toilet_round.refresh_from_db()
    assert toilet_round.state == "done"


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def bad_files():
    """(label, file, the error's words): issue 7's bad files, a text file, and one over the byte limit."""
    for label, make, words in BAD_FILES:
        yield label, make(), words
    yield "text file", SimpleUploadedFile("floor.txt", b"plain text", content_type="text/plain"), "不是 JPG、PNG"
    yield "too big", jpeg("big.jpg", size=(400, 300)), "文件过大"  # over the test's limit, set last


@BOMB_WARNING
def test_a_bad_file_is_a_400_naming_its_field_and_nothing_is_written(api_client_for, people, toilet, toilet_round,
                                                                     categories, settings):
    api = api_client_for(people["inspector"])
    for label, bad, words in bad_files():
        if label == "too big":
            settings.UPLOAD_MAX_BYTES = 2000  # the 400×300 JPEG is larger, the good one smaller
        response = api.post(URL, toilet_form(toilet_round, toilet, photo_floor_clean=[jpeg(), bad]),
                            format="multipart")
        assert response.status_code == 400, label
        messages = response.json()["photo_floor_clean"]
        assert len(messages) == 1 and words in messages[0], (label, messages)
    assert nothing_written() and stored_files(settings) == []
    toilet_round.refresh_from_db()
    assert toilet_round.state == "planned"


def test_too_many_photos_and_a_photo_of_no_item_are_field_errors(api_client_for, people, toilet, toilet_round,
                                                                  categories):
    api = api_client_for(people["inspector"])
    many = api.post(URL, toilet_form(toilet_round, toilet, photo_floor_clean=too_many_photos()), format="multipart")
    assert many.status_code == 400 and TOO_MANY_WORDS in many.json()["photo_floor_clean"][0]
    stray = api.post(URL, toilet_form(toilet_round, toilet, photo_fast_lane=jpeg(), photo=jpeg()), format="multipart")
    assert stray.status_code == 400 and set(stray.json()) == {"photo", "photo_fast_lane"}
    assert "photo_<检查项代码>" in stray.json()["photo"][0]
    assert nothing_written()


@pytest.mark.parametrize(("values", "field"), [
    ("{not json", "values"),
    ("[1, 2]", "values"),
    ("[" * 5000 + "]" * 5000, "values"),
    (json.dumps({**TOILET_FAILING_FLOOR, "flies": "很多"}), "flies"),
])
def test_bad_values_text_is_a_field_error(api_client_for, people, toilet, toilet_round, categories, values, field):
    form = {**toilet_form(toilet_round, toilet, photo_floor_clean=jpeg()), "values": values}
    response = api_client_for(people["inspector"]).post(URL, form, format="multipart")
    assert response.status_code == 400 and field in response.json()
    assert nothing_written()


def test_a_json_submission_still_works_without_photos(api_client_for, people, toilet, toilet_round, categories):
    body = {"template_code": "toilet_check", "round": toilet_round.pk, "asset": toilet.pk,
            "values": TOILET_FAILING_FLOOR}
    response = api_client_for(people["inspector"]).post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    floor = next(r for r in response.json()["results"] if r["item_code"] == "floor_clean")
    assert floor["case"] and floor["photos"] == [] and InspectionPhoto.objects.count() == 0
    text = api_client_for(people["inspector"]).post(URL, {**body, "values": json.dumps(TOILET_FAILING_FLOOR)},
                                                    format="json")
    assert text.status_code == 400 and "values" in text.json()  # JSON text is for form data only


def test_the_wrong_role_and_another_inspectors_round_are_refused_with_nothing_written(api_client_for, people, toilet,
                                                                                    toilet_round, categories):
    ad_hoc = {**toilet_form(toilet_round, toilet, photo_floor_clean=jpeg()), "round": ""}
    handler = api_client_for(people["handler_b"]).post(URL, ad_hoc, format="multipart")
    assert handler.status_code == 403
    other = api_client_for(people["other_inspector"]).post(
        URL, toilet_form(toilet_round, toilet, photo_floor_clean=jpeg()), format="multipart")
    assert other.status_code == 400 and "round" in other.json()
    assert nothing_written()


def test_a_retried_multipart_submission_runs_once(api_client_for, people, toilet, toilet_round, categories):
    api = api_client_for(people["inspector"])
    answers = [api.post(URL, toilet_form(toilet_round, toilet, photo_floor_clean=jpeg("floor.jpg")),
                        format="multipart", HTTP_IDEMPOTENCY_KEY="photo-retry") for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201] and answers[1]["Idempotent-Replayed"] == "true"
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert (Inspection.objects.count(), InspectionPhoto.objects.count(), Case.objects.count()) == (1, 1, 1)
    other_photo = api.post(URL, toilet_form(toilet_round, toilet, photo_floor_clean=jpeg("wall.jpg", size=(40, 30))),
                           format="multipart", HTTP_IDEMPOTENCY_KEY="photo-retry")
    assert other_photo.status_code == 422  # the same key with another file is another request
