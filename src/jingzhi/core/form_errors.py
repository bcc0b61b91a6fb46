"""A refused form's errors as the page shows them (docs/accessibility.md): one summary at the top that names
each field and links to it (core/_error_summary.html, focused by core/a11y.js), and each message again next to
its field, which is marked ``aria-invalid`` and ``aria-describedby`` its message.

Django forms give their errors themselves (``{% error_summary form %}``; the fields through
``FormRenderer``); a page whose form is written out by hand (the report form, the citizens' pages) passes
its errors by field name through ``field_errors`` with the fields' labels."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django import forms
from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    """Every Django form field through core/forms/field.html: the label says （必填） for a required field
    (the widget carries ``required``); Django itself marks a field with errors ``aria-invalid`` and
    ``aria-describedby`` its messages (``<id>_error``)."""

    field_template_name = "core/forms/field.html"


@dataclass(frozen=True)
class FieldError:
    """One message of a refused form: ``name`` and ``field_id`` are empty for an error of no one field."""

    name: str
    field_id: str
    label: str
    message: str

    @property
    def error_id(self) -> str:
        """The id of the message next to the field, which the field's ``aria-describedby`` names."""
        return f"{self.field_id}_error"


def error_messages(value) -> list[str]:
    """The flat messages of one field (a list, a dict by index for a list field, or one message)."""
    if isinstance(value, Mapping):
        return [message for item in value.values() for message in error_messages(item)]
    if isinstance(value, list | tuple):
        return [message for item in value for message in error_messages(item)]
    return [str(value)]


def field_errors(errors, *, labels: Mapping[str, str], ids: Mapping[str, str] | None = None,
                 non_field_keys: tuple[str, ...] = ("non_field_errors", "__all__", "detail")) -> list[FieldError]:
    """The errors of a hand-written form (serializer or ``ValidationError.message_dict`` shape, or a plain
    list of messages) in the page's order: a field named in ``labels`` gets its label and the id
    ``ids[name]`` (default ``id_<name>``); any other message stands alone at the top."""
    if not isinstance(errors, Mapping):
        return [FieldError("", "", "", message) for message in error_messages(errors)]
    ids = ids or {}
    found = []
    for name, value in errors.items():
        known = name in labels and name not in non_field_keys
        for message in error_messages(value):
            found.append(FieldError(name, ids.get(name, f"id_{name}"), str(labels[name]), message) if known
                         else FieldError("", "", "", message))
    return found


def form_field_errors(form: forms.BaseForm) -> list[FieldError]:
    """A Django form's errors in its fields' order, non-field errors first; a hidden field's errors have
    no field to point at, so they stand alone."""
    found = [FieldError("", "", "", str(message)) for message in form.non_field_errors()]
    for field in form:
        for message in field.errors:
            if field.is_hidden:
                found.append(FieldError("", "", "", str(message)))
            else:
                field_id = field.id_for_label or field.auto_id
                found.append(FieldError(field.name, field_id, str(field.label), str(message)))
    return found
