"""The leader dashboard and the unit dashboard. Thin: selectors count, ``charts`` shapes the chart
data, ``drilldown`` names the list behind each number."""
from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhi.assessment.selectors import ranking_current, unit_kind, unit_trend
from jingzhi.cases.selectors import cases_visible_to
from jingzhi.geo.views import districts_layer_url
from jingzhi.org.selectors import user_has_role
from jingzhi.plans.selectors import plan_current, plan_review_date

from . import charts, selectors
from .access import LEADER_ROLES, UNIT_ROLES
from .periods import month_to_date

#: The assessment's rankings the leader dashboard shows (districts with districts, departments with departments).
RANKED_KINDS = ("district", "department")


def _plan_context(user) -> dict:
    plan = plan_current()
    if plan is None:
        return {"plan": None, "progress": []}
    on = plan_review_date(plan=plan)
    url = f"{reverse('plans:overview')}?{urlencode({'plan': plan.pk, 'as_of': on.isoformat()})}"
    return {"plan": plan, "plan_on": on, "plan_url": url,
            "progress": selectors.plan_progress(user=user, plan=plan, on=on)}


@login_required
def leader(request):
    if not user_has_role(user=request.user, roles=LEADER_ROLES):
        raise PermissionDenied(_("此页面仅对领导、精细办和值班长开放。"))
    now, today = timezone.now(), timezone.localdate()
    cases = cases_visible_to(request.user)
    month = month_to_date(today)
    tally = selectors.month_tally(cases=cases, today=today, now=now)
    districts = selectors.unit_rows(tally=tally, by="district", units=selectors.district_units())
    departments = selectors.unit_rows(tally=tally, by="department", units=selectors.department_units())
    plan = _plan_context(request.user)
    return render(request, "dashboards/leader.html", {
        "figures": tally.total(), "counted_at": tally.counted_at,
        "month": month, "districts": districts, "departments": departments,
        "ranking": ranking_current(user=request.user, kinds=RANKED_KINDS),
        "charts": {
            "trend": charts.trend_chart(selectors.weekly_trend(cases=cases, today=today)),
            "districts": charts.district_map(districts, month, shapes_url=districts_layer_url()),
            "grids": charts.grid_map(selectors.grid_density(cases=cases, period=month), month),
            **({"plan": charts.plan_chart(plan["progress"], plan["plan_url"])} if plan["plan"] else {}),
        },
        **plan,
    })


@login_required
def unit(request):
    user = request.user
    if not (user.unit_id and user_has_role(user=user, roles=UNIT_ROLES)):
        raise PermissionDenied(_("此页面仅对单位填报员和处置人员开放。"))
    now, today = timezone.now(), timezone.localdate()
    cases = cases_visible_to(user)
    month = month_to_date(today)
    kind = unit_kind(user.unit)
    ranking = ranking_current(user=user, kinds=(kind,))
    own = ranking.result_of(user.unit)
    return render(request, "dashboards/unit.html", {
        "figures": selectors.case_figures(cases=cases, today=today, now=now), "month": month,
        "ranking": ranking, "kind": kind, "ranked": ranking.ranked(kind),
        "own": own, "own_rows": [own] if own else [],
        "trend": unit_trend(user=user, unit=user.unit),
        "overdue": selectors.cases_overdue_first(cases=cases, now=now),
        "todo": selectors.unit_todo(user=user, today=today, now=now),
        "now": now,
        "charts": {"trend": charts.trend_chart(selectors.weekly_trend(cases=cases, today=today))},
    })
