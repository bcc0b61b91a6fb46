"""The moderation queue misses nothing: the automatic screen never steps over a row (reviewed out
of order, or committed late), and a moderator walking the queue's pages while others decide sees
every held item."""
import datetime as dt
import re

import pytest
from django.utils import timezone

from jingzhi.cases.models import Case
from jingzhi.disclosure import services
from jingzhi.disclosure.models import ReviewStatus, ScreenMark, TextReview, TextSubject
from jingzhi.disclosure.services import description_review, reviews_screen, text_review_decide
from jingzhi.disclosure.views import MODERATION_PAGE_SIZE

pytestmark = pytest.mark.django_db

HELD = "有人骂街：傻逼"


def _copy(case: Case, *, pk: int, created_at=None) -> Case:
    """The same case row under another id: rows whose ids came in another order than they were
    screened (a bulk load, a transaction that took its id early and committed late)."""
    values = Case.objects.filter(pk=case.pk).values().get()
    values.update(id=pk, number=f"{case.number[:-4]}{pk % 10000:04d}X", created_at=created_at or case.created_at)
    return Case.objects.create(**values)


def _screened(*cases) -> set[int]:
    return set(TextReview.objects.filter(subject=TextSubject.DESCRIPTION, case__in=cases).values_list("case_id", flat=True))


def test_a_case_looked_up_first_does_not_make_the_screen_skip_older_ones(make_case):
    older = make_case()
    newer = _copy(older, pk=older.pk + 5000)  # far above: the old screen looked back 1,000 ids only
    description_review(case=newer)  # a moderator looked the new case up before any run
    reviews_screen()
    assert _screened(older, newer) == {older.pk, newer.pk}


def test_a_row_committed_late_below_screened_ones_is_still_screened(make_case):
    first = make_case()
    high = _copy(first, pk=first.pk + 5000)
    reviews_screen()
    assert _screened(first, high) == {first.pk, high.pk}
    late = _copy(first, pk=first.pk + 2500)  # took its id before `high`, committed after the run
    reviews_screen()
    assert late.pk in _screened(late)


def test_the_mark_moves_only_over_settled_rows_with_their_decisions(make_case, monkeypatch):
    now = timezone.now()
    old = make_case(now=now - dt.timedelta(hours=2))
    young = _copy(old, pk=old.pk + 10, created_at=now)
    monkeypatch.setattr(services, "SCREEN_BATCH", 1)  # one row a run: the mark follows the batches
    reviews_screen(now=now)
    assert ScreenMark.objects.get(subject=TextSubject.DESCRIPTION).last_id == old.pk
    reviews_screen(now=now)
    assert _screened(old, young) == {old.pk, young.pk}
    # the young row has its decision, but a row younger than SCREEN_SETTLE may still have a slower
    # neighbour below it: the mark waits until it has settled
    assert ScreenMark.objects.get(subject=TextSubject.DESCRIPTION).last_id == old.pk
    reviews_screen(now=now + services.SCREEN_SETTLE + dt.timedelta(seconds=1))
    assert ScreenMark.objects.get(subject=TextSubject.DESCRIPTION).last_id == young.pk


def _page(client, url):
    html = client.get(url).content.decode()
    ids = [int(pk) for pk in re.findall(r'<tr data-review="(\d+)"', html)]
    following = re.search(r'<a href="([^"]+)" rel="next">', html)
    return ids, following.group(1).replace("&amp;", "&") if following else None


def test_walking_the_pages_while_another_moderator_decides_misses_nothing(client, make_case, staff):
    count = 2 * MODERATION_PAGE_SIZE + 5
    for _ in range(count):
        make_case(description=HELD)
    reviews_screen()
    held = list(TextReview.objects.filter(status=ReviewStatus.PENDING).order_by("created_at", "id")
                .values_list("pk", flat=True))
    assert len(held) == count

    client.force_login(staff.intake)
    seen, url = [], "/disclosure/moderation/?tab=texts"
    first, url = _page(client, url)
    assert first == held[:MODERATION_PAGE_SIZE]
    seen += first
    # meanwhile the 值班长 approves the first half of that page (an offset would now skip ten items)
    decided_by_other = held[:MODERATION_PAGE_SIZE // 2]
    for pk in decided_by_other:
        text_review_decide(review=pk, status=ReviewStatus.APPROVED, user=staff.chief)
    while url:
        ids, url = _page(client, url)
        seen += ids
    assert seen == held  # every item once, in order
    assert set(seen) | set(decided_by_other) == set(held)


def test_deciding_on_a_later_page_keeps_the_moderator_on_it(client, make_case, staff):
    for _ in range(MODERATION_PAGE_SIZE + 3):
        make_case(description=HELD)
    reviews_screen()
    held = list(TextReview.objects.filter(status=ReviewStatus.PENDING).order_by("created_at", "id")
                .values_list("pk", flat=True))
    client.force_login(staff.intake)
    _ids, second = _page(client, "/disclosure/moderation/?tab=texts")
    ids, _next = _page(client, second)
    assert ids == held[MODERATION_PAGE_SIZE:]
    page = client.get(second).content.decode()
    token = re.search(r'name="form_token" value="([0-9a-f]{32})"', page).group(1)
    answer = client.post(f"/disclosure/moderation/texts/{ids[0]}/", {
        "status": "approved", "next": second, "form_token": token})
    assert answer.status_code == 302 and answer["Location"] == second
    remaining, _next = _page(client, second)
    assert remaining == held[MODERATION_PAGE_SIZE + 1:]
    assert "第 21–22 条，共 22 条" in client.get(second).content.decode()
