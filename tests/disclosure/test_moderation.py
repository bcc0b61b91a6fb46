"""Moderation: citizen photos wait for a moderator; a redaction keeps the original; the queue page
serves the moderators only, pages its queue and reads it in a fixed number of queries."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jingzhi.cases.acting import case_act
from jingzhi.cases.models import CasePhoto, PhotoKind
from jingzhi.cases.reporting import case_report
from jingzhi.cases.workflow import State
from jingzhi.core.errors import Forbidden
from jingzhi.disclosure.models import PhotoReview, ReviewStatus, TextReview
from jingzhi.disclosure.redaction import Box
from jingzhi.disclosure.selectors import public_case
from jingzhi.disclosure.services import photo_review_decide, reviews_screen
from jingzhi.org.models import Role

pytestmark = pytest.mark.django_db


def citizen_report(staff, geography, category, photo, description="井盖丢了"):
    return case_report(reporter=staff.citizen, source="citizen", category=category, description=description,
                       lon=geography.inside_a[0], lat=geography.inside_a[1], photos=[photo()])


def pixels(content: bytes) -> Image.Image:
    return Image.open(io.BytesIO(content)).convert("RGB")


def test_a_citizen_photo_is_public_only_once_approved(staff, geography, category, photo, client):
    case = citizen_report(staff, geography, category, photo)
    shot = case.photos.get()
    assert public_case(case).photos_before == ()
    assert client.get(f"/p/photos/{shot.pk}/").status_code == 404
    reviews_screen()
    assert PhotoReview.objects.get(photo=shot).status == ReviewStatus.PENDING
    assert client.get(f"/p/photos/{shot.pk}/").status_code == 404
    photo_review_decide(photo=shot, status=ReviewStatus.APPROVED, user=staff.chief)
    assert [item.url for item in public_case(case).photos_before] == [f"/p/photos/{shot.pk}/"]
    assert client.get(f"/p/photos/{shot.pk}/").status_code == 200
    photo_review_decide(photo=shot, status=ReviewStatus.WITHHELD, user=staff.intake)
    assert client.get(f"/p/photos/{shot.pk}/").status_code == 404
    with pytest.raises(Forbidden):
        photo_review_decide(photo=shot, status=ReviewStatus.APPROVED, user=staff.dispatcher)
    assert PhotoReview.objects.get(photo=shot).status == ReviewStatus.WITHHELD


def test_a_staff_photo_is_public_unless_withheld_and_a_check_photo_never(staff, make_case, photo, client):
    case = make_case(State.CLOSED)
    after = case.photos.get(kind=PhotoKind.AFTER)
    assert client.get(f"/p/photos/{after.pk}/").status_code == 200
    reviews_screen()
    assert not PhotoReview.objects.filter(photo=after).exists()  # nothing to wait for
    photo_review_decide(photo=after, status=ReviewStatus.WITHHELD, user=staff.chief)
    assert client.get(f"/p/photos/{after.pk}/").status_code == 404 and public_case(case).photos_after == ()
    check = make_case(State.HANDLED)
    check = case_act(case=check, action="verify_assign", actor=staff.intake, inspector=staff.inspector)
    check = case_act(case=check, action="verify_pass", actor=staff.inspector,
                     photos=[(PhotoKind.CHECK, photo())])
    check_photo = check.photos.get(kind=PhotoKind.CHECK)
    assert client.get(f"/p/photos/{check_photo.pk}/").status_code == 404


def test_redaction_blurs_the_public_copy_and_keeps_the_original(staff, geography, category, client):
    image = Image.new("RGB", (200, 100), (255, 255, 255))
    for x in range(0, 200, 2):  # sharp stripes: blurring turns them grey
        for y in range(100):
            image.putpixel((x, y), (0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    upload = SimpleUploadedFile("stripes.png", buffer.getvalue(), content_type="image/png")
    case = case_report(reporter=staff.citizen, source="citizen", category=category, description="车牌",
                       lon=geography.inside_a[0], lat=geography.inside_a[1], photos=[upload])
    shot = case.photos.get()
    original = shot.image.read()
    review = photo_review_decide(photo=shot, status=ReviewStatus.REDACTED, user=staff.intake,
                                 box=Box(left=0, top=0, width=50, height=100))
    shot.refresh_from_db()
    assert shot.image.read() == original  # the original is untouched
    client.force_login(staff.chief)
    assert b"".join(client.get(f"/cases/photos/{shot.pk}/").streaming_content) == original  # staff see it
    client.logout()
    public = b"".join(client.get(f"/p/photos/{shot.pk}/").streaming_content)
    assert public != original and public == review.redacted.read()
    copy = pixels(public)
    left = [copy.getpixel((x, 50))[0] for x in range(20, 80)]
    right = [copy.getpixel((x, 50))[0] for x in range(120, 180)]
    assert max(left) - min(left) < 60  # blurred: the stripes are gone
    assert max(right) - min(right) > 150  # outside the box: still sharp
    first = review.redacted.name
    review = photo_review_decide(photo=shot, status=ReviewStatus.REDACTED, user=staff.intake)  # whole picture
    assert review.redacted.name != first and not review.redacted.storage.exists(first)


def test_the_moderation_page_serves_moderators_and_decides(staff, make_case, make_user, client,
                                                           django_assert_max_num_queries):
    held = [make_case(State.REPORTED, description=f"第{n}个傻逼乱停车") for n in range(23)]
    make_case(State.REPORTED, description="路灯不亮")
    for user in (staff.dispatcher, staff.handler_a, staff.citizen, staff.leader):
        client.force_login(user)
        assert client.get("/disclosure/moderation/").status_code == 403
    client.logout()
    assert client.get("/disclosure/moderation/").status_code == 302
    client.force_login(staff.intake)
    page = client.get("/disclosure/moderation/").content.decode()  # screens on the way in
    assert 'data-count="texts">23<' in page and page.count("data-review=") == 20 and "第 1–20 条，共 23 条" in page
    assert "路灯不亮" not in page and "不文明用语：傻逼" in page
    after = TextReview.objects.get(case=held[19]).pk  # the next page continues after the page's last item
    assert f'?tab=texts&amp;after={after}" rel="next"' in page
    with django_assert_max_num_queries(21):  # the screen (4–5 a kind), the page (6): none per row
        second = client.get(f"/disclosure/moderation/?tab=texts&after={after}").content.decode()
    assert second.count("data-review=") == 3
    review = TextReview.objects.get(case=held[0])
    response = client.post(f"/disclosure/moderation/texts/{review.pk}/", {"status": "approved"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.decided_by) == (ReviewStatus.APPROVED, staff.intake)
    assert "第0个傻逼乱停车" in client.get(f"/p/cases/{held[0].number}/").content.decode()
    assert client.post(f"/disclosure/moderation/texts/{review.pk}/", {"status": "gone"}).status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED
    client.force_login(staff.dispatcher)
    assert client.post(f"/disclosure/moderation/texts/{review.pk}/", {"status": "withheld"}).status_code == 403
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED
    admin = make_user(Role.PLATFORM_ADMIN, username="root")
    client.force_login(admin)
    lookup = client.get("/disclosure/moderation/", {"number": held[1].number}).content.decode()
    assert "第1个傻逼乱停车" in lookup


def test_the_photo_form_refuses_a_half_given_area(staff, geography, category, photo, client):
    shot = citizen_report(staff, geography, category, photo).photos.get()
    client.force_login(staff.chief)
    response = client.post(f"/disclosure/moderation/photos/{shot.pk}/",
                           {"status": "redacted", "left": "10"}, follow=True)
    assert "打码区域须同时填写" in response.content.decode()
    assert not PhotoReview.objects.filter(photo=shot).exclude(status=ReviewStatus.PENDING).exists()
    response = client.post(f"/disclosure/moderation/photos/{shot.pk}/",
                           {"status": "redacted", "left": "10", "top": "10", "width": "500", "height": "5"},
                           follow=True)
    assert "打码区域宽度（%）" in response.content.decode()
    response = client.post(f"/disclosure/moderation/photos/{shot.pk}/", {"status": "redacted"}, follow=True)
    assert response.status_code == 200 and PhotoReview.objects.get(photo=shot).status == ReviewStatus.REDACTED
    assert CasePhoto.objects.get(pk=shot.pk).image.name == shot.image.name
