"""Input fields that refuse what the standard ones let through: text without a length limit or
that is no text, dates outside ``limits.DATE_MIN``–``DATE_MAX`` or not written YYYY-MM-DD, and
booleans or checkbox values that are no boolean.

One validator for the DRF serializers and the Django forms, so the API and the pages refuse alike,
with a field message in the request's language. Every date or time a user enters goes through
one of these fields (or ``parse_iso_date`` for a query parameter).
"""
from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.utils import html

from .limits import DATE_MAX, DATE_MIN


class TextField(serializers.CharField):
    """Free text in a request: a string of at most ``max_length`` characters (one of the
    ``limits``; the argument is required so that no text field is left unbounded).

    DRF's CharField turns a JSON number into text; the schema says string, so it is refused."""

    def __init__(self, *, max_length: int, **kwargs):
        super().__init__(max_length=max_length, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


#: A date as RFC 3339 (and the OpenAPI ``date`` format) writes it. Python's ``date.fromisoformat``
#: also reads 20180930 or 2018-W39-7, which a client checking against the schema would not send.
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def validate_date_range(value: dt.date) -> None:
    """A date, or a datetime's own calendar day, lies within DATE_MIN–DATE_MAX."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if not DATE_MIN <= day <= DATE_MAX:
        raise DjangoValidationError(
            _("日期须在 %(min)s 至 %(max)s 之间。"), code="date_range",
            params={"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()})


def parse_iso_date(text: str) -> dt.date:
    """A YYYY-MM-DD date within the accepted range; ValueError when it is not such a date,
    Django's ValidationError when it is one outside the range."""
    if not ISO_DATE.fullmatch(text):
        raise ValueError(text)
    day = dt.date.fromisoformat(text)
    validate_date_range(day)
    return day


class BoundedDateField(serializers.DateField):
    """A serializer date within the accepted range, written YYYY-MM-DD.

    An empty value in form data is refused too (DRF would read it as "not given", or null): an
    API client leaves out a date it does not send."""

    default_validators = [validate_date_range]

    def get_value(self, dictionary):
        if html.is_html_input(dictionary) and dictionary.get(self.field_name) == "":
            return ""
        return super().get_value(dictionary)

    def to_internal_value(self, value):
        if isinstance(value, str) and not ISO_DATE.fullmatch(value.strip()):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


class BoundedDateTimeField(serializers.DateTimeField):
    """A serializer date and time within the accepted range.

    The range is checked before DRF makes the value aware: converting 0001-01-01T00:00 from
    Beijing time to UTC overflows (a 500 before this field existed)."""

    def enforce_timezone(self, value: dt.datetime) -> dt.datetime:
        try:
            validate_date_range(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages, code="date_range") from None
        return super().enforce_timezone(value)


class BoundedFormDateField(forms.DateField):
    """A form date within the accepted range, written YYYY-MM-DD as browsers' date inputs send it;
    the date picker is bounded too."""

    default_validators = [validate_date_range]
    input_formats = ["%Y-%m-%d"]

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not ISO_DATE.fullmatch(value.strip()):
            raise DjangoValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.DateInput):
            attrs.update(min=DATE_MIN.isoformat(), max=DATE_MAX.isoformat())
        return attrs


class CheckboxInput(forms.CheckboxInput):
    """Reads ``true``/``false`` and a browser's ``on``; passes any other text on to be refused
    (Django's CheckboxInput turns every non-empty text into True)."""

    VALUES = {"true": True, "on": True, "false": False, "": False}

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        return self.VALUES.get(value.lower(), value) if isinstance(value, str) else bool(value)


class CheckboxField(forms.BooleanField):
    """A checkbox that is also an API query's boolean: an API client sending ``overdue=yes`` is
    told, rather than served the overdue cases."""

    widget = CheckboxInput
    default_error_messages = {"invalid": _("请填写 true 或 false。")}

    def to_python(self, value):
        if not isinstance(value, bool):
            raise DjangoValidationError(self.error_messages["invalid"], code="invalid")
        return value


class StrictBooleanField(serializers.BooleanField):
    """A boolean written ``true`` or ``false`` (a JSON boolean, or that text in form data).

    DRF's BooleanField also reads 1, 0, "yes", "off", "t" …; the schema says boolean, so a client
    sending one of those is told instead of guessed at (the pages' checkboxes send "true")."""

    TEXT = {"true": True, "false": False}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        if isinstance(data, str) and data in self.TEXT:
            return self.TEXT[data]
        self.fail("invalid", input=str(data)[:20])


class RequiredBooleanField(StrictBooleanField):
    """A boolean the request must carry, in form data too: DRF reads a boolean absent from form
    data as false (an unticked checkbox), which makes a required one impossible to miss."""

    default_empty_html = empty
