"""Template helpers of the case pages."""
from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from jingzhi.cases.models import Satisfaction
from jingzhi.cases.workflow import TERMINAL_STATES, State

register = template.Library()

#: Share of a stage's time after which its light turns amber (the common 80 % rule [I]).
WARNING_SHARE = 0.8


@register.simple_tag
def deadline_badge(case, now):
    """The stage deadline as a traffic light: red past it, amber after 80 %, blue before."""
    if case.stage_deadline is None:
        return ""
    total = (case.stage_deadline - case.stage_started_at).total_seconds() if case.stage_started_at else 0
    elapsed = (now - case.stage_started_at).total_seconds() if case.stage_started_at else 0
    if now > case.stage_deadline:
        css, label = "status-overdue", _("超时")
    elif total > 0 and elapsed / total >= WARNING_SHARE:
        css, label = "status-lagging", _("临期")
    else:
        css, label = "status-on_track", _("正常")
    return format_html('<span class="badge {}" title="{}">{} {}</span>', css, case.get_stage_display(), label,
                       f"{timezone.localtime(case.stage_deadline):%m-%d %H:%M}")


@register.filter
def state_badge(case):
    """The state as a badge: done when closed, grey when otherwise finished (the table's terminal states)."""
    if case.state == State.CLOSED:
        css = "status-done"
    else:
        css = "status-not_started" if case.state in TERMINAL_STATES else "status-on_track"
    return format_html('<span class="badge {}">{}</span>', css, case.get_state_display())


@register.filter
def satisfaction_label(value):
    """The label of a 回访评价 code recorded on an event."""
    return Satisfaction(value).label if value in Satisfaction.values else value


#: The 大类 that have their own icon in ``cases/_category_icons.svg`` (others get ``cat-other``).
CATEGORY_ICON_CLASSES = frozenset(f"{kind}-{code:02d}" for kind in ("component", "event") for code in range(1, 7))


@register.filter
def category_icon(category_class) -> str:
    """The id of the icon of a 大类 in the report form's SVG sprite."""
    key = f"{category_class.kind}-{category_class.code}"
    return f"cat-{key}" if key in CATEGORY_ICON_CLASSES else "cat-other"
