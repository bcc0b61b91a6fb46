"""自处理: an inspector reports a simple problem already handled on the spot (before/after
photos); the 值班长 审核 it — approved → 结案, refused → the normal path from 待受理."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jingzhi.cases.models import Case, CaseEvent, CasePhoto
from jingzhi.cases.workflow import State

from .conftest import at

pytestmark = pytest.mark.django_db


def self_report(client, geography, photo, **extra):
    lon, lat = geography.inside_a
    data = {"category": "E0102", "source": "inspector", "description": "路边暴露垃圾，已现场清理", "lon": lon,
            "lat": lat, "self_handled": "true", "before_photos": [photo("before.jpg")],
            "after_photos": [photo("after.jpg")], **extra}
    return client.post("/api/cases/cases/", data, format="multipart")


def history(case):
    return list(CaseEvent.objects.filter(case=case).values_list("action", "from_state", "to_state", "actor_role"))


def test_an_approved_self_handling_is_closed(staff, geography, category, photo, api_client_for, clock):
    clock.set("2024-06-07 15:00")
    response = self_report(api_client_for(staff.inspector), geography, photo)
    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=response.json()["id"])
    # The 审核 runs on the intake clock: Fri 15:00 + 4 working hours = Tue 11 June 10:00 (Mon is 端午节).
    assert (case.state, case.stage) == (State.SELF_HANDLED, "intake")
    assert case.stage_deadline == at("2024-06-11 10:00")
    assert sorted(CasePhoto.objects.filter(case=case).values_list("kind", flat=True)) == ["after", "before"]

    chief = api_client_for(staff.chief)
    assert {"self_approve", "self_refuse", "void"} <= set(chief.get(f"/api/cases/cases/{case.pk}/").json()["actions"])
    clock.set("2024-06-07 15:20")
    response = chief.post(f"/api/cases/cases/{case.pk}/self_approve/", {"comment": "照片清楚，准予结案"},
                          format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["closed_at"]) == ("closed", "2024-06-07T15:20:00+08:00")
    assert history(case) == [("self_handle", "", "self_handled", "inspector"),
                             ("self_approve", "self_handled", "closed", "shift_chief")]
    case.refresh_from_db()
    assert (case.stage, case.stage_deadline) == ("", None)
    assert CaseEvent.objects.get(case=case, action="self_approve").done_in_time is True


def test_a_refused_self_handling_takes_the_normal_path(staff, geography, category, photo, api_client_for):
    case_id = self_report(api_client_for(staff.inspector), geography, photo).json()["id"]
    chief = api_client_for(staff.chief)
    assert chief.post(f"/api/cases/cases/{case_id}/self_refuse/", {}, format="json").status_code == 400
    response = chief.post(f"/api/cases/cases/{case_id}/self_refuse/", {"comment": "处置后照片仍见垃圾"},
                          format="json")
    assert response.status_code == 200 and response.json()["state"] == "reported"
    assert api_client_for(staff.intake).post(f"/api/cases/cases/{case_id}/accept/", {},
                                             format="json").json()["state"] == "accepted"


def test_self_handling_refusals(staff, geography, category, photo, api_client_for, client):
    before = (Case.objects.count(), CaseEvent.objects.count())
    for user in (staff.intake, staff.citizen, staff.handler_a):
        source = {"intake": "hotline_12345", "citizen": "citizen"}.get(user.username, "inspector")
        assert self_report(api_client_for(user), geography, photo, source=source).status_code == 403, user
    inspector = api_client_for(staff.inspector)
    missing = self_report(inspector, geography, photo, before_photos=[])
    assert missing.status_code == 400 and "处置前和处置后" in str(missing.json()["after_photos"])
    not_image = self_report(inspector, geography, photo, after_photos=[photo("a.jpg"), _text_file()])
    assert not_image.status_code == 400 and "after_photos" in not_image.json()
    stray = self_report(inspector, geography, photo, self_handled="false")
    assert stray.status_code == 400 and "self_handled" in stray.json()
    assert (Case.objects.count(), CaseEvent.objects.count()) == before

    case_id = self_report(inspector, geography, photo).json()["id"]
    state = Case.objects.get(pk=case_id).state
    for user, action in ((staff.dispatcher, "self_approve"), (staff.inspector, "self_approve"),
                         (staff.intake, "self_refuse")):
        response = api_client_for(user).post(f"/api/cases/cases/{case_id}/{action}/", {"comment": "x"},
                                             format="json")
        assert response.status_code == 403, (user, action)
    filed = api_client_for(staff.chief).post(f"/api/cases/cases/{case_id}/file/", {}, format="json")
    assert filed.status_code == 409
    assert Case.objects.get(pk=case_id).state == state and len(history(Case(pk=case_id))) == 1


def test_the_report_form_and_detail_page(staff, geography, category, photo, client):
    lon, lat = geography.inside_a
    client.force_login(staff.inspector)
    assert 'name="self_handled"' in client.get("/cases/new/").content.decode()
    response = client.post("/cases/new/", {
        "category": "E0102", "source": "inspector", "urgency": "normal", "description": "小广告已清除",
        "lon": lon, "lat": lat, "coord_system": "wgs84", "self_handled": "true",
        "before_photos": [photo("b.jpg")], "after_photos": [photo("a.jpg")]})
    case = Case.objects.get()
    assert response.status_code == 302 and case.state == State.SELF_HANDLED
    client.force_login(staff.chief)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "/act/self_approve/" in page and "/act/self_refuse/" in page and "处置前" in page
    assert case.number in client.get("/cases/intake/").content.decode()  # the 值班长's queue
    client.force_login(staff.intake)
    assert 'name="self_handled"' not in client.get("/cases/new/").content.decode()


def _text_file():
    return SimpleUploadedFile("notes.jpg", b"not an image", content_type="image/jpeg")
