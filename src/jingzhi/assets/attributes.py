"""Attribute values of an asset checked against its kind: a pure core with no database.

Values arrive typed (from the API, from an Excel cell) or as text (from a CSV file or a form); each
is turned into its JSON form — text, int, float, bool, ISO date string, a choice's stored value, a
list of choices — or refused with a message naming the attribute. The import, the services and the
forms all call `attributes_clean`, so "what is a valid toilet" is written once.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from jingzhi.core.limits import DATE_MAX, DATE_MIN, SHORT_TEXT

from .kinds import AssetKind, AttributeSpec

TRUE_WORDS = frozenset({"是", "有", "true", "yes", "y", "1", "√"})
FALSE_WORDS = frozenset({"否", "无", "false", "no", "n", "0", "×"})
#: Separators between the values of a multiple choice in one text cell.
MULTI_SEPARATORS = re.compile(r"[|,，、;；\s]+")
#: Numbers beyond this are typos (no asset attribute counts past a billion).
NUMBER_MAX = 1e9


class AttributeInvalid(ValueError):
    """One attribute's value is unusable: ``name`` is the attribute, ``str(error)`` the message."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(spec: AttributeSpec, value):
    if isinstance(value, bool):
        raise AttributeInvalid(spec.name, _("须为数字。"))
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise AttributeInvalid(spec.name, _("须为数字。")) from None
    if not number.is_finite() or abs(number) > NUMBER_MAX:
        raise AttributeInvalid(spec.name, _("数值超出范围。"))
    if number < 0:
        raise AttributeInvalid(spec.name, _("不能为负数。"))
    if spec.type == "int":
        if number != number.to_integral_value():
            raise AttributeInvalid(spec.name, _("须为整数。"))
        return int(number)
    result = float(number)
    return int(result) if result.is_integer() else result


def _bool(spec: AttributeSpec, value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and not (isinstance(value, float) and math.isnan(value)) and value in (0, 1):
        return bool(value)
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise AttributeInvalid(spec.name, _("须为“是”或“否”。"))


def _date(spec: AttributeSpec, value) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip().replace("/", "-"))
        except ValueError:
            raise AttributeInvalid(spec.name, _("日期格式须为 YYYY-MM-DD。")) from None
    if not DATE_MIN <= value <= DATE_MAX:
        raise AttributeInvalid(spec.name, _("日期须在 2000 年至 2099 年之间。"))
    return value.isoformat()


def _choice(spec: AttributeSpec, value) -> str:
    word = str(value).strip()
    by_label = {label: choice for choice, label in spec.choice_labels}
    if word in spec.choices:
        return word
    if word in by_label:
        return by_label[word]
    allowed = "、".join(spec.choice_label(choice) for choice in spec.choices)
    raise AttributeInvalid(spec.name, _("须为以下之一：%(allowed)s。") % {"allowed": allowed})


def _multichoice(spec: AttributeSpec, value) -> list[str]:
    words = value if isinstance(value, list | tuple) else [w for w in MULTI_SEPARATORS.split(str(value)) if w]
    chosen = {_choice(spec, word) for word in words}
    return [choice for choice in spec.choices if choice in chosen]


def _text(spec: AttributeSpec, value) -> str:
    text = str(value).strip()
    if len(text) > SHORT_TEXT:
        raise AttributeInvalid(spec.name, _("不能超过 %(limit)d 个字符。") % {"limit": SHORT_TEXT})
    return text


_PARSERS = {"text": _text, "int": _number, "decimal": _number, "bool": _bool, "date": _date,
            "choice": _choice, "multichoice": _multichoice}


def attribute_value(spec: AttributeSpec, value):
    """One value in its stored form, None when blank; AttributeInvalid when unusable."""
    if _blank(value) or (isinstance(value, list | tuple) and not value):
        return None
    return _PARSERS[spec.type](spec, value)


def attributes_parse(kind: AssetKind, raw: dict) -> tuple[dict, list[AttributeInvalid]]:
    """The complete attributes of an asset of ``kind`` from ``raw`` (blanks dropped, derived values
    computed) and every problem found, in the kind's attribute order (unknown names first)."""
    errors = [AttributeInvalid(name, _("“%(name)s”不是该类台账的属性。") % {"name": name})
              for name in raw if kind.attribute(name) is None]
    cleaned = {}
    for spec in kind.attributes:
        if spec.derived:
            continue
        try:
            value = attribute_value(spec, raw.get(spec.name))
        except AttributeInvalid as error:
            errors.append(error)
            continue
        if value is not None:
            cleaned[spec.name] = value
        elif spec.required:
            errors.append(AttributeInvalid(spec.name, _("必填。")))
    for spec in kind.attributes:
        if spec.derived:
            source = cleaned.get(spec.derived.source)
            cleaned[spec.name] = source is not None and source >= spec.derived.at_least
    return cleaned, errors


def attributes_clean(kind: AssetKind, raw: dict) -> dict:
    """`attributes_parse` for one asset: the cleaned attributes, or AttributeInvalid for the first problem."""
    cleaned, errors = attributes_parse(kind, raw)
    if errors:
        raise errors[0]
    return cleaned
