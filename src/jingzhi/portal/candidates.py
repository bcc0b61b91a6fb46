"""Possible duplicates as anyone may see them while reporting (the public duplicate look-up).

What is shown of a nearby open case: its number, category, stage, distance and report date,
and a thumbnail only of a photo taken by staff (an inspector's report photo): a citizen's
photo or text is public only after moderation. Never the reporter, their contact or the exact
position (the distance is enough to recognise the place).
"""
from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from jingzhi.cases.models import CasePhoto, PhotoKind
from jingzhi.cases.selectors import DuplicateCandidate
from jingzhi.cases.workflow import OPEN_STATES
from jingzhi.org.models import Role


def photos_public_while_open() -> QuerySet[CasePhoto]:
    """Report photos of open cases that staff took, with a thumbnail: the ones a candidate shows."""
    return (CasePhoto.objects.filter(kind=PhotoKind.REPORT, case__state__in=OPEN_STATES, uploaded_by__isnull=False)
            .exclude(event__actor_role=Role.CITIZEN).exclude(thumbnail=""))


def candidates_public(candidates: Sequence[DuplicateCandidate]) -> list[dict]:
    """The candidates as the public look-up answers them (one query for all their photos)."""
    thumbnails: dict[int, int] = {}
    for case_id, photo_id in (photos_public_while_open().filter(case_id__in=[c.case.pk for c in candidates])
                              .order_by("-id").values_list("case_id", "id")):
        thumbnails[case_id] = photo_id  # the earliest photo wins
    return [{
        "number": c.case.number,
        "category": c.case.category.label,
        "status": c.case.get_state_display(),
        "distance_m": round(c.distance_m),
        "reported_on": timezone.localdate(c.case.created_at),
        "description": "",
        "thumbnail": (reverse("portal:candidate-photo", args=[thumbnails[c.case.pk]])
                      if c.case.pk in thumbnails else ""),
    } for c in candidates]
