"""Moderation writes: screening new citizen text and photos, and the moderators' decisions.

``reviews_screen`` records the automatic check's decision on every new case description and
citizen rating comment (passed: public; failed: held for a moderator) and queues every new citizen
photo for a moderator. It runs every minute (Celery beat) and before the moderation page lists its
queue; until it has run, ``selectors`` applies the same check on the fly, so nothing is public
earlier or later for it. Moderators approve or withhold a text, and approve, withhold or redact a
photo; a redacted photo keeps its original.
"""
from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhi.cases.models import Case, CaseEvent, CasePhoto
from jingzhi.cases.workflow import CaseAction
from jingzhi.core.errors import DomainError, Forbidden
from jingzhi.core.versions import PUBLIC_CASES, data_version_bump
from jingzhi.org.models import Role, User

from .models import PHOTO_SUBJECT, PhotoReview, ReviewStatus, ScreenMark, TextReview, TextSubject
from .redaction import WHOLE, Box, image_redact
from .screening import text_screen
from .selectors import AFTER_KINDS, BEFORE_KINDS, user_moderates

#: Rows screened per kind and run; the rest wait for the next run.
SCREEN_BATCH = 2000
#: How long after its creation a row may still be committed (a slow transaction that took its id
#: before faster ones): the stored mark never passes a row younger than this, so such a row is found
#: by a later run. No request keeps a transaction open for minutes.
SCREEN_SETTLE = dt.timedelta(minutes=10)


class ModerationRefused(DomainError):
    code = "moderation_refused"


def _text_review(*, case_id: int, event_id: int | None, subject: str, text: str, now: dt.datetime) -> TextReview:
    screening = text_screen(text)
    return TextReview(case_id=case_id, event_id=event_id, subject=subject, created_at=now,
                      status=ReviewStatus.PENDING if screening.held else ReviewStatus.APPROVED,
                      reasons=screening.reason_text[:200])


def _citizen_photos():
    return Q(uploaded_by__isnull=True) | Q(event__actor_role=Role.CITIZEN)


@dataclass(frozen=True)
class _Screened:
    """One kind of item the screen goes through: its rows still without a decision, and how to decide."""

    subject: str
    unscreened: Callable[[], QuerySet]  # the rows without a decision, as a queryset of the item's model
    columns: tuple[str, ...]
    decide: Callable[..., TextReview | PhotoReview]


def _screen_kinds(now: dt.datetime) -> tuple[_Screened, ...]:
    descriptions = TextReview.objects.filter(subject=TextSubject.DESCRIPTION)
    comments = TextReview.objects.filter(subject=TextSubject.RATING_COMMENT)
    return (
        _Screened(TextSubject.DESCRIPTION,
                  lambda: Case.objects.filter(~Exists(descriptions.filter(case=OuterRef("pk")))),
                  ("pk", "description"),
                  lambda pk, text: _text_review(case_id=pk, event_id=None, subject=TextSubject.DESCRIPTION,
                                                text=text, now=now)),
        _Screened(TextSubject.RATING_COMMENT,
                  lambda: (CaseEvent.objects.filter(action=CaseAction.EVALUATE, actor_role=Role.CITIZEN)
                           .exclude(comment="").filter(~Exists(comments.filter(event=OuterRef("pk"))))),
                  ("pk", "case_id", "comment"),
                  lambda pk, case_id, text: _text_review(case_id=case_id, event_id=pk,
                                                         subject=TextSubject.RATING_COMMENT, text=text, now=now)),
        _Screened(PHOTO_SUBJECT,
                  lambda: (CasePhoto.objects.filter(kind__in=BEFORE_KINDS + AFTER_KINDS)
                           .filter(_citizen_photos()).filter(review__isnull=True)),
                  ("pk",),
                  lambda pk: PhotoReview(photo_id=pk, status=ReviewStatus.PENDING, created_at=now)),
    )


