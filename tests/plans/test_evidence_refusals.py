"""Bad evidence on every plans upload path (progress report API and page, checklist, 督办 reply): a
400 with the evidence field's error and nothing stored. Evidence is decoded outside any
transaction, and stored and served in its real format."""
from datetime import date

import pytest

from jingzhi.plans.models import ChecklistItem, Indicator, ProgressReport, ReportEvidence, SupervisionNotice, Task
from tests.upload_samples import (
    BAD_FILES,
    BOMB_WARNING,
    TOO_MANY_WORDS,
    image_bytes,
    jpeg,
    too_many_photos,
    upload,
)

from .conftest import stored_files

pytestmark = BOMB_WARNING
URL = "/api/plans/progress-reports/"


def payload(**extra):
    indicator = Indicator.objects.get(code="toilets")
    return {"indicator": indicator.pk, "value": "846", "unit": indicator.unit, "measured_on": "2018-09-20", **extra}


def reproductions(*, single=False):
    """(label, the files, the error's words): issue 7's bad files, then (for lists) too many files."""
    for label, make, words in BAD_FILES:
        yield label, (make() if single else [jpeg(), make()]), words
    if not single:
        yield "ten files", too_many_photos(10), TOO_MANY_WORDS


def test_the_progress_report_api_refuses_bad_evidence(small_plan, api_client_for, people, settings):
    client = api_client_for(people["cgj"])
    for label, files, words in reproductions():
        response = client.post(URL, payload(evidence=files), format="multipart")
        assert response.status_code == 400, label
        assert list(response.json()) == ["evidence"] and words in str(response.json()["evidence"]), label
    assert not ProgressReport.objects.exists() and stored_files(settings) == []


def test_the_progress_report_page_refuses_bad_evidence(small_plan, client, people, settings):
    client.force_login(people["cgj"])
    task = Task.objects.get(number="1")
    for label, files, words in reproductions():
        response = client.post(f"/plans/tasks/{task.pk}/reports/", payload(evidence=files))
        assert response.status_code == 400 and words in response.content.decode(), label
    assert not ProgressReport.objects.exists() and stored_files(settings) == []


def test_the_checklist_and_the_notice_reply_refuse_bad_evidence(progress, api_client_for, people, units, settings):
    item = ChecklistItem.objects.get(text="建立老旧小区数据库")  # lead: 市园林局
    notice = SupervisionNotice.objects.create(
        task=item.task, to_unit=units["市园林局"], text="请说明原因。", reply_due=date(2018, 9, 25),
        issued_by=people["office"], issued_on=date(2018, 9, 20))
    files_before = stored_files(settings)
    client = api_client_for(people["yuanlin"])
    for label, evidence, words in reproductions(single=True):
        response = client.post(f"/api/plans/checklist-items/{item.pk}/mark/", {
            "done": "true", "done_on": "2018-03-28", "note": "已建成", "evidence": evidence}, format="multipart")
        assert response.status_code == 400 and words in str(response.json()["evidence"]), label
        evidence.seek(0)
        response = client.post(f"/api/plans/notices/{notice.pk}/reply/", {"text": "已整改。", "evidence": evidence},
                               format="multipart")
        assert response.status_code == 400 and words in str(response.json()["evidence"]), label
    item.refresh_from_db()
    notice.refresh_from_db()
    assert item.done_on is None and notice.status == "open" and not notice.events.exists()
    assert stored_files(settings) == files_before


@pytest.mark.parametrize("key", [None, "k-evidence"], ids=["plain", "idempotency-key"])
def test_evidence_is_decoded_before_any_transaction_opens(small_plan, api_client_for, people, decoding_depths,
                                                          key):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    response = api_client_for(people["cgj"]).post(URL, payload(evidence=[jpeg(), jpeg()]), format="multipart",
                                                  **headers)
    assert response.status_code == 201
    assert decoding_depths and set(decoding_depths) == {0}


def test_a_png_named_jpg_is_stored_and_served_as_png(small_plan, api_client_for, people, client):
    response = api_client_for(people["cgj"]).post(
        URL, payload(evidence=[upload("site.jpg", image_bytes("PNG"))]), format="multipart")
    assert response.status_code == 201
    evidence = ReportEvidence.objects.get()
    assert evidence.file.name.endswith(".png") and evidence.original_name == "site.jpg"
    assert evidence.size == evidence.file.size
    client.force_login(people["cgj"])
    served = client.get(f"/plans/files/report/{evidence.pk}/")
    assert served["Content-Type"] == "image/png" and served["Content-Disposition"] == 'inline; filename="site.png"'
