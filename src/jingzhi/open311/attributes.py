"""The extra fields (Open311 "attributes") some small classes ask for: ``data/open311/attributes.yaml``.

The file is read once per process (``service_attributes``) and checked as it is read: a bad file
fails at the first request that needs it, and in its test, never silently. ``attribute_values_clean``
turns a POST's ``attribute[CODE]`` fields into the values kept on the case, or refuses them.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")
LIST_TYPES = ("singlevaluelist", "multivaluelist")
#: The longest free text an attribute takes when its definition names no ``max_length``.
TEXT_MAX_LENGTH = 4000


class AttributesFileError(ValueError):
    """The attributes file is inconsistent; the message says where."""


def _in_language(chinese: str, english: str) -> str:
    return english if english and (get_language() or "").startswith("en") else chinese


@dataclass(frozen=True)
class AttributeValue:
    key: str
    name_zh: str
    name_en: str = ""

    @property
    def name(self) -> str:
        return _in_language(self.name_zh, self.name_en)


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str
    required: bool
    order: int
    description_zh: str
    description_en: str = ""
    datatype_description: str = ""
    values: tuple[AttributeValue, ...] = ()
    max_length: int = TEXT_MAX_LENGTH
    min: float | None = None
    max: float | None = None

    @property
    def description(self) -> str:
        return _in_language(self.description_zh, self.description_en)


def _attribute(entry: dict, where: str) -> Attribute:
    where = f"{where} {entry.get('code')}"
    if entry.get("datatype") not in DATATYPES:
        raise AttributesFileError(f"{where}: datatype must be one of {DATATYPES}")
    if not isinstance(entry.get("order"), int) or entry["order"] < 1:
        raise AttributesFileError(f"{where}: order is a positive integer")
    values = tuple(AttributeValue(key=str(value["key"]), name_zh=value["name"], name_en=value.get("name_en", ""))
                   for value in entry.get("values") or ())
    if (entry["datatype"] in LIST_TYPES) != bool(values):
        raise AttributesFileError(f"{where}: list datatypes, and only they, have values")
    if len({value.key for value in values}) != len(values):
        raise AttributesFileError(f"{where}: value keys repeat")
    return Attribute(
        code=str(entry["code"]), datatype=entry["datatype"], required=bool(entry.get("required")),
        order=entry["order"], description_zh=entry["description"], description_en=entry.get("description_en", ""),
        datatype_description=entry.get("datatype_description", ""), values=values,
        max_length=int(entry.get("max_length", TEXT_MAX_LENGTH)), min=entry.get("min"), max=entry.get("max"),
    )


def attributes_read(path: Path) -> dict[str, tuple[Attribute, ...]]:
    """service_code → its attributes in ``order``; raises AttributesFileError for a bad file."""
    document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    services = {}
    for service_code, entries in (document.get("services") or {}).items():
        attributes = tuple(sorted((_attribute(entry, str(service_code)) for entry in entries),
                                  key=lambda attribute: attribute.order))
        for field in ("code", "order"):
            if len({getattr(attribute, field) for attribute in attributes}) != len(attributes):
                raise AttributesFileError(f"{service_code}: attribute {field}s repeat")
        services[str(service_code)] = attributes
    return services


@functools.cache
def service_attributes() -> dict[str, tuple[Attribute, ...]]:
    """The shipped file's definitions (read once per process)."""
    return attributes_read(settings.DATA_DIR / "open311" / "attributes.yaml")


def _value_clean(attribute: Attribute, values: list[str]):
    """One attribute's submitted values as kept on the case; raises ValidationError."""
    if attribute.datatype == "multivaluelist":
        unknown = [value for value in values if value not in {v.key for v in attribute.values}]
        if unknown:
            raise ValidationError(_("不是可选的值：%(values)s。") % {"values": "、".join(unknown[:5])})
        return sorted(set(values))
    if len(values) > 1:
        raise ValidationError(_("只能填一个值。"))
    value = values[0].strip()
    if attribute.datatype == "singlevaluelist":
        if value not in {v.key for v in attribute.values}:
            raise ValidationError(_("不是可选的值：%(values)s。") % {"values": value[:50]})
        return value
    if attribute.datatype == "number":
        try:
            number = float(value)
        except ValueError:
            raise ValidationError(_("应为数字。")) from None
        if number != number or (attribute.min is not None and number < attribute.min) or (
                attribute.max is not None and number > attribute.max):
            raise ValidationError(_("应在 %(min)s 至 %(max)s 之间。") % {"min": attribute.min, "max": attribute.max})
        return number
    if attribute.datatype == "datetime":
        moment = parse_datetime(value)
        if moment is None or moment.tzinfo is None:
            raise ValidationError(_("应为带时区的时间，如 2018-09-30T08:00:00+08:00。"))
        return moment.astimezone(dt.UTC).isoformat()
    if len(value) > attribute.max_length:
        raise ValidationError(_("最多 %(count)d 个字符。") % {"count": attribute.max_length})
    return value


def attribute_values_clean(attributes: tuple[Attribute, ...], submitted: dict[str, list[str]]) -> dict:
    """``attribute[CODE]`` fields (code → the values sent, empty ones dropped) as kept on the case.

    Raises ValidationError keyed ``attribute[CODE]`` for a missing required value, a value not in
    the list, a bad number or date, text too long, or a code the service does not define.
    """
    known = {attribute.code: attribute for attribute in attributes}
    errors, cleaned = {}, {}
    for code in submitted:
        if code not in known:
            errors[f"attribute[{code[:50]}]"] = [_("该服务没有这个附加字段。")]
    for attribute in attributes:
        values = [value for value in submitted.get(attribute.code, []) if value.strip()]
        if not values:
            if attribute.required:
                errors[f"attribute[{attribute.code}]"] = [_("必填：%(field)s。") % {"field": attribute.description}]
            continue
        try:
            cleaned[attribute.code] = _value_clean(attribute, values)
        except ValidationError as error:
            errors[f"attribute[{attribute.code}]"] = error.messages
    if errors:
        raise ValidationError(errors)
    return cleaned