def _screen_one(kind: _Screened, *, now: dt.datetime) -> int:
    """Decide on the next batch of one kind after its stored mark, then move the mark as far as no
    undecided row lies below it (nor a row young enough to be committed still)."""
    mark, _created = ScreenMark.objects.get_or_create(subject=kind.subject)
    rows = list(kind.unscreened().filter(pk__gt=mark.last_id).order_by("pk").values_list(*kind.columns)
                [:SCREEN_BATCH])
    decisions = [kind.decide(*row) for row in rows]
    if decisions:  # a concurrent run may have recorded some meanwhile: theirs stand (same check, same answer)
        type(decisions[0]).objects.bulk_create(decisions, ignore_conflicts=True)
    settled = kind.unscreened().model.objects.filter(pk__gt=mark.last_id, created_at__lt=now - SCREEN_SETTLE)
    gap = kind.unscreened().filter(pk__gt=mark.last_id).order_by("pk").values_list("pk", flat=True).first()
    if gap is not None:
        settled = settled.filter(pk__lt=gap)
    top = settled.aggregate(top=Max("pk"))["top"]
    if top is not None:
        ScreenMark.objects.filter(subject=kind.subject, last_id__lt=top).update(last_id=top)
    return len(decisions)


def reviews_screen(*, now: dt.datetime | None = None) -> int:
    """Screen what has no decision yet; returns how many decisions were recorded.

    Each kind (descriptions, citizens' rating comments, citizens' photos) is gone through in id order
    from a stored mark (``ScreenMark``), below which every row has its decision: rows reviewed out of
    order (a moderator looking a new case up) or committed late are never stepped over."""
    now = now or timezone.now()
    return sum(_screen_one(kind, now=now) for kind in _screen_kinds(now))


def _require_moderator(user: User) -> None:
    if not user_moderates(user=user):
        raise Forbidden(_("只有受理员、值班长和平台管理员可以审核公开内容。"))


def text_review_decide(*, review: TextReview | int, status: str, user: User,
                       now: dt.datetime | None = None) -> TextReview:
    """A moderator makes a citizen text public (approved) or keeps it private (withheld)."""
    _require_moderator(user)
    if status not in (ReviewStatus.APPROVED, ReviewStatus.WITHHELD):
        raise ModerationRefused(_("文字只能公开或不公开。"))
    with transaction.atomic():
        review = TextReview.objects.select_for_update().get(pk=review.pk if isinstance(review, TextReview)
                                                            else review)
        review.status, review.decided_by, review.decided_at = status, user, now or timezone.now()
        review.save(update_fields=["status", "decided_by", "decided_at"])
        data_version_bump(PUBLIC_CASES)
    return review


def description_review(*, case: Case, now: dt.datetime | None = None) -> TextReview:
    """The decision on a case's description, screened now if no run has reached it yet (so a
    moderator looking a case up can decide on it at once)."""
    review = TextReview.objects.filter(case=case, subject=TextSubject.DESCRIPTION).first()
    if review is None:
        TextReview.objects.bulk_create([_text_review(case_id=case.pk, event_id=None, subject=TextSubject.DESCRIPTION,
                                                     text=case.description, now=now or timezone.now())],
                                       ignore_conflicts=True)
        review = TextReview.objects.get(case=case, subject=TextSubject.DESCRIPTION)
    return review


def photo_review_decide(*, photo: CasePhoto | int, status: str, user: User, box: Box | None = None,
                        now: dt.datetime | None = None) -> PhotoReview:
    """A moderator approves, withholds or redacts a photo (``box``: the area to blur, default the
    whole picture). The original stays as it is for the staff; a redacted copy is what the public sees."""
    _require_moderator(user)
    if status not in (ReviewStatus.APPROVED, ReviewStatus.WITHHELD, ReviewStatus.REDACTED):
        raise ModerationRefused(_("未知的审核结果。"))
    photo = CasePhoto.objects.get(pk=photo.pk if isinstance(photo, CasePhoto) else photo)
    redacted = None
    if status == ReviewStatus.REDACTED:  # the image work before the transaction, like every upload
        with photo.image.open("rb") as handle:
            content, extension = image_redact(handle.read(), box=box or WHOLE)
        redacted = ContentFile(content, name=f"{uuid.uuid4().hex}{extension}")
    now = now or timezone.now()
    with transaction.atomic():
        review, _created = PhotoReview.objects.select_for_update().get_or_create(
            photo=photo, defaults={"status": status, "created_at": now})
        old = review.redacted.name if review.redacted else ""
        review.status, review.decided_by, review.decided_at = status, user, now
        if redacted is not None:
            review.redacted = redacted
        review.save()
        data_version_bump(PUBLIC_CASES)
    if old and old != review.redacted.name:
        review.redacted.storage.delete(old)  # an earlier redaction, replaced
    return review
