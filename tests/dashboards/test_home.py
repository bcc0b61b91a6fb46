"""The home page shows each user their numbers and to-dos (panels from ``core.panels``), not link tiles."""
import re

import pytest

from jingzhi.cases.workflow import State
from jingzhi.org.models import Role

pytestmark = pytest.mark.django_db


def panels(client, user) -> str:
    client.force_login(user)
    page = client.get("/").content.decode()
    assert 'class="tile"' not in page
    return page


def test_a_leader_sees_the_city_figures(client, staff, make_case):
    make_case(State.CLOSED)
    page = panels(client, staff.leader)
    assert 'data-panel="leader"' in page and 'data-panel="unit"' not in page
    assert re.search(r'data-figure="reports_month" href="/cases/search/\?date_from=[^"]+"><strong>1</strong>', page)


def test_a_handler_sees_the_work_due_today(client, staff, make_case, clock):
    clock.set("2024-06-11 09:00")
    make_case(State.HANDLING, now=clock.now)
    clock.set("2024-06-20 10:00")  # two working days passed: overdue
    page = panels(client, staff.handler_a)
    assert 'data-panel="unit"' in page and 'data-panel="leader"' not in page
    assert re.search(r'data-todo="due"><a href="/cases/worklist/">1 件案件今天到期或已超时', page)
    assert 'data-todo="due"' not in panels(client, staff.handler_b)  # the other district has none


def test_the_command_centre_sees_its_queues(client, staff, make_case):
    make_case(State.FILED)
    make_case(State.FILED)
    page = panels(client, staff.dispatcher)
    assert re.search(r'data-queue="dispatcher" href="/cases/dispatch/"><strong>2</strong>', page)
    page = panels(client, staff.intake)
    assert re.search(r'data-queue="intake_operator" href="/cases/intake/"><strong>0</strong>', page)


def test_a_citizen_sees_only_their_own_reports(client, staff, make_case):
    make_case(State.REPORTED)
    make_case(State.CLOSED)
    make_case(State.REPORTED, reporter=staff.other_citizen)
    page = panels(client, staff.citizen)
    assert re.findall(r"<strong>(\d+)</strong><span>(\S+)</span>", page) == [("1", "办理中"), ("1", "已办结")]


def test_a_user_with_nothing_to_show_is_pointed_to_the_menu(client, make_user):
    page = panels(client, make_user(Role.UNIT_REPORTER))  # no unit yet: no unit panel
    assert "请从上方菜单进入各项工作。" in page and 'data-panel=' not in page
