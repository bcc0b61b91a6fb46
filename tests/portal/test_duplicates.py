"""Possible duplicates while reporting: open cases of the same category within the category's
radius (catalogue data), nearest first, with hand-computed distances; the public look-up shows no
personal data and is rate-limited; the 受理员 sees the same candidates and merges in one click."""
import pytest
from django.core.cache import cache
from rest_framework.throttling import ScopedRateThrottle

from jingzhi.cases.acting import case_act
from jingzhi.cases.models import Case, CaseEvent
from jingzhi.cases.reporting import case_report
from jingzhi.cases.selectors import distance_m, duplicate_candidates
from jingzhi.cases.workflow import CaseAction, State
from jingzhi.geo.coords import wgs84_to_gcj02

pytestmark = pytest.mark.django_db

# Metres per degree at latitude 34.755° (geo.spatial.metres_per_degree, the WGS84 ellipsoid series):
#   latitude:  111132.954 − 559.822·cos(69.51°) + 1.175·cos(139.02°) = 111132.954 − 195.966 − 0.887 ≈ 110936.1
#   longitude: 111412.84·cos(34.755°) − 93.5·cos(104.265°) + 0.118·cos(173.775°) ≈ 91537.4 + 23.0 − 0.1 ≈ 91560.3
PER_LAT, PER_LON = 110936.1, 91560.3


def _case(staff, category, lon, lat, *, description="测试", reporter=None):
    return case_report(reporter=reporter or staff.inspector, source="inspector", category=category,
                       description=description, lon=lon, lat=lat)


def test_distances_are_the_hand_computed_ones(geography):
    lon, lat = geography.inside_a
    assert distance_m(lon=lon, lat=lat, to_lon=lon, to_lat=lat + 0.002) == pytest.approx(0.002 * PER_LAT, abs=0.05)
    assert distance_m(lon=lon, lat=lat, to_lon=lon + 0.002, to_lat=lat) == pytest.approx(0.002 * PER_LON, abs=0.05)
    # 3-4-5: 0.0012° of latitude (133.1 m) and the longitude giving 177.5 m make 221.9 m
    north, east = 0.0012 * PER_LAT, 0.0012 * PER_LAT * 4 / 3
    assert distance_m(lon=lon, lat=lat, to_lon=lon + east / PER_LON, to_lat=lat + 0.0012) == pytest.approx(
        north * 5 / 3, abs=0.1)


def test_candidates_are_the_open_cases_of_the_category_within_its_radius(staff, geography, category,
                                                                         make_category):
    lon, lat = geography.inside_a
    assert category.duplicate_radius_m == 250
    near = _case(staff, category, lon, lat + 0.001)  # 110.9 m
    farther = _case(staff, category, lon + 0.002, lat)  # 183.1 m
    _case(staff, category, lon, lat + 0.003)  # 332.8 m: outside 250 m
    other_category = make_category("0202", "乱堆物料")
    _case(staff, other_category, lon, lat)  # same place, another category
    closed = _case(staff, category, lon, lat)
    case_act(case=closed, action=CaseAction.REJECT, actor=staff.intake, reason="invalid", comment="无效")

    found = duplicate_candidates(category=category, lon=lon, lat=lat)
    assert [c.case for c in found] == [near, farther]
    assert [round(c.distance_m, 1) for c in found] == [round(0.001 * PER_LAT, 1), round(0.002 * PER_LON, 1)]
    assert [round(c.distance_m) for c in found] == [111, 183]

    category.duplicate_radius_m = 150  # a narrower radius (the catalogue's per-category value)
    assert [c.case for c in duplicate_candidates(category=category, lon=lon, lat=lat)] == [near]
    assert duplicate_candidates(category=category, lon=lon, lat=lat, exclude_id=near.pk) == []


