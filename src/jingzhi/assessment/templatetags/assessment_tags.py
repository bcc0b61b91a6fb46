"""``{{ rate|percent }}``: a stored rate (0..1) as the pages show it, e.g. 83.33%."""
from django import template

register = template.Library()


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"
