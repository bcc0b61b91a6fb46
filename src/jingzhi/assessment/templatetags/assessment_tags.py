"""``{{ rate|percent }}``: a stored rate (0..1) as the pages show it, e.g. 83.33%;
``{{ result|volume_counter }}``: the counter behind a result's volume (its drill-down)."""
from django import template

from jingzhi.assessment.scheme import scheme_load

register = template.Library()


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


@register.filter
def volume_counter(result) -> str:
    """The counter a result's volume is (立案数, 上报数 …: the kind's, in its scheme version)."""
    return scheme_load(result.assessment.scheme_version).kinds[result.kind].volume
