"""Template tags of the web shell."""
from django import forms, template
from django.utils.html import format_html

from jingzhi.core.form_errors import FieldError, form_field_errors
from jingzhi.core.idempotency import FORM_TOKEN_FIELD
from jingzhi.core.idempotency import form_token as new_form_token

register = template.Library()


@register.simple_tag
def form_token() -> str:
    """A hidden input with a fresh token: the form's view (``idempotent_form``) runs once per token,
    so a double click or a browser re-sending the form does not act twice."""
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_TOKEN_FIELD, new_form_token())


def _summary_errors(source) -> list[FieldError]:
    if source in (None, ""):
        return []
    if isinstance(source, forms.BaseForm):
        return form_field_errors(source)
    if isinstance(source, str):
        return [FieldError("", "", "", source)]
    if isinstance(source, FieldError):
        return [source]
    return [error for item in source for error in _summary_errors(item)]


@register.inclusion_tag("core/_error_summary.html")
def error_summary(*sources) -> dict:
    """The summary at the top of a refused page: each message, a link to its field where it has one.
    ``sources``: Django forms, ``FieldError`` (core.form_errors.field_errors), plain messages, or lists of them."""
    return {"errors": [error for source in sources for error in _summary_errors(source)]}


@register.simple_tag
def invalid_attrs(errors, name: str) -> str:
    """For a hand-written input: ``aria-invalid`` and ``aria-describedby`` its message when ``name`` has one."""
    error = next((error for error in errors or () if isinstance(error, FieldError) and error.name == name), None)
    return format_html(' aria-invalid="true" aria-describedby="{}"', error.error_id) if error else ""


@register.simple_tag
def field_error(errors, name: str) -> str:
    """For a hand-written input: its messages next to it, under the id its ``aria-describedby`` names."""
    found = [error for error in errors or () if isinstance(error, FieldError) and error.name == name]
    if not found:
        return ""
    return format_html('<p class="error field-error" id="{}">{}</p>', found[0].error_id,
                       " ".join(error.message for error in found))
