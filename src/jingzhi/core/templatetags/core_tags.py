"""Template tags of the web shell."""
from django import template
from django.utils.html import format_html

from jingzhi.core.idempotency import FORM_TOKEN_FIELD
from jingzhi.core.idempotency import form_token as new_form_token

register = template.Library()


@register.simple_tag
def form_token() -> str:
    """A hidden input with a fresh token: the form's view (``idempotent_form``) runs once per token,
    so a double click or a browser re-sending the form does not act twice."""
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_TOKEN_FIELD, new_form_token())
