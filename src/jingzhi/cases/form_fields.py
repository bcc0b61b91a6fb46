"""The action forms of the case page, described from the request serializers.

A serializer built from ``workflow.ACTION_SPECS`` already says what each action asks for: its
fields, which are required, their choices, bounds and lengths. The page renders that same
description (one generic field template, ``cases/_field.html``) instead of restating it field by
field, so the form cannot ask for something the API would refuse or miss what it needs. Only the
words a person reads live here: each field's label and the hints a form needs beyond the API's
help text. A refused action's messages are put back next to their fields.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.settings import api_settings

from jingzhi.core.form_errors import FieldError, error_messages

#: The form labels of the fields, for the inputs and for the errors that name them ("经度：…").
FIELD_LABELS = {
    "category": gettext_lazy("小类"), "source": gettext_lazy("来源"), "urgency": gettext_lazy("紧急程度"),
    "description": gettext_lazy("问题描述"), "address": gettext_lazy("地址"), "lon": gettext_lazy("经度"),
    "lat": gettext_lazy("纬度"), "reporter_name": gettext_lazy("来电人姓名"),
    "reporter_phone": gettext_lazy("来电人电话"), "photos": gettext_lazy("照片"),
    "before_photos": gettext_lazy("处置前照片"), "after_photos": gettext_lazy("处置后照片"),
    "inspector": gettext_lazy("监督员"), "reason": gettext_lazy("原因"), "duplicate_of": gettext_lazy("原案件案卷号"),
    "department": gettext_lazy("处置部门"), "override_reason": gettext_lazy("改派理由"),
    "problem_exists": gettext_lazy("现场确有此问题"), "step": gettext_lazy("到场环节序号"),
    "arrived_at": gettext_lazy("到场时间"), "extra_working_days": gettext_lazy("延期工作日数"),
    "satisfaction": gettext_lazy("满意度"), "comment": gettext_lazy("意见"),
    "outcome": gettext_lazy("办结结果"), "outcome_reason": gettext_lazy("未解决原因"),
}

#: What a form says under an input where the serializer's help text, written for API clients,
#: does not fit a person filling the form (an empty hint hides the API's text).
FIELD_HINTS = {
    "problem_exists": "",
    "override_reason": gettext_lazy("不用建议部门时必填"),
    "step": gettext_lazy("留空为下一个环节"),
    "arrived_at": gettext_lazy("留空为现在"),
    "after_photos": gettext_lazy("须至少一张"),
    "outcome": "",
    "outcome_reason": gettext_lazy("办结结果为“未解决”时必填"),
}

#: Keys under which serializers and services put messages that belong to no one field.
NON_FIELD_KEYS = (api_settings.NON_FIELD_ERRORS_KEY, "__all__")


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True)
class FormField:
    """One input of a form, as the generic field template draws it."""

    name: str
    id: str
    label: str
    widget: str  # select, number, checkbox, datetime, files, textarea or text
    required: bool
    hint: str = ""
    value: str = ""
    checked: bool = False
    choices: tuple[Choice, ...] = ()
    blank: bool = False  # a select starts with an empty choice
    min: int | None = None
    max: int | None = None
    max_length: int | None = None
    errors: tuple[str, ...] = ()

    @property
    def described_by(self) -> str:
        """The ids of the hint and the errors, for ``aria-describedby``."""
        return " ".join(([f"{self.id}-hint"] if self.hint else []) + ([f"{self.id}-errors"] if self.errors else []))


@dataclass(frozen=True)
class ActionForm:
    """One action's form on the case page: its fields, and the messages of its refusal if any."""

    action: str
    label: str
    danger: bool
    fields: tuple[FormField, ...]
    errors: tuple[str, ...] = ()
    failed: bool = False

    @property
    def summary(self) -> list[FieldError]:
        """The refusal for the page's error summary: a message of no one field points at the form
        (``act-<action>``), a field's at the field."""
        return ([FieldError("", f"act-{self.action}", self.label, message) for message in self.errors]
                + [FieldError(field.name, field.id, field.label, message)
                   for field in self.fields for message in field.errors])


