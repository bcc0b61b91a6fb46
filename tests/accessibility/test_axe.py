"""axe-core over every page of the site as the role that uses it (pages.py; the walk: axe.py), at desktop
and phone size: no critical or serious violation, no request leaving 127.0.0.1; and every URL pattern is
either listed as a page or named as no page. The pages of the assessment, the registries and the
inspections are walked over their own apps' fixtures (assessment/, inspections/ here).
docs/accessibility.md says how to add a page and how to read a failure."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from jingzhi.cases.models import Case
from jingzhi.cases.reporter_keys import reporter_key
from jingzhi.cases.workflow import State
from jingzhi.org.models import Role
from jingzhi.plans.models import Indicator
from jingzhi.plans.services import progress_report_create

from .axe import axe_walk
from .pages import NOT_PAGES, OUTSIDE, PAGES, PAGES_CORE


def url_patterns(patterns=None, prefix="", namespace=""):
    """(route, namespaced name) of every URL pattern of the site outside the admin and the API."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            space = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), space)
        elif isinstance(pattern, URLPattern) and not (prefix + str(pattern.pattern)).startswith(OUTSIDE):
            yield prefix + str(pattern.pattern), namespace + (pattern.name or "")


def test_every_url_pattern_is_a_listed_page_or_named_as_none():
    listed = {page.name for page in PAGES} | set(NOT_PAGES)
    unlisted = [f"{route} ({name})" for route, name in url_patterns() if name not in listed]
    assert unlisted == [], "add these to tests/accessibility/pages.py (PAGES, or NOT_PAGES with why):\n" + "\n".join(unlisted)
    known = {name for _route, name in url_patterns()}
    assert sorted(listed - known) == []  # no stale entry


@pytest.fixture
def world(staff, make_case, make_user, units, small_plan, geography):
    """The records the pages show: cases in each queue, a plan with progress (lagging, on track, done)."""
    from tests.plans.conftest import REVIEW_DATE

    cgj = make_user(Role.UNIT_REPORTER, unit=units["市城管局"], username="cgj-a11y")
    yuanlin = make_user(Role.UNIT_REPORTER, unit=units["市园林局"], username="yuanlin-a11y")
    for user, code, value in ((cgj, "toilets", "850"), (cgj, "class1-share", "31"), (yuanlin, "old-areas", "9")):
        indicator = Indicator.objects.get(code=code)
        progress_report_create(user=user, indicator=indicator, value=Decimal(value), measure_unit=indicator.unit,
                               measured_on=REVIEW_DATE - dt.timedelta(days=10), evidence=[])
    lagging, own = Indicator.objects.get(code="old-areas").task_id, Indicator.objects.get(code="toilets").task_id
    closed = make_case(State.CLOSED, description="人行道井盖缺失")
    anonymous = make_case(State.CLOSED, description="路灯不亮")  # reported on the portal without an account:
    Case.objects.filter(pk=anonymous.pk).update(reporter=None)  # rated through its receipt's private link
    anonymous.refresh_from_db()
    handling = make_case(State.HANDLING)
    reported = make_case(State.REPORTED, reporter=staff.inspector)
    for until in (State.ACCEPTED, State.FILED, State.DISPATCHED, State.HANDLED, State.VERIFYING):
        make_case(until)
    users = {"citizen": staff.citizen, "leader": staff.leader, "intake": staff.intake, "chief": staff.chief,
             "dispatcher": staff.dispatcher, "inspector": staff.inspector, "handler": staff.handler_a,
             "office": make_user(Role.PLAN_OFFICE, username="office-a11y"), "cgj": cgj}
    return {
        "users": users,
        "closed_number": closed.number, "closed_case": closed.pk, "handling_case": handling.pk,
        "reported_case": reported.pk, "anonymous_number": anonymous.number,
        "anonymous_key": reporter_key(anonymous), "lagging_task": lagging, "cgj_task": own,
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_passes_axe_as_its_user_at_both_sizes(browser_context, live_server, world):
    found, external = axe_walk(browser_context, live_server.url, PAGES_CORE, world)
    assert external == []
    assert found == [], "axe-core violations:\n" + "\n".join(found)
