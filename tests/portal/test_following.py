"""“我也遇到了”: a citizen follows an open case instead of reporting it again, and is told (like the
citizen who reported it) when it is filed, handled and closed."""
import pytest
from django.test import Client

from jingzhi.cases.models import CaseFollower, Notification
from jingzhi.cases.selectors import cases_followed_by
from jingzhi.cases.workflow import CaseAction, State

pytestmark = pytest.mark.django_db


def test_a_visitor_is_asked_to_sign_in_first(make_case):
    case = make_case(State.ACCEPTED)
    page = Client().get(f"/p/follow/{case.number}/").content.decode()
    assert "登录后关注" in page and f"/p/login/?next=/p/follow/{case.number}/" in page
    assert "王五" not in page and "13700002222" not in page  # the reporter stays private
    assert "登录后关注" in Client().post(f"/p/follow/{case.number}/").content.decode()  # nobody to follow as
    assert not CaseFollower.objects.exists()


def test_a_citizen_follows_once_and_hears_of_the_milestones(client, staff, make_case):
    case = make_case(State.ACCEPTED)  # reported by staff.citizen
    client.force_login(staff.other_citizen)
    assert client.post(f"/p/follow/{case.number}/").status_code == 302
    assert client.post(f"/p/follow/{case.number}/").status_code == 302  # a double tap: still one
    assert CaseFollower.objects.filter(case=case, user=staff.other_citizen).count() == 1
    assert "您已关注此案件" in client.get(f"/p/follow/{case.number}/").content.decode()
    assert list(cases_followed_by(user=staff.other_citizen)) == [case]

    from jingzhi.cases.acting import case_act
    from tests.cases.conftest import jpeg_with_gps
    steps = [(CaseAction.FILE, staff.chief, {}),
             (CaseAction.DISPATCH, staff.dispatcher, {}),
             (CaseAction.RECEIVE, staff.handler_a, {}),
             (CaseAction.HANDLE, staff.handler_a, {"photos": [("after", jpeg_with_gps())]}),
             (CaseAction.VERIFY_ASSIGN, staff.intake, {"inspector": staff.inspector}),
             (CaseAction.VERIFY_PASS, staff.inspector, {}),
             (CaseAction.CLOSE, staff.chief, {})]
    for action, actor, params in steps:
        case = case_act(case=case, action=action, actor=actor, **params)
    for user in (staff.other_citizen, staff.citizen):  # the follower and the reporter
        kinds = list(Notification.objects.filter(recipient=user, case=case).order_by("id").values_list("kind", flat=True))
        assert kinds == [CaseAction.FILE, CaseAction.HANDLE, CaseAction.CLOSE]


def test_a_finished_case_cannot_be_followed(client, staff, make_case):
    case = make_case(State.CLOSED)
    client.force_login(staff.other_citizen)
    response = client.post(f"/p/follow/{case.number}/", follow=True)
    assert "该案件已办结，无需关注。" in response.content.decode()
    assert not CaseFollower.objects.exists()
    assert Client().get("/p/follow/E01029999010199/").status_code == 404


def test_a_merged_report_s_citizen_follows_the_original(staff, make_case, geography, category):
    from jingzhi.cases.acting import case_act
    from jingzhi.cases.reporting import case_report

    original = make_case(State.ACCEPTED, reporter=staff.inspector)
    lon, lat = geography.inside_a
    duplicate = case_report(reporter=staff.other_citizen, source="citizen", category=category, description="同一处",
                            lon=lon, lat=lat)
    case_act(case=duplicate, action=CaseAction.MERGE, actor=staff.intake, duplicate_of=original)
    assert list(cases_followed_by(user=staff.other_citizen)) == [original]
    case_act(case=original, action=CaseAction.FILE, actor=staff.chief)
    told = Notification.objects.filter(recipient=staff.other_citizen).order_by("id")
    assert [(n.case_id, n.kind) for n in told] == [(duplicate.pk, CaseAction.MERGE), (original.pk, CaseAction.FILE)]
