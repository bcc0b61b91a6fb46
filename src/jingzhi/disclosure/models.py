"""What of a case may be public: the moderation decisions on citizen text and photos.

A decision row exists once an item has been screened (``services.reviews_screen``) or decided by a
moderator; the rule reading them is ``selectors`` (the one home of what is public). The original
text and photo are never changed: a withheld text stays in the case, a redacted photo keeps its
original next to the public copy.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingzhi.cases.models import Case, CaseEvent, CasePhoto


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("公开")
    WITHHELD = "withheld", _("不公开")
    REDACTED = "redacted", _("打码后公开")  # photos only


class TextSubject(models.TextChoices):
    DESCRIPTION = "description", _("问题描述")
    RATING_COMMENT = "rating_comment", _("评价意见")


class Review(models.Model):
    """A decision: the automatic check's (``decided_by`` null) or a moderator's."""

    status = models.CharField(_("审核结果"), max_length=10, choices=ReviewStatus.choices)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        abstract = True


class TextReview(Review):
    """The decision on one citizen text: a case's description or the comment of a rating (its event)."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(CaseEvent, verbose_name=_("评价"), null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")
    subject = models.CharField(_("内容"), max_length=20, choices=TextSubject.choices)
    #: Why the automatic check held it (shown to moderators only).
    reasons = models.CharField(_("自动审核提示"), max_length=200, blank=True)

    class Meta(Review.Meta):
        verbose_name = _("文字审核")
        verbose_name_plural = _("文字审核")
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(subject="description"),
                                    name="unique_description_review"),
            models.UniqueConstraint(fields=["event"], condition=Q(event__isnull=False),
                                    name="unique_rating_comment_review"),
        ]
        indexes = [models.Index(fields=["created_at"], name="text_review_pending",
                                condition=Q(status="pending"))]


class PhotoReview(Review):
    """The decision on one case photo; ``redacted`` is the public copy of a redacted photo."""

    photo = models.OneToOneField(CasePhoto, verbose_name=_("照片"), on_delete=models.CASCADE, related_name="review")
    redacted = models.ImageField(_("打码照片"), upload_to="disclosure/%Y/%m/", blank=True)

    class Meta(Review.Meta):
        verbose_name = _("照片审核")
        verbose_name_plural = _("照片审核")
        indexes = [models.Index(fields=["created_at"], name="photo_review_pending",
                                condition=Q(status="pending"))]


#: ``ScreenMark.subject`` of citizens' photos (the texts use ``TextSubject``).
PHOTO_SUBJECT = "photo"


class ScreenMark(models.Model):
    """How far the automatic screen (``services.reviews_screen``) has gone through one kind of item:
    every row with an id up to ``last_id`` has its decision. Stored, not derived from the decisions,
    because decisions are also made out of order (a moderator looking a new case up)."""

    subject = models.CharField(_("内容"), max_length=20, primary_key=True)
    last_id = models.BigIntegerField(_("已审至"), default=0)

    class Meta:
        verbose_name = _("自动审核进度")
        verbose_name_plural = _("自动审核进度")

    def __str__(self) -> str:
        return f"{self.subject} ≤ {self.last_id}"