def labelled_messages(errors) -> list[str]:
    """Flat messages of serializer or service errors, each prefixed with its field's label
    (those of no one field bare), for a page that shows them in one list."""
    if not isinstance(errors, Mapping):
        return error_messages(errors)
    return [_("%(label)s：%(message)s") % {"label": FIELD_LABELS[name], "message": message}
            if name in FIELD_LABELS else message
            for name, value in errors.items() for message in error_messages(value)]


def _widget(field: serializers.Field) -> str:
    if isinstance(field, serializers.BooleanField):
        return "checkbox"
    if isinstance(field, serializers.DateTimeField):
        return "datetime"
    if isinstance(field, serializers.IntegerField):
        return "number"
    if isinstance(field, serializers.ListField) and isinstance(field.child, serializers.FileField):
        return "files"
    if isinstance(field, serializers.ChoiceField | serializers.PrimaryKeyRelatedField):
        return "select"
    if isinstance(field, serializers.CharField):
        return "textarea"
    return "text"  # e.g. a case by its number: one of too many to list


def _initial(field: serializers.Field, initial: Mapping):
    if field.field_name in initial:
        return initial[field.field_name]
    default = field.default
    return None if default is serializers.empty or callable(default) else default


def _form_field(field: serializers.Field, *, prefix: str, values: Mapping | None, initial: Mapping,
                errors: list[str]) -> FormField:
    name, widget = field.field_name, _widget(field)
    if values is None:  # a fresh form: the proposed value
        value = _initial(field, initial)
        checked = bool(value)
    else:  # the form as the user sent it (a checkbox left unticked is not sent)
        value = values.get(name, "")
        checked = name in values
    value = "" if value is None or widget in ("files", "checkbox") else str(value)
    choices, blank = (), False
    if widget == "select":
        # Empty first where emptiness means the default, or where a fixed choice must be made on
        # purpose (a reason, a rating); a required pick of a person or unit proposes the first one.
        blank = not field.required or not isinstance(field, serializers.PrimaryKeyRelatedField)
        choices = tuple(Choice(str(key), str(text), str(key) == value) for key, text in field.choices.items())
    bounds = {"min": getattr(field, "min_value", None), "max": getattr(field, "max_value", None)}
    hint = FIELD_HINTS.get(name, field.help_text or "")
    if not hint and None not in bounds.values():
        hint = _("%(min)s 到 %(max)s") % bounds
    return FormField(
        name=name, id=f"{prefix}-{name}", label=str(FIELD_LABELS.get(name, field.label)), widget=widget,
        required=field.required, hint=str(hint), value=value, checked=checked, choices=choices, blank=blank,
        min=bounds["min"], max=bounds["max"],
        max_length=getattr(field, "max_length", None), errors=tuple(errors),
    )


def action_form(*, action: str, label: str, danger: bool, serializer_class: type[serializers.Serializer],
                initial: Mapping, values: Mapping | None = None, errors=None) -> ActionForm:
    """An action's form drawn from its request serializer: a fresh one with ``initial`` values,
    or the refused one with the ``values`` sent and the ``errors`` (by field, or a flat list)."""
    fields = serializer_class().fields
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    if isinstance(errors, Mapping):
        for name, value in errors.items():
            if name in fields and name not in NON_FIELD_KEYS:
                by_field[name] = error_messages(value)
            else:
                general += labelled_messages({name: value})
    elif errors:
        general = error_messages(errors)
    prefix = f"act-{action}"
    return ActionForm(
        action=action, label=label, danger=danger, failed=values is not None, errors=tuple(general),
        fields=tuple(_form_field(f, prefix=prefix, values=values, initial=initial, errors=by_field.get(name, []))
                     for name, f in fields.items() if not f.read_only),
    )
