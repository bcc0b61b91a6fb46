"""The home page's panels from the dashboards (``core.panels``): the user's numbers and to-dos.

A leader gets the headline case figures; a unit its figures and what it must do today; the command
centre and inspectors their queues; a citizen how their reports stand."""
from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from jingzhi.assessment.selectors import ranking_current, unit_kind
from jingzhi.cases.selectors import cases_visible_to
from jingzhi.cases.views import ROLE_PAGES
from jingzhi.core.panels import HomePanel
from jingzhi.org.models import Role
from jingzhi.org.selectors import user_has_role

from . import selectors
from .access import LEADER_ROLES, UNIT_ROLES

STYLESHEET = "dashboards/dashboards.css"


def _role_page(role: str) -> str:
    return reverse(next(url for roles, url, _label in ROLE_PAGES if role in roles))


def home_panels(request) -> list[HomePanel]:
    user = request.user
    now, today = timezone.now(), timezone.localdate()
    panels = []
    if user_has_role(user=user, roles=LEADER_ROLES):
        figures = selectors.case_figures(cases=cases_visible_to(user), today=today, now=now)
        panels.append(HomePanel(10, "dashboards/panel_leader.html", {"figures": figures}, STYLESHEET))
    if user.unit_id and user_has_role(user=user, roles=UNIT_ROLES):
        ranking = ranking_current(user=user, kinds=(unit_kind(user.unit),))
        panels.append(HomePanel(20, "dashboards/panel_unit.html", {
            "assessment": ranking.assessment, "result": ranking.result_of(user.unit),
            "ranked": ranking.ranked(unit_kind(user.unit)),
            "figures": selectors.case_figures(cases=cases_visible_to(user), today=today, now=now),
            "todo": selectors.unit_todo(user=user, today=today, now=now),
        }, STYLESHEET))
    queues = [(Role(queue.role).label, queue, _role_page(queue.role))
              for queue in selectors.work_queues(user=user, now=now)]
    if queues:
        panels.append(HomePanel(30, "dashboards/panel_queues.html", {"queues": queues}, STYLESHEET))
    if user_has_role(user=user, roles=(Role.CITIZEN,)):
        panels.append(HomePanel(40, "dashboards/panel_citizen.html",
                                {"reports": selectors.citizen_report_counts(user=user)}, STYLESHEET))
    return panels
