"""The one rule of what is public (``disclosure.selectors.public_case``) and the pages that show it:
/p/track/ and /p/cases/<number>/. No person appears; citizen text only once screened or approved."""
import json

import pytest

from jingzhi.cases.models import Case
from jingzhi.cases.workflow import State
from jingzhi.disclosure.models import ReviewStatus, TextReview
from jingzhi.disclosure.selectors import PUBLIC_STAGE_OF, public_case, public_cases
from jingzhi.disclosure.services import reviews_screen, text_review_decide

from .conftest import assert_nothing_personal

pytestmark = pytest.mark.django_db


def test_every_state_has_a_public_stage():
    assert set(PUBLIC_STAGE_OF) == set(State.values)


def test_a_closed_case_page_shows_its_public_timeline_and_nobody(staff, make_case, client, clock):
    clock.set("2024-06-07 09:00")  # a Friday morning; every step is taken at that instant
    case = make_case(State.CLOSED, description="人行道上有暴露垃圾")
    response = client.get(f"/p/cases/{case.number}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert_nothing_personal(page)
    assert "人行道上有暴露垃圾" in page and "测试甲区" in page
    public = public_case(case)
    # report → 受理 → 立案 → 派遣/签收/处置 (one public stage) → 核查 (派发/通过) → 结案
    assert [step.label for step in public.steps] == ["已收到", "已受理", "已立案", "处置中", "核查中", "已办结"]
    assert {step["at"] for step in public.as_dict()["steps"]} == {"2024-06-07T09:00:00+08:00"}
    assert (public.status, public.stage, public.expected_at) == ("closed", "已办结", None)
    assert len(public.photos_after) == 1 and public.photos_before == ()  # the handler's photo, once closed
    assert_nothing_personal(json.dumps(public.as_dict(), ensure_ascii=False))
    assert client.get(public.photos_after[0].url).status_code == 200


def test_an_open_case_shows_its_expected_date_and_no_result_photo(staff, make_case, client, clock):
    clock.set("2024-06-07 15:00")  # Friday; 2 working days of 处置 (the weekend, 端午节 Monday off) → Wed 15:00
    handled = make_case(State.HANDLED)
    public = public_case(handled)
    assert (public.status, public.stage) == ("open", "核查中")
    assert public.photos_after == ()  # 处置后 photos wait for the closure (核查 may send it back)
    dispatched = make_case(State.DISPATCHED)
    assert public_case(dispatched).as_dict()["expected_at"] == "2024-06-12T15:00:00+08:00"
    page = client.get(f"/p/cases/{dispatched.number}/").content.decode()
    assert "2024-06-12 15:00" in page and "处置中" in page
    assert_nothing_personal(page)


def test_track_leads_from_a_number_to_its_page(make_case, client):
    case = make_case(State.FILED)
    response = client.get("/p/track/", {"number": f" {case.number.lower()} "})
    assert response.status_code == 302 and response["Location"] == f"/p/cases/{case.number}/"
    missing = client.get("/p/track/", {"number": "E0102209901019"})
    assert missing.status_code == 404 and "没有找到编号为 E0102209901019 的案件" in missing.content.decode()
    empty = client.get("/p/track/", {"number": ""})
    assert empty.status_code == 400 and "请输入案件编号" in empty.content.decode()
    assert client.get("/p/track/").status_code == 200
    assert client.get("/p/cases/E0102209901019/").status_code == 404
    too_long = client.get("/p/track/", {"number": "E" * 5000})
    assert too_long.status_code == 404


@pytest.mark.parametrize("description", ["这个傻 逼摊贩天天占道", "请打我电话13912345678联系", "FUCK this mess"])
def test_held_text_is_never_public_until_a_moderator_approves_it(staff, make_case, client, description):
    case = make_case(State.ACCEPTED, description=description)
    assert public_case(case).description == ""  # before any screening run: the same check on the fly
    assert description not in client.get(f"/p/cases/{case.number}/").content.decode()
    assert reviews_screen() >= 1
    review = TextReview.objects.get(case=case)
    assert review.status == ReviewStatus.PENDING and review.reasons and review.decided_by is None
    text_review_decide(review=review, status=ReviewStatus.WITHHELD, user=staff.intake)
    assert public_case(case).description == "" and public_cases(Case.objects.filter(pk=case.pk))[0].description == ""
    text_review_decide(review=review, status=ReviewStatus.APPROVED, user=staff.intake)
    assert public_case(case).description == description
    assert description in client.get(f"/p/cases/{case.number}/").content.decode().replace("<br>", "")


def test_clean_text_passes_the_automatic_check_and_a_moderator_may_still_withhold_it(staff, make_case):
    case = make_case(State.REPORTED, description="路灯不亮")
    assert public_case(case).description == "路灯不亮"
    reviews_screen()
    review = TextReview.objects.get(case=case)
    assert (review.status, review.decided_by) == (ReviewStatus.APPROVED, None)
    text_review_decide(review=review, status=ReviewStatus.WITHHELD, user=staff.intake)
    assert public_case(case).description == ""


def test_public_cases_reads_many_cases_in_three_queries(make_case, django_assert_num_queries):
    for _ in range(4):
        make_case(State.CLOSED)
    with django_assert_num_queries(3):
        listed = public_cases(Case.objects.order_by("pk"))
    assert len(listed) == 4 and all(item.photos_after for item in listed)
