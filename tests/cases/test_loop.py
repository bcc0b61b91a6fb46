"""The whole closed loop through HTTP, with every stage deadline worked out by hand.

Category limits (normal urgency): intake (report to 立案) 4 working hours, dispatch 30 natural
minutes, handle 2 working days (15 working hours), verify 1 working hour. Office hours 08:30–12:00
and 13:30–17:30. The week of 2024-06-07: Fri 7 working, Sat 8 / Sun 9 weekend, Mon 10 端午节
holiday, Tue 11 onwards working.
"""
import io

import pytest
from PIL import Image

from jingzhi.cases.models import Case, CasePhoto
from jingzhi.cases.workflow import State

from .conftest import at

pytestmark = pytest.mark.django_db


def act(client, case_id, action, **data):
    response = client.post(f"/api/cases/cases/{case_id}/{action}/", data, format="multipart")
    assert response.status_code == 200, response.json()
    return response.json()


def test_report_file_dispatch_return_redispatch_handle_fail_rework_handle_verify_close(
        staff, geography, category, clock, api_client_for, photo):
    citizen, intake, chief = (api_client_for(u) for u in (staff.citizen, staff.intake, staff.chief))
    dispatcher, inspector = api_client_for(staff.dispatcher), api_client_for(staff.inspector)
    handler_a, handler_b = api_client_for(staff.handler_a), api_client_for(staff.handler_b)
    lon, lat = geography.inside_a

    clock.set("2024-06-07 15:00")
    response = citizen.post("/api/cases/cases/", {
        "category": "E0102", "source": "citizen", "description": "小区门口垃圾堆积", "lon": lon, "lat": lat,
        "photos": [photo()],
    }, format="multipart")
    assert response.status_code == 201, response.json()
    created = response.json()
    case_id = created["id"]
    assert created["number"] == "E010220240607" + "01" and created["state"] == State.REPORTED
    assert created["district"] == geography.district_a.pk and created["grid_code"] == geography.grid_code_a
    assert created["suggested_department"] == geography.district_a.pk
    reported = citizen.get(f"/api/cases/cases/{case_id}/").json()
    assert reported["reporter_name"] == "张三丰"  # their own data, unmasked
    # Intake stage: 4 working hours from Fri 15:00: Fri 2.5 h; Sat, Sun, Mon (端午节) off; Tue 08:30 + 1.5 h.
    assert (reported["stage"], reported["stage_deadline"]) == ("intake", at("2024-06-11 10:00").isoformat())

    clock.set("2024-06-07 15:10")
    assert act(intake, case_id, "accept")["stage_deadline"] == at("2024-06-11 10:00").isoformat()  # same stage
    clock.set("2024-06-07 15:20")
    data = act(chief, case_id, "file")
    # Dispatch stage: 15:20 + 30 natural minutes.
    assert data["state"] == State.FILED and data["stage_deadline"] == at("2024-06-07 15:50").isoformat()

    # The dispatcher overrides the suggestion (district A) with district B, giving a reason.
    clock.set("2024-06-07 15:30")
    data = act(dispatcher, case_id, "dispatch", department=geography.district_b.pk, override_reason="按路段归属乙区")
    # Handle stage: 15 working hours from Fri 15:30: Fri 2 h; Sat, Sun, Mon (holiday) off;
    # Tue 7.5 h (9.5 h); Wed 08:30–12:00 3.5 h (13 h), 13:30 + 2 h = Wed 12 June 15:30.
    assert data["state"] == State.DISPATCHED and data["stage_deadline"] == at("2024-06-12 15:30").isoformat()
    assert data["department"] == geography.district_b.pk

    # District B returns it on the holiday Monday; back with the dispatcher for 30 natural minutes.
    clock.set("2024-06-10 09:00")
    data = act(handler_b, case_id, "return", comment="位置在甲区，派错")
    assert data["state"] == State.RETURNED and data["stage_deadline"] == at("2024-06-10 09:30").isoformat()

    # Re-dispatch to the suggested district A on Tuesday 08:00 (late for the 09:30 limit).
    clock.set("2024-06-11 08:00")
    data = act(dispatcher, case_id, "dispatch", department=geography.district_a.pk)
    # 15 working hours from Tue 08:00 count from 08:30: Tue 7.5 h + Wed 7.5 h = Wed 17:30.
    assert data["stage_deadline"] == at("2024-06-12 17:30").isoformat()
    assert data["actions"] == []  # the dispatcher has nothing more to do now

    clock.set("2024-06-11 09:00")
    assert act(handler_a, case_id, "receive")["state"] == State.HANDLING
    clock.set("2024-06-11 10:00")
    data = act(handler_a, case_id, "handle", comment="已清运", before_photos=[photo("before.jpg")],
               after_photos=[photo("after.jpg")])
    # Verify stage: Tue 10:00 + 1 working hour = 11:00.
    assert data["state"] == State.HANDLED and data["stage_deadline"] == at("2024-06-11 11:00").isoformat()

    clock.set("2024-06-11 10:10")
    data = act(intake, case_id, "verify_assign", inspector=staff.inspector.pk)
    assert data["stage_deadline"] == at("2024-06-11 11:00").isoformat()  # same stage, same clock
    clock.set("2024-06-11 10:40")
    data = act(inspector, case_id, "verify_fail", comment="仍有垃圾残留", photos=[photo("check.jpg")])
    # 返工 waits for the dispatcher: 10:40 + 30 natural minutes.
    assert data["state"] == State.VERIFY_FAILED and data["stage_deadline"] == at("2024-06-11 11:10").isoformat()

    clock.set("2024-06-11 11:00")
    data = act(dispatcher, case_id, "rework")
    # 15 working hours from Tue 11:00: Tue 1 h + 4 h = 5 h; Wed 7.5 h (12.5 h); Thu 08:30 + 2.5 h = 11:00.
    assert data["state"] == State.HANDLING and data["rework_count"] == 1
    assert data["stage_deadline"] == at("2024-06-13 11:00").isoformat()

    clock.set("2024-06-12 17:00")
    data = act(handler_a, case_id, "handle", after_photos=[photo("after2.jpg")])
    # Wed 17:00 + 1 working hour: 30 min Wed, Thu 08:30 + 30 min = 09:00.
    assert data["stage_deadline"] == at("2024-06-13 09:00").isoformat()
    clock.set("2024-06-13 08:40")
    act(intake, case_id, "verify_assign", inspector=staff.inspector.pk)
    clock.set("2024-06-13 09:20")
    assert act(inspector, case_id, "verify_pass")["state"] == State.VERIFIED
    clock.set("2024-06-13 09:30")
    data = act(chief, case_id, "close", comment="结案")
    assert data["state"] == State.CLOSED and data["stage_deadline"] is None
    assert data["closed_at"] == at("2024-06-13 09:30").isoformat()

    events = data["events"]
    assert [e["action"] for e in events] == [
        "report", "accept", "file", "dispatch", "return", "dispatch", "receive", "handle", "verify_assign",
        "verify_fail", "rework", "handle", "verify_assign", "verify_pass", "close",
    ]
    # Whether each stage was done in time, on the event that ended it.
    ended = [(e["action"], e["done_in_time"]) for e in events if e["done_in_time"] is not None]
    assert ended == [
        ("file", True),          # Fri 15:20 ≤ Tue 10:00
        ("dispatch", True),      # 15:30 ≤ 15:50
        ("return", True),        # Mon 09:00 ≤ Wed 15:30
        ("dispatch", False),     # Tue 08:00 > Mon 09:30
        ("handle", True),        # Tue 10:00 ≤ Wed 17:30
        ("verify_fail", True),   # 10:40 ≤ 11:00
        ("rework", True),        # 11:00 ≤ 11:10
        ("handle", True),        # Wed 17:00 ≤ Thu 11:00
        ("verify_pass", False),  # Thu 09:20 > 09:00
    ]
    assert events[3]["data"]["override_reason"] == "按路段归属乙区"
    assert {e["actor_role"] for e in events} >= {"citizen", "intake_operator", "shift_chief", "dispatcher",
                                                  "handler", "inspector"}

    # Photos: report, before, after ×2, check — stored without EXIF (no GPS).
    case = Case.objects.get(pk=case_id)
    kinds = sorted(CasePhoto.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == ["after", "after", "before", "check", "report"]
    for stored in CasePhoto.objects.filter(case=case):
        with Image.open(io.BytesIO(stored.image.read())) as image:
            assert not image.getexif() and not image.getexif().get_ifd(0x8825)
    # The citizen is told when the case is closed.
    notes = citizen.get("/api/cases/notifications/").json()["results"]
    assert notes[0]["action"] == "close" and case.number in notes[0]["message"]
