"""Possible duplicates as anyone may see them while reporting (the public duplicate look-up).

What is shown of a nearby open case is what ``disclosure`` makes public (``public_cases``): its
number, category, public stage, report date, its description only once moderation let it out,
and its first public photo; plus the distance. Never the reporter, their contact or the exact
position (the distance is enough to recognise the place).
"""
from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from jingzhi.cases.selectors import DuplicateCandidate
from jingzhi.disclosure.selectors import public_cases


def candidates_public(candidates: Sequence[DuplicateCandidate]) -> list[dict]:
    """The candidates as the public look-up answers them (three queries whatever their number)."""
    public = public_cases([candidate.case for candidate in candidates])
    return [{
        "number": shown.number,
        "category": shown.category,
        "status": shown.stage,
        "distance_m": round(candidate.distance_m),
        "reported_on": timezone.localdate(shown.created_at),
        "description": shown.description,
        "thumbnail": shown.photos_before[0].url if shown.photos_before else "",
    } for candidate, shown in zip(candidates, public, strict=True)]
