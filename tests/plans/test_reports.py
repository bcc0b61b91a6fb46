"""Filing progress reports through the API and the task page: who may, and what is valid."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jingzhi.plans.models import Indicator, ProgressReport, ReportEvidence, Task

from .conftest import PDF_BYTES, png_bytes, stored_files

URL = "/api/plans/progress-reports/"


def payload(code, **extra):
    indicator = Indicator.objects.get(code=code)
    data = {"indicator": indicator.pk, "value": "846", "unit": indicator.unit, "measured_on": "2018-09-20",
            "comment": "截至 9 月 20 日"}
    data.update(extra)
    return data


@pytest.fixture
def api(api_client_for, people):
    return lambda name: api_client_for(people[name])


def test_a_reporter_files_with_evidence(small_plan, api, settings):
    evidence = [SimpleUploadedFile("photo.png", png_bytes(), "image/png"),
                SimpleUploadedFile("minutes.pdf", PDF_BYTES, "application/pdf")]
    response = api("cgj").post(URL, payload("toilets", evidence=evidence), format="multipart")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["value"], body["unit"], body["reporting_unit"]) == ("846.00", "座", "市城管局")
    assert [e["name"] for e in body["evidence"]] == ["photo.png", "minutes.pdf"]
    report = ProgressReport.objects.get()
    assert report.reported_by.username == "cgj" and report.evidence.count() == 2
    assert len(stored_files(settings)) == 2


def test_photos_lose_their_exif(small_plan, api):
    photo = SimpleUploadedFile("site.jpg", png_bytes(exif=True), "image/jpeg")
    assert api("cgj").post(URL, payload("toilets", evidence=[photo]), format="multipart").status_code == 201
    with Image.open(ReportEvidence.objects.get().file.open("rb")) as stored:
        assert not stored.getexif()


def test_a_responsible_district_files_for_itself(small_plan, api):
    assert api("jinshui").post(URL, payload("toilets"), format="multipart").status_code == 201
    assert ProgressReport.objects.get().unit.name == "金水区"


@pytest.mark.parametrize(("who", "code", "status"), [
    ("yuanlin", "parking", 404),    # 市园林局 has no part in 3(2): its indicator is out of sight
    ("police", "old-areas", 404),   # 市公安局 has no part in task 2
    ("jinshui", "old-areas", 404),
    ("leader", "toilets", 403),     # leaders read everything and write nothing
    ("office", "toilets", 403),
])
def test_filing_for_another_units_task_is_refused(small_plan, api, who, code, status, settings):
    photo = SimpleUploadedFile("photo.png", png_bytes(), "image/png")
    response = api(who).post(URL, payload(code, evidence=[photo]), format="multipart")
    assert response.status_code == status
    assert not ProgressReport.objects.exists() and stored_files(settings) == []


@pytest.mark.parametrize(("code", "changes", "field"), [
    ("toilets", {"unit": "个"}, "unit"),              # wrong unit of measure
    ("toilets", {"unit": "%"}, "unit"),
    ("toilets", {"value": "-5"}, "value"),            # negative count
    ("toilets", {"value": "12.5"}, "value"),          # half a toilet
    ("class1-share", {"value": "100.5"}, "value"),    # more than 100 %
    ("class1-share", {"value": "-0.1"}, "value"),
    ("dust", {"value": "-1"}, "value"),
    ("toilets", {"value": "lots"}, "value"),
    ("toilets", {"measured_on": "2099-01-01"}, "measured_on"),    # in the future
    ("toilets", {"measured_on": "2017-12-31"}, "measured_on"),    # before the plan year
])
def test_bad_values_get_field_errors(small_plan, api, code, changes, field):
    response = api("cgj").post(URL, payload(code, **changes), format="multipart")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not ProgressReport.objects.exists()


def test_the_unit_error_names_the_expected_unit(small_plan, api):
    response = api("cgj").post(URL, payload("toilets", unit="个"), format="multipart")
    assert response.json()["unit"] == ["计量单位应为“座”，收到的是“个”。"]


def test_decimal_quantities_are_accepted(small_plan, api):
    response = api("cgj").post(URL, payload("dust", value="4.6", unit="克/平方米"), format="multipart")
    assert response.status_code == 201 and response.json()["value"] == "4.60"


def oversize_png():
    return SimpleUploadedFile("big.png", png_bytes(size=(300, 300)), "image/png")


@pytest.mark.parametrize("upload", [
    lambda: SimpleUploadedFile("setup.exe", b"MZ\x90\x00" + b"\x00" * 100, "application/octet-stream"),
    lambda: SimpleUploadedFile("fake.jpg", "这不是图片".encode(), "image/jpeg"),  # text renamed .jpg
    lambda: SimpleUploadedFile("fake.pdf", b"hello", "application/pdf"),
    oversize_png,
])
def test_bad_evidence_gets_a_field_error_and_nothing_is_stored(small_plan, api, settings, upload):
    settings.UPLOAD_MAX_BYTES = 500
    good = SimpleUploadedFile("ok.pdf", PDF_BYTES, "application/pdf")
    response = api("cgj").post(URL, payload("toilets", evidence=[good, upload()]), format="multipart")
    assert response.status_code == 400
    assert list(response.json()) == ["evidence"]
    assert not ProgressReport.objects.exists() and stored_files(settings) == []


def test_errors_come_in_the_requests_language(small_plan, api):
    response = api("cgj").post(URL, payload("toilets", value="-5"), format="multipart", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["value"] == ["The value cannot be negative."]


def test_a_retried_post_with_the_same_idempotency_key_files_once(small_plan, api):
    client = api("cgj")
    first = client.post(URL, payload("toilets"), format="multipart", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(URL, payload("toilets"), format="multipart", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again["Idempotent-Replayed"] == "true"
    assert ProgressReport.objects.count() == 1


def test_reports_list_is_scoped(small_plan, api):
    assert api("cgj").post(URL, payload("parking", value="36800"), format="multipart").status_code == 201
    assert api("yuanlin").post(URL, payload("old-areas", value="9", unit="%"), format="multipart").status_code == 201
    assert {r["indicator"] for r in api("yuanlin").get(URL).json()["results"]} == {
        Indicator.objects.get(code="old-areas").pk}
    assert api("leader").get(URL).json()["count"] == 2


# ── The same through the task page ─────────────────────────────────────────────

def page_post(client, task, data):
    return client.post(f"/plans/tasks/{task.pk}/reports/", data)


def test_the_page_form_files_a_report(small_plan, client, people):
    client.force_login(people["cgj"])
    task = Task.objects.get(number="1")
    data = payload("toilets", evidence=io.BytesIO(png_bytes()))
    data["evidence"].name = "photo.png"
    response = page_post(client, task, data)
    assert response.status_code == 302 and response.url == f"/plans/tasks/{task.pk}/"
    assert ProgressReport.objects.get().evidence.count() == 1


def test_the_page_refuses_another_units_task(small_plan, client, people):
    client.force_login(people["yuanlin"])
    assert page_post(client, Task.objects.get(number="3(2)"), payload("parking")).status_code == 404  # not its task
    client.force_login(people["leader"])
    assert page_post(client, Task.objects.get(number="1"), payload("toilets")).status_code == 403
    assert not ProgressReport.objects.exists()


def test_the_page_shows_field_errors(small_plan, client, people):
    client.force_login(people["cgj"])
    response = page_post(client, Task.objects.get(number="1"), payload("class1-share", value="120", unit="%"))
    assert response.status_code == 400
    assert "百分比应在 0 到 100 之间。" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_only_permitted_reporters_see_the_form(small_plan, client, people):
    task = Task.objects.get(number="1")
    client.force_login(people["cgj"])
    assert 'id="report-form"' in client.get(f"/plans/tasks/{task.pk}/").content.decode()
    client.force_login(people["leader"])
    assert 'id="report-form"' not in client.get(f"/plans/tasks/{task.pk}/").content.decode()


def test_leaders_are_refused_before_their_input_is_read(small_plan, api):
    response = api("leader").post(URL, payload("toilets", value="-5", unit="个"), format="multipart")
    assert response.status_code == 403