def test_the_public_look_up_shows_no_personal_data(client, staff, geography, category, photo):
    lon, lat = geography.inside_a
    citizen_case = case_report(reporter=staff.citizen, source="citizen", category=category, lon=lon,
                               lat=lat + 0.001, description="张三丰家门口 13812345678", photos=[photo()],
                               reporter_name="张三丰", reporter_phone="13812345678")
    inspector_case = case_report(reporter=staff.inspector, source="inspector", category=category, lon=lon,
                                 lat=lat + 0.0005, description="巡查发现", photos=[photo()])
    response = client.get("/p/report/duplicates/", {"category": category.number_prefix, "lon": lon, "lat": lat})
    assert response.status_code == 200
    data = response.json()
    assert data["radius_m"] == 250 and data["point"] == {"lon": pytest.approx(lon), "lat": pytest.approx(lat)}
    assert [c["number"] for c in data["candidates"]] == [inspector_case.number, citizen_case.number]
    assert [c["distance_m"] for c in data["candidates"]] == [round(0.0005 * PER_LAT), round(0.001 * PER_LAT)]
    body = response.content.decode()
    for personal in ("张三丰", "13812345678", "监督员", str(lat + 0.001)):
        assert personal not in body
    assert set(data["candidates"][0]) == {"number", "category", "status", "distance_m", "reported_on",
                                          "description", "thumbnail"}
    inspector_shown, citizen_shown = data["candidates"]
    # what disclosure lets out: the staff text and photo; the citizen's text (a phone number in it) and
    # photo wait for moderation
    assert inspector_shown["description"] == "巡查发现" and citizen_shown["description"] == ""
    assert inspector_shown["status"] == citizen_shown["status"] == "已收到"
    assert citizen_shown["thumbnail"] == ""
    served = client.get(inspector_shown["thumbnail"])
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert client.get(f"/p/photos/{citizen_case.photos.get().pk}/").status_code == 404


def test_the_look_up_takes_a_gcj02_tap_and_answers_the_point_on_the_map(client, staff, geography, category,
                                                                           settings):
    lon, lat = geography.inside_a
    near = _case(staff, category, lon, lat + 0.001)
    settings.MAP_TILE_COORD_SYSTEM = "gcj02"
    gcj_lon, gcj_lat = (float(v) for v in wgs84_to_gcj02(lon, lat))
    data = client.get("/p/report/duplicates/", {"category": category.number_prefix, "lon": gcj_lon,
                                                "lat": gcj_lat, "coord_system": "gcj02"}).json()
    assert [c["number"] for c in data["candidates"]] == [near.number]
    assert data["candidates"][0]["distance_m"] == round(0.001 * PER_LAT)
    assert data["point"] == {"lon": pytest.approx(gcj_lon, abs=1e-7), "lat": pytest.approx(gcj_lat, abs=1e-7)}


def test_the_look_up_refuses_bad_input_and_is_rate_limited(client, category, monkeypatch):
    bad = client.get("/p/report/duplicates/", {"category": "E9999", "lon": "abc", "lat": 34.7})
    assert bad.status_code == 400 and set(bad.json()) == {"category", "lon"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"portal_duplicates": "3/minute"})
    cache.clear()
    query = {"category": category.number_prefix, "lon": 113.6, "lat": 34.75}
    answers = [client.get("/p/report/duplicates/", query) for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert int(answers[-1]["Retry-After"]) > 0


def test_the_intake_page_lists_candidates_and_merges_in_one_click(client, staff, geography, category):
    lon, lat = geography.inside_a
    original = _case(staff, category, lon, lat)
    case_act(case=original, action=CaseAction.ACCEPT, actor=staff.intake)
    new = case_report(reporter=staff.citizen, source="citizen", category=category, description="又一处",
                      lon=lon, lat=lat + 0.001)
    client.force_login(staff.intake)
    html = client.get("/cases/intake/").content.decode()
    section = html[html.index('id="possible-duplicates"'):]
    assert f'data-case="{new.pk}"' in section and f'data-candidate="{original.number}"' in section
    assert "约 111 米" in section
    token = section.split('name="form_token" value="')[1][:32]
    response = client.post(f"/cases/{new.pk}/act/merge/", {"duplicate_of": original.number, "form_token": token})
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.state == State.REJECTED and new.duplicate_of == original
    assert CaseEvent.objects.filter(case=original, action=CaseAction.MERGE).exists()
    assert Case.objects.filter(state=State.REPORTED).count() == 0
