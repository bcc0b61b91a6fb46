"""Mainland mobile numbers as citizens type them: the one rule that reads and checks them (no DB).

A number is stored and compared as its 11 digits (``13800138000``). People type it with spaces or
dashes (``138 0013 8000``), with the country code (``+86``, ``0086``) or with full-width digits
from a Chinese input method; all of these read as the same number. Anything else is refused.
"""
from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: 11 digits starting 13–19: every mainland mobile (and IoT-free) number block.
MOBILE = re.compile(r"1[3-9]\d{9}")
#: Longest input read at all: a number with its country code and separators.
MAX_INPUT_LENGTH = 24


def phone_normalise(text: str) -> str:
    """The 11-digit mobile number in ``text``; ``ValidationError`` on the ``phone`` field otherwise."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if len(text) <= MAX_INPUT_LENGTH:
        digits = re.sub(r"[\s\-()]", "", text)
        digits = re.sub(r"^(\+86|0086|86)(?=\d{11}$)", "", digits)
        if MOBILE.fullmatch(digits):
            return digits
    raise ValidationError({"phone": [_("请输入 11 位中国大陆手机号。")]})
