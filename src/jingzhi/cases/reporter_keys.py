"""An anonymous reporter's key: what stands for a person who reported without signing in.

A member of the public may report on the citizen portal without an account; after the case is closed
they rate it (回访评价) like a signed-in citizen. The portal's receipt carries their key in a private
link (``disclosure:rate-anonymous``); ``acting.case_act`` takes it instead of an actor. The key is an
HMAC of the case under ``SECRET_KEY``: nothing is stored, it cannot be derived from the public 案卷号,
and only an anonymous citizen report has one (a signed-in reporter rates signed in; an app's report
belongs to the app's account). Whoever holds the receipt's link speaks for its reporter, as whoever
holds a 12345 call-back's phone does: the key allows nothing but that one rating of that case.
"""
from __future__ import annotations

from django.utils.crypto import constant_time_compare, salted_hmac

from .models import Case, Source

_SALT = "jingzhi.cases.reporter_key"


def reporter_key(case: Case) -> str:
    """The case's key, or "" when it was not reported anonymously on the portal."""
    if case.reporter_id is not None or case.source != Source.CITIZEN:
        return ""
    return salted_hmac(_SALT, f"{case.pk}:{case.number}", algorithm="sha256").hexdigest()[:32]


def reporter_key_valid(*, case: Case, key: str) -> bool:
    expected = reporter_key(case)
    return bool(expected) and constant_time_compare(expected, key or "")
