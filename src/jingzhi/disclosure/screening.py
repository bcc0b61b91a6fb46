"""The automatic check of citizen text before it may be public. Pure: no database.

A text passes when it holds no word of the shipped list (``data/disclosure/offensive-words.txt``)
and no personal data a citizen may have typed in (a mobile or landline number, an ID-card number).
A text that fails is *held*: it stays private until a moderator approves it. The list is matched
after folding case and dropping spaces and punctuation, so a word padded with spaces or dots
("傻 逼", "f.u.c.k") does not slip through; the personal-data patterns run on the text as written.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

#: The shipped word list; the city edits it (one word a line, ``#`` comments).
WORDS_FILE = Path(settings.DATA_DIR) / "disclosure" / "offensive-words.txt"

#: A mainland mobile number, a landline with area code, an 18-digit ID-card number (not inside longer digit runs).
PERSONAL_DATA = re.compile(
    r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{17}[\dXx])(?![\dXx])")


def _fold(text: str) -> str:
    """Lower case, full-width folded to half-width, without spaces, punctuation or symbols."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(char for char in text if unicodedata.category(char)[0] in "LN")


def words_parse(text: str) -> tuple[str, ...]:
    """The words of a list file's text: one a line, blank lines and ``#`` comments skipped, folded,
    without duplicates, in file order."""
    words = (_fold(line) for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    return tuple(dict.fromkeys(word for word in words if word))


@functools.cache
def offensive_words() -> tuple[str, ...]:
    """The loader of the shipped list (read once per process)."""
    return words_parse(WORDS_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Screening:
    """The check's answer: ``held`` with the reasons a moderator sees, or passed."""

    reasons: tuple[str, ...] = ()

    @property
    def held(self) -> bool:
        return bool(self.reasons)

    @property
    def reason_text(self) -> str:
        return "；".join(self.reasons)


def text_screen(text: str, *, words: tuple[str, ...] | None = None) -> Screening:
    """Check one text against the word list (``words``, default the shipped one) and personal data."""
    words = offensive_words() if words is None else words
    folded = _fold(text)
    found = [word for word in words if word in folded]
    reasons = []
    if found:
        reasons.append(_("不文明用语：%(words)s") % {"words": "、".join(found[:5])})
    if PERSONAL_DATA.search(text):
        reasons.append(_("含电话号码或身份证号"))
    return Screening(tuple(reasons))
