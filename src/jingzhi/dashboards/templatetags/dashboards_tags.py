"""``{% reported_url period scope=row.scope %}`` and its siblings: the drill-down links of ``drilldown``,
with a unit row's filter (``{"district": id}`` or ``{"department": id}``) passed as one ``scope``."""
from django import template

from jingzhi.dashboards import drilldown

register = template.Library()


def _tag(function):
    def tag(*args, scope=None):
        return function(*args, **(scope or {}))
    return tag


for _name in ("reported_url", "open_url", "overdue_url", "handled_url", "late_url", "in_time_url"):
    register.simple_tag(_tag(getattr(drilldown, _name)), name=_name)
